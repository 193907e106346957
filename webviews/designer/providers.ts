/**
 * monaco's language features for `.m3v`, each answered over LSP by the language server in the designer's worker (the
 * small monaco ↔ LSP adapter of the features the designer uses): completion, hover, formatting, go to definition,
 * references, rename, the outline (Go to Symbol), folding, code lens and semantic tokens. Positions cross as LSP's
 * 0-based ones; monacoConvert.ts converts every answer.
 */
import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';
import type {
  CodeLens,
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Range,
  SemanticTokens,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { editsByUri, toMonacoCodeLens, toMonacoEdit, toMonacoFolding, toMonacoHover, toMonacoRange, toMonacoSymbol, toSuggestion } from './monacoConvert';
import type { LspClient } from './lspClient';

type Model = Monaco.editor.ITextModel;

export interface ProviderHooks {
  /** The model's URI in the server, or undefined for a model the designer did not open (nothing to answer). */
  urlOf(model: Model): string | undefined;
  /** Called with each semantic token answer (the browser test reads how many tokens arrived). */
  onSemanticTokens?(model: Model, tokens: number): void;
}

export function registerLanguageProviders(monaco: typeof Monaco, language: string, lsp: LspClient, hooks: ProviderHooks): void {
  const at = (p: Monaco.Position) => ({ line: p.lineNumber - 1, character: p.column - 1 });
  /** Asks the server about `model`; a model the designer did not open, or a failed request, gives `none`. */
  const ask = async <T>(model: Model, method: string, params: object, none: T): Promise<T> => {
    const uri = hooks.urlOf(model);
    if (!uri) return none;
    try {
      return (await lsp.request<T | null>(method, { textDocument: { uri }, ...params })) ?? none;
    } catch (error) {
      // A failed request (a bug of the server, not user input) leaves the feature empty; the console says why.
      console.warn(`m3v: ${method} failed: ${(error as Error).message}`);
      return none;
    }
  };
  const locations = (model: Model, list: Location[]) =>
    // Every location the server returns is in the one document it analysed: the model itself.
    list.map((l) => ({ uri: model.uri, range: toMonacoRange(l.range) }));

  monaco.languages.registerCompletionItemProvider(language, {
    triggerCharacters: [' '],
    async provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const answer = await ask<CompletionItem[] | CompletionList>(model, 'textDocument/completion', { position: at(position) }, []);
      const items = Array.isArray(answer) ? answer : answer.items;
      const kinds = monaco.languages.CompletionItemKind as unknown as Record<string, number>;
      const snippet = monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet;
      return { suggestions: items.map((item) => toSuggestion(item, range, kinds, snippet)) };
    },
  });
  monaco.languages.registerHoverProvider(language, {
    async provideHover(model, position) {
      const hover = await ask<Hover | null>(model, 'textDocument/hover', { position: at(position) }, null);
      return hover ? toMonacoHover(hover) : null;
    },
  });
  monaco.languages.registerDocumentFormattingEditProvider(language, {
    async provideDocumentFormattingEdits(model, options) {
      const edits = await ask<TextEdit[]>(model, 'textDocument/formatting', { options: { tabSize: options.tabSize, insertSpaces: options.insertSpaces } }, []);
      return edits.map(toMonacoEdit);
    },
  });
  monaco.languages.registerDefinitionProvider(language, {
    async provideDefinition(model, position) {
      return locations(model, await ask<Location[]>(model, 'textDocument/definition', { position: at(position) }, []));
    },
  });
  monaco.languages.registerReferenceProvider(language, {
    async provideReferences(model, position) {
      return locations(model, await ask<Location[]>(model, 'textDocument/references', { position: at(position), context: { includeDeclaration: true } }, []));
    },
  });
  monaco.languages.registerRenameProvider(language, {
    async resolveRenameLocation(model, position) {
      const uri = hooks.urlOf(model);
      const here = new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column);
      if (!uri) return { range: here, text: '', rejectReason: 'Not an open design.' };
      try {
        const r = await lsp.request<{ range: Range; placeholder: string } | Range | null>('textDocument/prepareRename', { textDocument: { uri }, position: at(position) });
        if (!r) return { range: here, text: '', rejectReason: 'Nothing to rename here.' };
        if ('placeholder' in r) return { range: toMonacoRange(r.range), text: r.placeholder };
        return { range: toMonacoRange(r), text: model.getValueInRange(toMonacoRange(r)) };
      } catch (error) {
        // monaco shows `rejectReason` in place of the rename box: the server's own message.
        return { range: here, text: '', rejectReason: (error as Error).message };
      }
    },
    async provideRenameEdits(model, position, newName) {
      const uri = hooks.urlOf(model);
      if (!uri) return { edits: [], rejectReason: 'Not an open design.' };
      try {
        const edit = await lsp.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri }, position: at(position), newName });
        const edits = edit ? [...editsByUri(edit).values()].flat() : [];
        return { edits: edits.map((e) => ({ resource: model.uri, textEdit: e, versionId: model.getVersionId() })) };
      } catch (error) {
        return { edits: [], rejectReason: (error as Error).message };
      }
    },
  });
  monaco.languages.registerDocumentSymbolProvider(language, {
    async provideDocumentSymbols(model) {
      const kinds = monaco.languages.SymbolKind as unknown as Record<string, number>;
      return (await ask<DocumentSymbol[]>(model, 'textDocument/documentSymbol', {}, [])).map((s) => toMonacoSymbol(s, kinds));
    },
  });
  monaco.languages.registerFoldingRangeProvider(language, {
    async provideFoldingRanges(model) {
      return (await ask<FoldingRange[]>(model, 'textDocument/foldingRange', {}, [])).map(toMonacoFolding);
    },
  });
  // The server asks for fresh lenses (workspace/codeLens/refresh) when they change without an edit: an explore run's
  // front, a routing trace file re-read. monaco re-asks a provider when its onDidChange fires.
  const lensesChanged = new monaco.Emitter<Monaco.languages.CodeLensProvider>();
  const lensProvider: Monaco.languages.CodeLensProvider = {
    onDidChange: lensesChanged.event,
    async provideCodeLenses(model) {
      const lenses = await ask<CodeLens[]>(model, 'textDocument/codeLens', {}, []);
      return { lenses: lenses.map(toMonacoCodeLens), dispose: () => undefined };
    },
  };
  monaco.languages.registerCodeLensProvider(language, lensProvider);
  lsp.onRequest('workspace/codeLens/refresh', () => {
    lensesChanged.fire(lensProvider);
    return null;
  });
  monaco.languages.registerDocumentSemanticTokensProvider(language, {
    getLegend: () => {
      const legend = lsp.legend ?? { tokenTypes: [], tokenModifiers: [] };
      return { tokenTypes: legend.tokenTypes, tokenModifiers: legend.tokenModifiers };
    },
    async provideDocumentSemanticTokens(model) {
      await lsp.ready();
      const tokens = await ask<SemanticTokens>(model, 'textDocument/semanticTokens/full', {}, { data: [] });
      hooks.onSemanticTokens?.(model, tokens.data.length / 5);
      return { data: Uint32Array.from(tokens.data), resultId: tokens.resultId };
    },
    releaseDocumentSemanticTokens: () => undefined,
  });
}
