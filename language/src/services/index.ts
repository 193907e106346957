/**
 * The language services, built with or without a connection: the language server, the CLI and tests all use this
 * factory (the rust-analyzer/Langium habit), so what a test pins is what the editor gets.
 *
 * `open`/`update` analyse a text once per version: parse + check, and — when the design is clean — the engine's full
 * analysis (for budget diagnostics, code lens and hover). Every feature reads that cached result.
 */
import type {
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  SemanticTokens,
  TextEdit,
} from 'vscode-languageserver-types';
import type { RoutingTrace } from '../../../engine/routing-trace';
import { PhaseCache } from '../phases';
import { budgetDiagnostics } from '../budgetDiagnostics';
import { engineFailed } from '../messages';
import { LineIndex } from '../lineIndex';
import { codeLenses } from './codeLens';
import { completion } from './completion';
import { toLspDiagnostic } from './convert';
import type { AnalyzedDocument } from './document';
import { formatText } from './format';
import { hover } from './hover';
import { definition, prepareRename, references, rename, type PrepareRenameResult, type RenameResult } from './navigation';
import { semanticTokens } from './semanticTokens';
import { documentSymbols, foldingRanges } from './symbols';

export type { AnalyzedDocument } from './document';
export { SEMANTIC_LEGEND } from './semanticTokens';

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
  /** Edits that make the document canonical; [] when it already is or cannot be formatted safely (syntax errors). */
  format(uri: string): TextEdit[];
  codeLenses(uri: string): CodeLens[];
}

export function createLanguageServices(options: LanguageServicesOptions = {}): LanguageServices {
  const documents = new Map<string, AnalyzedDocument>();
  const phaseCache = options.phases ?? new PhaseCache();

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
    update(uri, version, text) {
      const cached = documents.get(uri);
      if (cached && cached.version === version && cached.analysis.text === text) return cached;
      const doc = analyse(uri, version, text);
      documents.set(uri, doc);
      return doc;
    },
    get: (uri) => documents.get(uri),
    close: (uri) => void documents.delete(uri),
    diagnostics(uri) {
      const doc = need(uri);
      const all = [...doc.analysis.diagnostics, ...(doc.report ? budgetDiagnostics(doc.report.budgets) : [])];
      if (doc.engineError && doc.analysis.design) all.push({ span: doc.analysis.design.model.span, severity: 'warning', ...engineFailed(doc.engineError) });
      return all.map((d) => toLspDiagnostic(doc.index, d));
    },
    completion: (uri, position) => completion(...at(uri, position)),
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
      if (formatted === undefined || formatted === doc.analysis.text) return [];
      const end = doc.index.positionAt(doc.analysis.text.length);
      return [{ range: { start: { line: 0, character: 0 }, end }, newText: formatted }];
    },
    codeLenses: (uri) => codeLenses(need(uri)),
  };
}
