/**
 * The M3V language server's extensions to LSP (rust-analyzer's `lsp_ext` habit): the custom requests and
 * notifications through which every face — the VS Code extension and the browser designer — gets what its panels and
 * status bar show. The server is the only process that analyses; a face sends the document (LSP sync) and asks for
 * view models here. Documented one by one in docs/extension.md ("Custom LSP requests").
 *
 * Pure types and method names: imported by the server (language/src/server/), the extension (extension/) and the
 * designer page (webviews/designer/), none of which may import another's transport.
 *
 * Every request names a document (`textDocument.uri`, and optionally the `version` the client has: the server then
 * answers for at least that version) and answers with the version it analysed, so a client can drop an answer
 * overtaken by a newer edit. A design with errors answers `stale` with a one-line, located reason instead of a view.
 */
import type { Span } from '../../../engine/design';
import type { ResourcesView, ScheduleEvent, ScheduleView } from '../../../webviews/protocol';

/** Bumped on any incompatible change of a request below; the server reports it in `initialize`'s `serverInfo`. */
export const M3V_LSP_EXTENSIONS_VERSION = 1;

export interface DocumentParams {
  textDocument: { uri: string; version?: number };
}

/** A document plus the task and target to show (names as written in the design). */
export interface SelectionParams extends DocumentParams {
  task: string;
  target: string;
}

/** The answer for one version of a document: the view, or why there is none. */
export type ViewResult<V> =
  | { uri: string; version: number; view: V }
  /** One line, located as `line:col: message` when the design has an error (1-based like the CLI). */
  | { uri: string; version: number; stale: string };

/** Latency and on-chip use of one task on one target at the target's own strategy (the status bar's figures). */
export interface StatusFigures {
  latencySeconds: number;
  /** On-chip memory of the target's selected strategy in percent of BRAM + URAM capacity. */
  onchipPercent: number;
  budgetsViolated: number;
}

export interface DesignSummary {
  uri: string;
  version: number;
  /** One located line when no checked design is available (syntax or semantic errors). */
  problem?: string;
  designName: string;
  tasks: string[];
  targets: string[];
  scenarios: string[];
  /** Where each task's name is written, for "reveal" actions. */
  taskSpans: Record<string, Span>;
  /** Status figures of every task × target (small: one line of numbers each). */
  status: { task: string; target: string; figures: StatusFigures }[];
}

/** `m3v/designSummary`: names, problem and status figures of a document (cheap: parse, check and one report). */
export const DESIGN_SUMMARY = 'm3v/designSummary';
/** `m3v/resourcesView`: the Resources panel for one task on one target (every strategy of that target). */
export const RESOURCES_VIEW = 'm3v/resourcesView';
/** `m3v/scheduleView`: one frame of the task at the target's own strategy (the Schedule panel). Runs in a worker. */
export const SCHEDULE_VIEW = 'm3v/scheduleView';
/** `m3v/compareStrategies`: one frame of the task under every strategy, the target's own first. Runs in a worker. */
export const COMPARE_STRATEGIES = 'm3v/compareStrategies';
/** `m3v/simulateScenario`: the scenario's frames at the target's strategy, with one frame's chart. Runs in a worker. */
export const SIMULATE_SCENARIO = 'm3v/simulateScenario';

export interface ScenarioParams extends SelectionParams {
  scenario: string;
}

/**
 * Schedule requests may carry LSP's `partialResultToken`. Then the events of each run arrive first, as `$/progress`
 * values of this shape on that token, in order, and the final result's runs carry `events: []`: a frame of a large
 * design has hundreds of thousands of events, and one message of that size would hold the server's thread (and every
 * completion behind it) while it is written. Without the token the result carries every event.
 */
export interface ScheduleEventsChunk {
  /** Index into the result's `runs`. */
  run: number;
  /** The next events of that run, as JSON text of a `ScheduleEvent[]` (written by the worker, parsed by the client). */
  events: string;
}

export interface ScheduleRequestParams extends SelectionParams {
  partialResultToken?: string | number;
}

/** Method → params and result, for typed wrappers on both sides. */
export interface M3vRequests {
  [DESIGN_SUMMARY]: { params: DocumentParams; result: DesignSummary };
  [RESOURCES_VIEW]: { params: SelectionParams; result: ViewResult<ResourcesView> };
  [SCHEDULE_VIEW]: { params: ScheduleRequestParams; result: ViewResult<ScheduleView> };
  [COMPARE_STRATEGIES]: { params: ScheduleRequestParams; result: ViewResult<ScheduleView> };
  [SIMULATE_SCENARIO]: { params: ScheduleRequestParams & { scenario: string }; result: ViewResult<ScheduleView> };
}
export type M3vMethod = keyof M3vRequests;

/**
 * `m3v/designChanged` (server → client notification): the analysis of an open document changed without an edit of
 * it (a routing trace file it names was written). Clients re-request what they show.
 */
export const DESIGN_CHANGED = 'm3v/designChanged';
export interface DesignChangedParams {
  uri: string;
}

/** Puts streamed chunks back into a result whose runs were sent without events. */
export function joinScheduleChunks(view: ScheduleView, chunks: readonly ScheduleEventsChunk[]): ScheduleView {
  const events: ScheduleEvent[][] = view.runs.map((r) => r.events.slice());
  for (const c of chunks) {
    const list = events[c.run];
    if (!list) continue;
    for (const e of JSON.parse(c.events) as ScheduleEvent[]) list.push(e);
  }
  return { ...view, runs: view.runs.map((r, i) => ({ ...r, events: events[i] })) };
}
