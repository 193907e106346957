/**
 * The heavy phase: schedule views (the event simulator, one or every strategy, scenarios). Runs inside a worker
 * (worker_threads in Node, a Web Worker in the browser designer) so the language server's request thread never waits
 * for it. Pure: the same function in both, fed the frozen design the server's phase cache checked (sent once per
 * text, kept here by its phase id), never re-parsing the text — so an edit is still analysed exactly once.
 *
 * The result leaves the worker already cut into compact chunks of events (`ScheduleEventsChunk.events`): encoding a
 * frame of 200,000 events is done here, off the server's thread, which only forwards the pieces.
 */
import { analyzeDesign, type AnalysisReport } from '../../../../engine/analyze';
import type { Design } from '../../../../engine/design';
import type { RoutingTrace } from '../../../../engine/routing-trace';
import { scheduleView } from '../../../../webviews/host/views';
import type { ScheduleView } from '../../../../webviews/protocol';
import { encodeEvents, type EncodedEvents } from '../protocol';

/** `report`: the engine report of the design (the phase cache's report phase, off the request thread). */
export type HeavyKind = 'schedule' | 'compare' | 'scenario' | 'report';

export interface HeavyJob {
  kind: HeavyKind;
  /**
   * Identifies the design and the routing trace it is costed with (the phase id of its text and the trace's serial):
   * the worker keeps its copy of both under it.
   */
  designId: string;
  uri: string;
  task: string;
  target: string;
  scenario?: string;
}

/** Main thread → worker. `design` is sent only the first time a design id is used. */
export type HeavyRequest =
  | { type: 'design'; designId: string; design: Design; traces: [string, RoutingTrace][] }
  | { type: 'job'; id: number; job: HeavyJob };

export interface HeavyOutput {
  /** The view with `events: []` in every run; undefined when the task or target does not exist (or for a report). */
  view: ScheduleView | undefined;
  /** A `report` job's result. */
  report?: AnalysisReport;
  /** Per run, its events as encoded chunks of at most `CHUNK_EVENTS` events each. */
  chunks: EncodedEvents[][];
}

/**
 * Worker → main thread. A job's chunks come as messages of their own before its `done`: the main thread then takes
 * them in pieces (each a few hundred KB) between other work, never one message of tens of MB at once.
 */
export type HeavyReply =
  | { type: 'chunk'; id: number; run: number; events: EncodedEvents }
  | { type: 'done'; id: number; view: ScheduleView | undefined; runs: number; report?: AnalysisReport }
  | { type: 'failed'; id: number; message: string };

/** Events per chunk: ~70 KB of JSON, well under a millisecond to forward. */
export const CHUNK_EVENTS = 2048;

export function runHeavyJob(design: Design, traces: ReadonlyMap<string, RoutingTrace>, job: HeavyJob): HeavyOutput {
  // skipSwitch: as the phase cache computes it in place (language/src/phases.ts): no editor feature shows switch costs.
  if (job.kind === 'report') return { view: undefined, chunks: [], report: analyzeDesign(design, { traces, skipSwitch: true }) };
  const scenario = job.kind === 'scenario' ? job.scenario : undefined;
  const view = scheduleView(design, job.task, job.target, job.uri, scenario, traces, job.kind === 'compare');
  if (!view) return { view: undefined, chunks: [] };
  const chunks = view.runs.map((run) => {
    const out: EncodedEvents[] = [];
    for (let i = 0; i < run.events.length; i += CHUNK_EVENTS) out.push(encodeEvents(run.events.slice(i, i + CHUNK_EVENTS), job.uri));
    return out;
  });
  return { view: { ...view, runs: view.runs.map((r) => ({ ...r, events: [] })) }, chunks };
}

/** The worker's message loop, shared by the Node and browser entries: keeps the last few designs by phase id. */
export function createHeavyHandler(reply: (message: HeavyReply) => void): (request: HeavyRequest) => void {
  const designs = new Map<string, { design: Design; traces: Map<string, RoutingTrace> }>();
  return (request) => {
    if (request.type === 'design') {
      designs.set(request.designId, { design: request.design, traces: new Map(request.traces) });
      // Open documents plus the one just replaced; older ids are never asked for again.
      while (designs.size > 8) designs.delete(designs.keys().next().value as string);
      return;
    }
    const held = designs.get(request.job.designId);
    if (!held) {
      reply({ type: 'failed', id: request.id, message: `design ${request.job.designId} was not sent to the worker` });
      return;
    }
    try {
      const output = runHeavyJob(held.design, held.traces, request.job);
      output.chunks.forEach((chunks, run) => chunks.forEach((events) => reply({ type: 'chunk', id: request.id, run, events })));
      reply({ type: 'done', id: request.id, view: output.view, runs: output.chunks.length, report: output.report });
    } catch (error) {
      reply({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  };
}
