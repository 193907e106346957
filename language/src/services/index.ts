/**
 * The language services, built with or without a connection: the language server, the CLI and tests all use this
 * factory (the rust-analyzer/Langium habit), so what a test pins is what the editor gets.
 *
 * `open`/`update` analyse a text once per version: parse + check, and — when the design is clean — the engine's full
 * analysis (for budget diagnostics, code lens and hover). Every feature reads that cached result.
 */
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  SemanticTokens,
  TextEdit,
} from 'vscode-languageserver-types';
import type { RoutingTrace } from '../../../engine/routing-trace';
import { PhaseCache } from '../phases';
import { budgetDiagnostics } from '../budgetDiagnostics';
import { engineFailed } from '../messages';
import { LineIndex } from '../lineIndex';
import { anchoredLenses, staleLenses, toCodeLens } from './codeLens';
import { codeActions } from './codeActions';
import { completion } from './completion';
import { toLspDiagnostic } from './convert';
import type { AnalyzedDocument } from './document';
import { formatText } from './format';
import { minimalEdits } from './textEdits';
import { hover } from './hover';
import { definition, prepareRename, references, rename, type PrepareRenameResult, type RenameResult } from './navigation';
import { semanticTokens } from './semanticTokens';
import { documentSymbols, foldingRanges } from './symbols';

export type { AnalyzedDocument } from './document';
export { SEMANTIC_LEGEND } from './semanticTokens';

/** What the client can do, from its initialize params: features answer accordingly (see `clientFeatures`). */
export interface ClientFeatures {
  /** Completion items may be snippets (`completionItem.snippetSupport`). */
  snippets: boolean;
  /** The client runs the M3V extension's `m3v.*` commands, so lenses may carry them. */
  extensionCommands: boolean;
}

export interface LanguageServicesOptions {
  /** Loads a routing trace named by `routing trace "FILE"` relative to the document (Node faces); absent in a browser. */
  loadTrace?: (documentUri: string, path: string) => RoutingTrace | undefined;
  /**
   * The content-keyed phase cache to analyse through (language/src/phases.ts). The language server passes the one it
   * also answers the panels' view requests from, so an edit is analysed once for every feature; default: a new one.
   */
  phases?: PhaseCache;
}

export interface LanguageServices {
  /** Tells the services what the client supports (once, at initialize); until then: no snippets, title-only lenses. */
  configure(client: Partial<ClientFeatures>): void;
  /** Analyse (or re-analyse) a document; returns the cached result for an unchanged version. */
  update(uri: string, version: number, text: string): AnalyzedDocument;
  get(uri: string): AnalyzedDocument | undefined;
  close(uri: string): void;
  diagnostics(uri: string): Diagnostic[];
  completion(uri: string, position: Position): CompletionItem[];
  hover(uri: string, position: Position): Hover | null;
  definition(uri: string, position: Position): Location[];
  references(uri: string, position: Position, includeDeclaration: boolean): Location[];
  prepareRename(uri: string, position: Position): PrepareRenameResult;
  rename(uri: string, position: Position, newName: string): RenameResult;
  documentSymbols(uri: string): DocumentSymbol[];
  foldingRanges(uri: string): FoldingRange[];
  semanticTokens(uri: string): SemanticTokens;
  /**
   * Minimal line-aligned edits that make the document canonical, in its own line ending; [] when it already is or
   * cannot be formatted safely (syntax errors).
   */
  format(uri: string): TextEdit[];
  /** The lenses of the current text; while it has errors, those of the last good text marked stale. */
  codeLenses(uri: string): CodeLens[];
  /** Quick fixes for the diagnostics of the current text that overlap `range`. */
  codeActions(uri: string, range: Range): CodeAction[];
}

