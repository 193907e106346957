/**
 * The `.m3v` language server (bundled to dist/server.js). Works over `--stdio` and `--node-ipc` (createConnection picks
 * the transport from the command line). Diagnostics follow every change of the unsaved text, debounced per document;
 * every feature reads the analysis cached for the document's current version. Node-only glue: reading routing traces
 * named by the design lives here, the services themselves stay pure.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  ResponseError,
  ErrorCodes,
  DiagnosticSeverity,
  type Diagnostic,
  CodeActionKind,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRoutingTrace } from '../../../engine/schedule/trace-format';
import { readTraceText } from '../../../engine/runtime/safeFiles';
import { createLanguageServices, SEMANTIC_LEGEND } from '../services/index';
import { MAX_REPORTED_DIAGNOSTICS, moreDiagnostics } from '../check/limits';
import { invalidParams, type ParamNeeds } from '../services/params';

const DIAGNOSTICS_DEBOUNCE_MS = 50;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

const services = createLanguageServices({
  loadTrace(uri, path) {
    if (!uri.startsWith('file:')) return undefined;
    try {
      const file = resolve(dirname(fileURLToPath(uri)), path);
      // Only a regular file of bounded size: a trace named "/dev/zero" or a FIFO must not stop the server.
      const parsed = parseRoutingTrace(readTraceText(file));
      return parsed.ok ? parsed.trace : undefined;
    } catch {
      return undefined; // unreadable: the engine falls back to balanced routing and says so in its notes
    }
  },
});

/** The analysis for a document's current text (re-analysed only when its version changed). */
function current(uri: string) {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  return services.update(uri, doc.version, doc.getText());
}

/** At most MAX_REPORTED_DIAGNOSTICS published, then one information line with the count of the rest. */
function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_REPORTED_DIAGNOSTICS) return diagnostics;
  const next = diagnostics[MAX_REPORTED_DIAGNOSTICS];
  const more: Diagnostic = { range: next.range, severity: DiagnosticSeverity.Information, source: 'm3v', message: moreDiagnostics(diagnostics.length - MAX_REPORTED_DIAGNOSTICS) };
  return [...diagnostics.slice(0, MAX_REPORTED_DIAGNOSTICS), more];
}

const pending = new Map<string, ReturnType<typeof setTimeout>>();
function scheduleDiagnostics(uri: string): void {
  clearTimeout(pending.get(uri));
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      if (!current(uri)) return;
      // The version lets a client drop diagnostics of a text it has already changed again.
      void connection.sendDiagnostics({ uri, version: services.get(uri)?.version, diagnostics: capped(services.diagnostics(uri)) });
    }, DIAGNOSTICS_DEBOUNCE_MS),
  );
}

/**
 * Lens commands are the M3V extension's (`m3v.showSchedule`, …): only a VS Code-family client runs them. The extension
 * may say so explicitly with `initializationOptions.extensionCommands`; any other client gets title-only lenses.
 */
function runsExtensionCommands(params: InitializeParams): boolean {
  const options = params.initializationOptions as { extensionCommands?: unknown } | undefined;
  if (typeof options?.extensionCommands === 'boolean') return options.extensionCommands;
  return /Visual Studio Code|code-server|VSCodium/i.test(params.clientInfo?.name ?? '');
}

connection.onInitialize((params) => {
  services.configure({
    snippets: params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
    extensionCommands: runsExtensionCommands(params),
  });
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [' ', '{'] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
    },
    serverInfo: { name: 'm3v-language-server', version: '0.1.0' },
  };
});

documents.onDidChangeContent((e) => scheduleDiagnostics(e.document.uri));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  services.close(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/**
 * Runs a feature on the current analysis after validating its params (a clear InvalidParams error, never a TypeError);
 * a closed document gives the empty answer instead of an error.
 */
function withDoc<P extends { textDocument: { uri: string } }, T>(params: P, needs: ParamNeeds, empty: T, run: (uri: string) => T): T {
  const invalid = invalidParams(params, needs);
  if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, invalid);
  const uri = params.textDocument.uri;
  return current(uri) ? run(uri) : empty;
}
const AT = { position: true };

connection.onCompletion((p) => withDoc(p, AT, [], (uri) => services.completion(uri, p.position)));
connection.onHover((p) => withDoc(p, AT, null, (uri) => services.hover(uri, p.position)));
connection.onDefinition((p) => withDoc(p, AT, [], (uri) => services.definition(uri, p.position)));
connection.onReferences((p) =>
  withDoc(p, { position: true, referenceContext: true }, [], (uri) => services.references(uri, p.position, p.context.includeDeclaration)),
);
connection.onPrepareRename((p) =>
  withDoc(p, AT, null, (uri) => {
    const r = services.prepareRename(uri, p.position);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return r;
  }),
);
connection.onRenameRequest((p) =>
  withDoc(p, { position: true, newName: true }, null, (uri) => {
    const r = services.rename(uri, p.position, p.newName);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return r.edit;
  }),
);
connection.onDocumentSymbol((p) => withDoc(p, {}, [], (uri) => services.documentSymbols(uri)));
connection.onFoldingRanges((p) => withDoc(p, {}, [], (uri) => services.foldingRanges(uri)));
connection.onDocumentFormatting((p) => withDoc(p, {}, [], (uri) => services.format(uri)));
connection.onCodeLens((p) => withDoc(p, {}, [], (uri) => services.codeLenses(uri)));
connection.onCodeAction((p) => withDoc(p, { codeActionContext: true }, [], (uri) => services.codeActions(uri, p.range)));
connection.languages.semanticTokens.on((p) => withDoc(p, {}, { data: [] }, (uri) => services.semanticTokens(uri)));

documents.listen(connection);
connection.listen();
