/**
 * Messages between the browser designer's page and its language worker (`languageWorker.ts`). The worker runs the
 * same language services as the language server (`createLanguageServices`) and the same view-model builder as the
 * extension host (`webviews/host/engineAnalyzer.ts`), so markers, completion, hover and panel figures are the ones
 * VS Code and `m3v analyze --json` show. LSP shapes (0-based lines and characters) cross this boundary; the page
 * converts them to monaco's 1-based ones in one place (`monacoConvert.ts`).
 */
import type { CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Position, TextEdit } from 'vscode-languageserver-types';
import type { PrepareRenameResult, RenameResult } from '../../language/src/services/navigation';
import type { HostMessage } from '../protocol';

/** Page → worker. */
export type PageRequest =
  /** The editor's text changed (or a design was opened): analyse it and answer with `analysis`. */
  | { type: 'update'; uri: string; version: number; text: string; task?: string; target?: string }
  /**
   * Re-send the views for another selection without re-analysing: task, target, and the Schedule panel's mode (every
   * strategy side by side; a scenario, `null` to leave it), as the extension's Compare Strategies / Simulate Scenario.
   */
  | { type: 'select'; uri: string; task?: string; target?: string; compare?: boolean; scenario?: string | null }
  | { type: 'completion'; id: number; uri: string; position: Position }
  | { type: 'hover'; id: number; uri: string; position: Position }
  | { type: 'format'; id: number; uri: string }
  | { type: 'definition'; id: number; uri: string; position: Position }
  | { type: 'references'; id: number; uri: string; position: Position }
  | { type: 'prepareRename'; id: number; uri: string; position: Position }
  | { type: 'rename'; id: number; uri: string; position: Position; newName: string }
  | { type: 'symbols'; id: number; uri: string }
  | { type: 'folding'; id: number; uri: string };

/** What each request answers (`result` of a `reply`). */
export interface ReplyResults {
  completion: CompletionItem[];
  hover: Hover | null;
  format: TextEdit[];
  definition: Location[];
  references: Location[];
  prepareRename: PrepareRenameResult;
  rename: RenameResult;
  symbols: DocumentSymbol[];
  folding: FoldingRange[];
}

export interface AnalysisMessage {
  type: 'analysis';
  uri: string;
  version: number;
  diagnostics: Diagnostic[];
  /** What each panel shows now: a view, or a `stale` line naming the first error with its location. */
  resources: HostMessage;
  schedule: HostMessage;
  /** The tasks/targets of the design and the ones shown (absent while the design has errors). */
  selection?: Extract<HostMessage, { type: 'selection' }>;
  /** The design's scenarios, and the Schedule panel's mode. */
  scenarios: string[];
  compare: boolean;
  scenario?: string;
  /** Worker time for this update, ms (shown in the page footer; the browser test reports it). */
  elapsedMs: number;
}

/** Worker → page. */
export type WorkerReply =
  | AnalysisMessage
  | { type: 'reply'; id: number; result: ReplyResults[keyof ReplyResults] }
  /** A request failed inside the worker (a bug, not user input): the page shows it and keeps the editor working. */
  | { type: 'error'; id?: number; message: string };
