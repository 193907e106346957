/**
 * The heavy phase: schedule views (the event simulator, one or every strategy, scenarios). Runs inside a worker
 * (worker_threads in Node, a Web Worker in the browser designer) so the language server's request thread never waits
 * for it. Pure: the same function in both, fed the frozen design the server's phase cache checked (sent once per
 * text, kept here by its phase id), never re-parsing the text — so an edit is still analysed exactly once.
 *
 * The result leaves the worker already cut into JSON chunks of events (`ScheduleEventsChunk.events`): turning a
 * frame of 200,000 events into text is done here, off the server's thread, which only forwards the pieces.
 */
import type { Design } from '../../../../engine/design';
import type { RoutingTrace } from '../../../../engine/routing-trace';
import { scheduleView } from '../../../../webviews/host/views';
import type { ScheduleView } from '../../../../webviews/protocol';

export type HeavyKind = 'schedule' | 'compare' | 'scenario';

export interface HeavyJob {
  kind: HeavyKind;
  /** The phase id of the text the design was checked from (the worker keeps its copy of the design under it). */
  designId: number;
  uri: string;
  task: string;
  target: string;
  scenario?: string;
}

/** Main thread → worker. `design` is sent only the first time a design id is used. */
export type HeavyRequest =
  | { type: 'design'; designId: number; design: Design; traces: [string, RoutingTrace][] }
  | { type: 'job'; id: number; job: HeavyJob };

export interface HeavyOutput {
  /** The view with `events: []` in every run; undefined when the task or target does not exist. */
  view: ScheduleView | undefined;
  /** Per run, its events as JSON chunks of at most `CHUNK_EVENTS` events each. */
  chunks: string[][];
}

/** Worker → main thread. */
export type HeavyReply = { type: 'done'; id: number; output: HeavyOutput } | { type: 'failed'; id: number; message: string };

/** Events per chunk: ~300 KB of JSON, a millisecond or two to forward. */
export const CHUNK_EVENTS = 2048;

export function runHeavyJob(design: Design, traces: ReadonlyMap<string, RoutingTrace>, job: HeavyJob): HeavyOutput {
  const scenario = job.kind === 'scenario' ? job.scenario : undefined;
  const view = scheduleView(design, job.task, job.target, job.uri, scenario, traces, job.kind === 'compare');
  if (!view) return { view: undefined, chunks: [] };
  const chunks = view.runs.map((run) => {
    const out: string[] = [];
    for (let i = 0; i < run.events.length; i += CHUNK_EVENTS) out.push(JSON.stringify(run.events.slice(i, i + CHUNK_EVENTS)));
    return out;
  });
  return { view: { ...view, runs: view.runs.map((r) => ({ ...r, events: [] })) }, chunks };
}

/** The worker's message loop, shared by the Node and browser entries: keeps the last few designs by phase id. */
export function createHeavyHandler(reply: (message: HeavyReply) => void): (request: HeavyRequest) => void {
  const designs = new Map<number, { design: Design; traces: Map<string, RoutingTrace> }>();
  return (request) => {
    if (request.type === 'design') {
      designs.set(request.designId, { design: request.design, traces: new Map(request.traces) });
      // Open documents plus the one just replaced; older ids are never asked for again.
      while (designs.size > 8) designs.delete(designs.keys().next().value as number);
      return;
    }
    const held = designs.get(request.job.designId);
    if (!held) {
      reply({ type: 'failed', id: request.id, message: `design ${request.job.designId} was not sent to the worker` });
      return;
    }
    try {
      reply({ type: 'done', id: request.id, output: runHeavyJob(held.design, held.traces, request.job) });
    } catch (error) {
      reply({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  };
}
