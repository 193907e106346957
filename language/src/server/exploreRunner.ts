/**
 * The server side of explorations (protocol.ts `m3v/exploreStart` / `m3v/exploreCancel`): one explore worker, one run
 * at a time. The request thread only posts the frozen design and forwards progress; the worker evaluates.
 *
 * Cancel: the worker is told, and answers with its partial result at its next slice (exploreJob.ts, ≤ 10 ms). If it
 * has not within HARD_STOP_MS (a point stuck in a huge design, a worker still loading), the worker is terminated —
 * the only way to stop a computation in progress — and the run answers from its last progress, without points.
 */
import type { Design } from '../../../engine/design';
import type { RoutingTrace } from '../../../engine/routing-trace';
import type { ExploreProgress } from '../../../engine/explore/run';
import type { ExploreWorkerReply, ExploreWorkerRequest } from './exploreJob';
import type { ExploreRunView } from './protocol';

/** What a transport gives the runner: a Node worker thread or a browser Web Worker. */
export interface ExploreWorkerPort {
  post(request: ExploreWorkerRequest): void;
  onReply(handler: (reply: ExploreWorkerReply) => void): void;
  onExit(handler: (message: string) => void): void;
  terminate(): void;
}

export const HARD_STOP_MS = 60;

export interface ExploreJobInput {
  design: Design;
  traces: ReadonlyMap<string, RoutingTrace>;
  explore: string;
  sample: number;
  onProgress(progress: ExploreProgress, elapsedMs: number): void;
}

export type ExploreOutcome = Omit<ExploreRunView, 'designName'> | { cancelledBeforeResult: { progress?: ExploreProgress; elapsedMs: number } };

interface Running {
  id: number;
  key: string;
  input: ExploreJobInput;
  last?: { progress: ExploreProgress; elapsedMs: number };
  resolve(outcome: ExploreOutcome): void;
  reject(error: Error): void;
  hardStop?: ReturnType<typeof setTimeout>;
}

export class ExploreRunner {
  private worker: ExploreWorkerPort | undefined;
  /** Runs the worker has not answered yet: the current one and any cancelled one still finishing its slice. */
  private readonly runs = new Map<number, Running>();
  private running: Running | undefined;
  private nextId = 1;
  readonly stats = { runs: 0, cancelled: 0, hardStops: 0, workersStarted: 0 };

  constructor(private readonly spawn: () => ExploreWorkerPort) {}

  /** Which run is in progress (`key`: the document URI), if any. */
  get current(): string | undefined {
    return this.running?.key;
  }

  /** Starts a run; one already running is cancelled first (its own request answers with its partial result). */
  run(key: string, input: ExploreJobInput): Promise<ExploreOutcome> {
    if (this.running) this.cancel(this.running.key);
    const worker = this.ensureWorker();
    const id = this.nextId++;
    this.stats.runs++;
    return new Promise<ExploreOutcome>((resolve, reject) => {
      const r: Running = { id, key, input, resolve, reject };
      this.runs.set(id, r);
      this.running = r;
      worker.post({ type: 'start', id, design: input.design, traces: [...input.traces], explore: input.explore, sample: input.sample });
    });
  }

  /** Cancels the run of `key`; true if one was running. */
  cancel(key: string): boolean {
    const r = this.running;
    if (!r || r.key !== key) return false;
    this.running = undefined;
    this.stats.cancelled++;
    this.worker?.post({ type: 'cancel', id: r.id });
    r.hardStop = setTimeout(() => {
      if (!this.runs.delete(r.id)) return;
      this.stats.hardStops++;
      // A stuck worker is ended unless a newer run already uses it (that run then waits for it, as it must).
      if (!this.running) {
        this.worker?.terminate();
        this.worker = undefined;
        this.failAll('the explore worker was stopped');
      }
      r.resolve({ cancelledBeforeResult: { progress: r.last?.progress, elapsedMs: r.last?.elapsedMs ?? 0 } });
    }, HARD_STOP_MS);
    return true;
  }

  /** Starts the worker ahead of the first run. */
  warm(): void {
    this.ensureWorker();
  }

  dispose(): void {
    this.running = undefined;
    this.failAll('the language server is shutting down');
    this.worker?.terminate();
    this.worker = undefined;
  }

  private failAll(message: string): void {
    for (const r of this.runs.values()) {
      if (r.hardStop) clearTimeout(r.hardStop);
      r.reject(new Error(message));
    }
    this.runs.clear();
  }

  private ensureWorker(): ExploreWorkerPort {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    this.stats.workersStarted++;
    worker.onReply((reply) => {
      if (this.worker !== worker) return;
      const r = this.runs.get(reply.id);
      if (!r) return;
      if (reply.type === 'progress') {
        r.last = { progress: reply.progress, elapsedMs: reply.elapsedMs };
        r.input.onProgress(reply.progress, reply.elapsedMs);
        return;
      }
      this.runs.delete(r.id);
      if (this.running === r) this.running = undefined;
      if (r.hardStop) clearTimeout(r.hardStop);
      if (reply.type === 'done') r.resolve(reply.view);
      else r.reject(new Error(reply.message));
    });
    worker.onExit((message) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.running = undefined;
      this.failAll(`the explore worker stopped: ${message}`);
    });
    this.worker = worker;
    return worker;
  }
}