export function createLanguageServices(options: LanguageServicesOptions = {}): LanguageServices {
  const documents = new Map<string, AnalyzedDocument>();
  const phaseCache = options.phases ?? new PhaseCache();
  /** Each document's last version that analysed clean, for the stale lenses shown while it has errors. */
  const lastGood = new Map<string, AnalyzedDocument>();
  let client: ClientFeatures = { snippets: false, extensionCommands: false };

  const analyse = (uri: string, version: number, text: string): AnalyzedDocument => {
    const phases = phaseCache.of(text);
    const analysis = phases.analysis();
    const doc: AnalyzedDocument = { uri, version, analysis, index: new LineIndex(text) };
    if (analysis.design) {
      const routing = analysis.design.model.moe?.routing;
      const trace = routing?.kind === 'trace' && options.loadTrace ? options.loadTrace(uri, routing.path) : undefined;
      // The engine report is a later phase: computed when a feature first reads it (lens, hover, budget diagnostics),
      // not on every keystroke before completion can answer. A bug of the engine becomes `engineError` (one warning)
      // rather than taking diagnostics, outline and completion down with it.
      Object.defineProperties(doc, {
        report: { get: () => phases.reportOrError(trace).report, enumerable: true },
        engineError: { get: () => phases.reportOrError(trace).error, enumerable: true },
      });
    }
    return doc;
  };

  const need = (uri: string): AnalyzedDocument => {
    const doc = documents.get(uri);
    if (!doc) throw new Error(`document not open: ${uri}`);
    return doc;
  };
  const at = (uri: string, position: Position): [AnalyzedDocument, number] => {
    const doc = need(uri);
    return [doc, doc.index.offsetAt(position)];
  };

  return {
    configure(features) {
      client = { ...client, ...features };
    },
    update(uri, version, text) {
      const cached = documents.get(uri);
      if (cached && cached.version === version && cached.analysis.text === text) return cached;
      const doc = analyse(uri, version, text);
      documents.set(uri, doc);
      if (doc.report) lastGood.set(uri, doc);
      return doc;
    },
    get: (uri) => documents.get(uri),
    close(uri) {
      documents.delete(uri);
      lastGood.delete(uri);
    },
    diagnostics(uri) {
      const doc = need(uri);
      const all = [...doc.analysis.diagnostics, ...(doc.report ? budgetDiagnostics(doc.report.budgets) : [])];
      if (doc.engineError && doc.analysis.design)
        all.push({ span: doc.analysis.design.model.span, severity: 'warning', ...engineFailed(doc.engineError) });
      return all.map((d) => toLspDiagnostic(doc.index, d));
    },
    completion: (uri, position) => completion(...at(uri, position), { snippets: client.snippets }),
    hover: (uri, position) => hover(...at(uri, position)),
    definition: (uri, position) => definition(...at(uri, position)),
    references: (uri, position, includeDeclaration) => references(...at(uri, position), includeDeclaration),
    prepareRename: (uri, position) => prepareRename(...at(uri, position)),
    rename: (uri, position, newName) => rename(...at(uri, position), newName),
    documentSymbols: (uri) => documentSymbols(need(uri)),
    foldingRanges: (uri) => foldingRanges(need(uri)),
    semanticTokens: (uri) => semanticTokens(need(uri)),
    format(uri) {
      const doc = need(uri);
      const formatted = formatText(doc.analysis.text);
      if (formatted === undefined) return [];
      return minimalEdits(doc.index, doc.analysis.text, formatted);
    },
    codeActions: (uri, range) => codeActions(need(uri), range),
    codeLenses(uri) {
      const doc = need(uri);
      // With a report computed elsewhere (the server's worker) it may arrive after `update`: remember it here too.
      if (doc.report) lastGood.set(uri, doc);
      const good = lastGood.get(uri);
      if (!doc.report && good)
        return staleLenses(
          doc,
          anchoredLenses(good).map((l) => l.lens),
        );
      return anchoredLenses(doc, { commands: client.extensionCommands }).map(({ lens, span }) => toCodeLens(doc, span.start, lens));
    },
  };
}
