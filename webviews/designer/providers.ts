/**
 * monaco's language features for `.m3v`, each answered by the language worker (the language server's services):
 * completion, hover, formatting, go to definition, references, rename, the outline (Go to Symbol) and folding.
 * Positions cross as LSP's 0-based ones; monacoConvert.ts converts every answer.
 */
import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';
import { editsByUri, toMonacoEdit, toMonacoFolding, toMonacoHover, toMonacoRange, toMonacoSymbol, toSuggestion } from './monacoConvert';
import type { WorkerClient } from './workerClient';

type Model = Monaco.editor.ITextModel;

export function registerLanguageProviders(monaco: typeof Monaco, language: string, worker: WorkerClient, urlOf: (model: Model) => string | undefined): void {
  const at = (p: Monaco.Position) => ({ line: p.lineNumber - 1, character: p.column - 1 });
  /** The model's URL in the worker, or undefined for a model the designer did not open (nothing to answer). */
  const ask = <T>(model: Model, query: (uri: string) => Promise<T>, none: T): Promise<T> => {
    const url = urlOf(model);
    return url ? query(url) : Promise.resolve(none);
  };
  const locations = (model: Model, list: { uri: string; range: Parameters<typeof toMonacoRange>[0] }[]) =>
    // Every location the services return is in the one document they analysed: the model itself.
    list.map((l) => ({ uri: model.uri, range: toMonacoRange(l.range) }));

  monaco.languages.registerCompletionItemProvider(language, {
    triggerCharacters: [' '],
    async provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const items = await ask(model, (uri) => worker.ask({ type: 'completion', uri, position: at(position) }), []);
      const kinds = monaco.languages.CompletionItemKind as unknown as Record<string, number>;
      const snippet = monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet;
      return { suggestions: items.map((item) => toSuggestion(item, range, kinds, snippet)) };
    },
  });
  monaco.languages.registerHoverProvider(language, {
    async provideHover(model, position) {
      const hover = await ask(model, (uri) => worker.ask({ type: 'hover', uri, position: at(position) }), null);
      return hover ? toMonacoHover(hover) : null;
    },
  });
  monaco.languages.registerDocumentFormattingEditProvider(language, {
    async provideDocumentFormattingEdits(model) {
      return (await ask(model, (uri) => worker.ask({ type: 'format', uri }), [])).map(toMonacoEdit);
    },
  });
  monaco.languages.registerDefinitionProvider(language, {
    async provideDefinition(model, position) {
      return locations(model, await ask(model, (uri) => worker.ask({ type: 'definition', uri, position: at(position) }), []));
    },
  });
  monaco.languages.registerReferenceProvider(language, {
    async provideReferences(model, position) {
      return locations(model, await ask(model, (uri) => worker.ask({ type: 'references', uri, position: at(position) }), []));
    },
  });
  monaco.languages.registerRenameProvider(language, {
    async resolveRenameLocation(model, position) {
      const r = await ask(model, (uri) => worker.ask({ type: 'prepareRename', uri, position: at(position) }), { error: 'Not an open design.' });
      // monaco shows `rejectReason` in place of the rename box: the services' own message.
      return 'error' in r ? { range: new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column), text: '', rejectReason: r.error } : { range: toMonacoRange(r.range), text: r.placeholder };
    },
    async provideRenameEdits(model, position, newName) {
      const r = await ask(model, (uri) => worker.ask({ type: 'rename', uri, position: at(position), newName }), { error: 'Not an open design.' });
      if ('error' in r) return { edits: [], rejectReason: r.error };
      const edits = [...editsByUri(r.edit).values()].flat();
      return { edits: edits.map((e) => ({ resource: model.uri, textEdit: e, versionId: model.getVersionId() })) };
    },
  });
  monaco.languages.registerDocumentSymbolProvider(language, {
    async provideDocumentSymbols(model) {
      const kinds = monaco.languages.SymbolKind as unknown as Record<string, number>;
      return (await ask(model, (uri) => worker.ask({ type: 'symbols', uri }), [])).map((s) => toMonacoSymbol(s, kinds));
    },
  });
  monaco.languages.registerFoldingRangeProvider(language, {
    async provideFoldingRanges(model) {
      return (await ask(model, (uri) => worker.ask({ type: 'folding', uri }), [])).map(toMonacoFolding);
    },
  });
}
