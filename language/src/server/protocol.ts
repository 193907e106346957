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
import type { ExploreProgress } from '../../../engine/explore/run';
import type { ExplorePointColumns, ExploreRunView, ResourcesView, ScheduleEvent, ScheduleView } from '../../../webviews/protocol';
export type { ExplorePointColumns, ExploreRunView };

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
  /** The design's explore blocks with their code lens text (the Design Space panel's picker); absent: none. */
  explores?: { name: string; lens: string }[];
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
  /** The next events of that run, compactly (`EncodedEvents`, ~6× smaller than ScheduleEvent JSON); see decodeEvents. */
  events: EncodedEvents;
}

/**
 * Events in columns with string tables: `rows` holds EVENT_COLUMNS numbers per event — lane, start, end, index into
 * `labels`, index into `kinds`, layer (-1: none), buffer (0 none, 1 ping, 2 pong), index into `links` (-1: none),
 * expert (-1: none; the id the Gantt chart writes on expert bars), count (0: one event; > 1: an aggregate of that
 * many). Every event of a chunk has the chunk's `task`, and its link is into the document `uri`.
 */
export const EVENT_COLUMNS = 10;

export interface EncodedEvents {
  task?: string;
  uri: string;
  labels: string[];
  kinds: string[];
  links: [number, number][];
  rows: number[];
}

const BUFFERS = [undefined, 'ping', 'pong'] as const;

export function encodeEvents(events: readonly ScheduleEvent[], uri: string): EncodedEvents {
  const labels = new Map<string, number>();
  const kinds = new Map<string, number>();
  const links = new Map<string, number>();
  const linkList: [number, number][] = [];
  const rows: number[] = [];
  const index = (table: Map<string, number>, key: string) => {
    let i = table.get(key);
    if (i === undefined) table.set(key, (i = table.size));
    return i;
  };
  for (const e of events) {
    let link = -1;
    if (e.link) {
      const key = `${e.link.start}:${e.link.end}`;
      link = links.get(key) ?? -1;
      if (link < 0) {
        link = linkList.length;
        links.set(key, link);
        linkList.push([e.link.start, e.link.end]);
      }
    }
    rows.push(e.lane, e.start, e.end, index(labels, e.label), index(kinds, e.kind), e.layer ?? -1, e.buffer === 'ping' ? 1 : e.buffer === 'pong' ? 2 : 0, link, e.expert ?? -1, e.count ?? 0);
  }
  return { task: events[0]?.task, uri, labels: [...labels.keys()], kinds: [...kinds.keys()], links: linkList, rows };
}

export function decodeEvents(encoded: EncodedEvents): ScheduleEvent[] {
  const out: ScheduleEvent[] = [];
  const r = encoded.rows;
  for (let i = 0; i + EVENT_COLUMNS - 1 < r.length; i += EVENT_COLUMNS) {
    const e: ScheduleEvent = { lane: r[i], start: r[i + 1], end: r[i + 2], label: encoded.labels[r[i + 3]], kind: encoded.kinds[r[i + 4]] };
    if (encoded.task !== undefined) e.task = encoded.task;
    if (r[i + 5] >= 0) e.layer = r[i + 5];
    const buffer = BUFFERS[r[i + 6]];
    if (buffer) e.buffer = buffer;
    const link = encoded.links[r[i + 7]];
    if (link) e.link = { uri: encoded.uri, start: link[0], end: link[1] };
    if (r[i + 8] >= 0) e.expert = r[i + 8];
    if (r[i + 9] > 0) e.count = r[i + 9];
    out.push(e);
  }
  return out;
}

export interface ScheduleRequestParams extends SelectionParams {
  partialResultToken?: string | number;
}

/**
 * `m3v/statistics`: how often each phase really ran in this server (instrumented counters, for the editor benchmark
 * and tests: one parse + check and one engine report per edit, however many features and panels ask).
 */
export const STATISTICS = 'm3v/statistics';
export interface ServerStatistics {
  /** Parse + check runs, and engine reports, since the server started. */
  checks: number;
  reports: number;
  /** Schedule jobs run in the worker, those cancelled while running (the worker was restarted), workers started. */
  scheduleRuns: number;
  scheduleCancelledWhileRunning: number;
  workersStarted: number;
}

