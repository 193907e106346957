/**
 * The exploration job of the language server's explore worker (worker_threads in Node, a Web Worker in the browser
 * designer): the same pure loop in both, over the frozen design the server's phase cache checked. It runs the
 * engine's own `ExploreRun` (engine/explore/run.ts) in slices of SLICE_MS, yielding to the worker's event loop between
 * them so a `cancel` message is read within one slice, and keeps the points a scatter needs (exploreSample.ts).
 *
 * Why not node/explore-pool.ts: the pool returns a front and tallies, not the points around it, and it is Node-only;
 * the server also keeps one core for its request thread on the small machines this runs on, so one worker it is.
 */
import type { Design } from '../../../engine/design';
import type { RoutingTrace } from '../../../engine/routing-trace';
import { DEFAULT_EVALUATIONS, ExploreRun, findExplore, modeOf, type ExploreProgress } from '../../../engine/explore/run';
import { buildResult, frameOfSpace } from '../../../engine/explore/result';
import { digitsOf } from '../../../engine/explore/space';
import type { SearchStats } from '../../../engine/explore/search';
import { PointSampler, pointColumns } from './exploreSample';
import type { ExploreRunView } from './protocol';

/** Main thread → worker. */
export type ExploreWorkerRequest =
  | { type: 'start'; id: number; design: Design; traces: [string, RoutingTrace][]; explore: string; sample: number }
  | { type: 'cancel'; id: number };

/** Worker → main thread. */
export type ExploreWorkerReply =
  | { type: 'progress'; id: number; progress: ExploreProgress; elapsedMs: number }
  | { type: 'done'; id: number; view: Omit<ExploreRunView, 'designName'> }
  | { type: 'failed'; id: number; message: string };

/** Work between two looks at the event loop: a cancel lands within this plus one point. */
export const SLICE_MS = 10;
const PROGRESS_MS = 100;

/** Gives the event loop a turn (a macrotask, so incoming messages are handled), without timer clamping. */
export function defaultYield(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}

/** The worker's message loop, shared by the Node and browser entries. */
export function createExploreHandler(reply: (m: ExploreWorkerReply) => void, yieldNow: () => Promise<void> = defaultYield): (request: ExploreWorkerRequest) => void {
  const cancelled = new Set<number>();
  return (request) => {
    if (request.type === 'cancel') {
      cancelled.add(request.id);
      return;
    }
    runExploreJob(request, reply, () => cancelled.has(request.id), yieldNow).then(
      () => cancelled.delete(request.id),
      (error: unknown) => {
        cancelled.delete(request.id);
        reply({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
      },
    );
  };
}

export async function runExploreJob(
  request: Extract<ExploreWorkerRequest, { type: 'start' }>,
  reply: (m: ExploreWorkerReply) => void,
  isCancelled: () => boolean,
  yieldNow: () => Promise<void> = defaultYield,
): Promise<void> {
  const started = Date.now();
  const spec = findExplore(request.design, request.explore);
  const sampler = new PointSampler(request.sample);
  // Every point the engine evaluates passes through evaluateDigits, in the exhaustive loop and in the search alike.
  class SampledRun extends ExploreRun {
    override evaluateDigits(index: number, digits: readonly number[]) {
      const outcome = super.evaluateDigits(index, digits);
      sampler.offer(index, outcome);
      return outcome;
    }
  }
  const run = new SampledRun(request.design, spec, new Map(request.traces));
  const mode = modeOf(run.space);
  let lastProgress = 0;
  const progress = (done: number, total: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_MS) return;
    lastProgress = now;
    reply({ type: 'progress', id: request.id, progress: run.progress(done, total), elapsedMs: now - started });
  };
  let search: SearchStats | undefined;
  if (mode === 'search') {
    const total = Math.min(DEFAULT_EVALUATIONS, run.space.size);
    const steps = run.searchSteps({}, isCancelled);
    let sliceEnd = Date.now() + SLICE_MS;
    for (;;) {
      const r = steps.next();
      if (r.done) {
        search = r.value;
        break;
      }
      progress(r.value.evaluated, total);
      if (Date.now() >= sliceEnd) {
        await yieldNow();
        sliceEnd = Date.now() + SLICE_MS;
      }
    }
    progress(search.evaluated, total, true);
  } else {
    const total = run.space.size;
    const digits = new Array<number>(run.space.radices.length);
    let i = 0;
    while (i < total) {
      const sliceEnd = Date.now() + SLICE_MS;
      // The clock is read every 8 points: a point takes 50 µs to 1 ms on a loaded machine, Date.now() ~50 ns.
      while (i < total) {
        run.evaluateDigits(i, digitsOf(run.space, i, digits));
        i++;
        if ((i & 7) === 0 && Date.now() >= sliceEnd) break;
      }
      progress(i, total, i === total);
      if (i < total) {
        await yieldNow();
        if (isCancelled()) {
          run.cancel();
          progress(i, total, true);
          break;
        }
      }
    }
  }
  const tally = run.tally;
  const { tally: _raw, ...result } = buildResult(frameOfSpace(run.space, run.budgetTexts), run.budgetTexts, tally, { mode, search, elapsedMs: Date.now() - started });
  reply({ type: 'done', id: request.id, view: { result, points: pointColumns(run.space, tally.front, sampler) } });
}