/** Method → params and result, for typed wrappers on both sides. */
export interface M3vRequests {
  [DESIGN_SUMMARY]: { params: DocumentParams; result: DesignSummary };
  [RESOURCES_VIEW]: { params: SelectionParams; result: ViewResult<ResourcesView> };
  [SCHEDULE_VIEW]: { params: ScheduleRequestParams; result: ViewResult<ScheduleView> };
  [COMPARE_STRATEGIES]: { params: ScheduleRequestParams; result: ViewResult<ScheduleView> };
  [SIMULATE_SCENARIO]: { params: ScheduleRequestParams & { scenario: string }; result: ViewResult<ScheduleView> };
  [STATISTICS]: { params: Record<string, never>; result: ServerStatistics };
  [EXPLORE_START]: { params: ExploreStartParams; result: ViewResult<ExploreRunView> };
  [EXPLORE_CANCEL]: { params: ExploreCancelParams; result: { cancelled: boolean } };
  [EXPLORE_POINT_EDITS]: { params: ExplorePointEditsParams; result: ExplorePointEditsResult };
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

/**
 * Puts streamed chunks back into a result whose runs were sent without events. Chunks are decoded as they arrive
 * (`add`, a millisecond each), so the client's thread never decodes a whole large frame in one go.
 */
export class ScheduleAssembler {
  private readonly events: ScheduleEvent[][] = [];

  add(chunk: ScheduleEventsChunk): void {
    const list = (this.events[chunk.run] ??= []);
    for (const e of decodeEvents(chunk.events)) list.push(e);
  }

  finish(view: ScheduleView): ScheduleView {
    return { ...view, runs: view.runs.map((r, i) => ({ ...r, events: this.events[i] ? r.events.concat(this.events[i]) : r.events })) };
  }
}

export function joinScheduleChunks(view: ScheduleView, chunks: readonly ScheduleEventsChunk[]): ScheduleView {
  const assembler = new ScheduleAssembler();
  for (const c of chunks) assembler.add(c);
  return assembler.finish(view);
}

// ------------------------------------------------------------------ explorations (explore blocks, issue 13)

/**
 * `m3v/exploreStart`: runs the document's `explore NAME { … }` block in the server's explore worker (off the
 * request thread) and answers when it finishes or is cancelled, with the whole tally (`ExploreRunView`). One run at a
 * time per server: a new start cancels the one running. While it runs the server sends `m3v/exploreProgress`
 * notifications (at most ~10 per second). Cancel with `m3v/exploreCancel` (or LSP `$/cancelRequest` of the start
 * request): the run stops within 100 ms and the start request answers with what was evaluated, `cancelled: true`.
 */
export const EXPLORE_START = 'm3v/exploreStart';
/** `m3v/exploreCancel`: stops the running exploration of a document (answers `{ cancelled }`: was one running). */
export const EXPLORE_CANCEL = 'm3v/exploreCancel';
/** `m3v/exploreProgress` (server → client notification): points done of total and the front so far. */
export const EXPLORE_PROGRESS = 'm3v/exploreProgress';

export interface ExploreStartParams extends DocumentParams {
  /** The explore block's name as written (`explore NAME {`). */
  explore: string;
  /**
   * How many points besides the front the answer carries at most, for a scatter (a deterministic sample, the same
   * for the same space whatever the run's speed): default EXPLORE_SAMPLE_DEFAULT, at most EXPLORE_SAMPLE_MAX.
   */
  sample?: number;
}
export const EXPLORE_SAMPLE_DEFAULT = 10_000;
export const EXPLORE_SAMPLE_MAX = 20_000;

export interface ExploreCancelParams {
  textDocument: { uri: string };
}

/** The engine's progress of a run (engine/explore/run.ts), with the document and explore block it belongs to. */
export interface ExploreProgressParams extends ExploreProgress {
  uri: string;
  /** The document version the run explores. */
  version: number;
  explore: string;
  elapsedMs: number;
}

/**
 * `m3v/explorePointEdits`: the text edits that write one point's values into the design (language/src/explorePoint.ts:
 * each varied key's line rewritten, or added to its block). The face applies them as ONE undoable edit
 * (a VS Code WorkspaceEdit, monaco's pushEditOperations); the server writes nothing.
 */
export const EXPLORE_POINT_EDITS = 'm3v/explorePointEdits';
export interface ExplorePointEditsParams extends DocumentParams {
  explore: string;
  /** The point's values, as the run's `values` (KEY → the value as written in .m3v). */
  values: Record<string, string>;
}
export type ExplorePointEditsResult =
  | { uri: string; version: number; edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] }
  | { uri: string; version: number; stale: string };
