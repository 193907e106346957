/**
 * Runs heavy jobs (jobs.ts) on one worker, off the language server's request thread, with LSP cancellation:
 * a cancelled job still waiting is dropped; a cancelled job already running terminates the worker (JavaScript cannot
 * interrupt a computation in progress) and the next job starts a fresh one. Identical jobs share one run, and
 * finished outputs are kept by (design id, job): the id is the phase cache's, so the cache is keyed by content.
 *
 * One worker on purpose: the machines this runs on have few cores, and the request thread needs one of them.
 */
import type { Design } from '../../../../engine/design';
import type { RoutingTrace } from '../../../../engine/routing-trace';
import type { EncodedEvents } from '../protocol';
import type { HeavyJob, HeavyOutput, HeavyReply, HeavyRequest } from './jobs';

/** What a transport gives the pool: a Node worker thread or a browser Web Worker. */
export interface HeavyWorker {
  post(request: HeavyRequest): void;
  onReply(handler: (reply: HeavyReply) => void): void;
  /** Called with an error message when the worker dies on its own. */
  onExit(handler: (message: string) => void): void;
  terminate(): void;
}

/** The subset of LSP's CancellationToken the pool needs. */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

/** A cancel token the server itself controls (for work a newer edit has made useless). */
export class CancelSource implements CancelToken {
  private cancelled = false;
  private readonly listeners = new Set<() => void>();

  get isCancellationRequested(): boolean {
    return this.cancelled;
  }

  onCancellationRequested(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const l of [...this.listeners]) l();
  }
}

interface Waiter {
  resolve(output: HeavyOutput): void;
  reject(error: Error): void;
}

interface Pending {
  key: string;
  job: HeavyJob;
  payload: () => { design: Design; traces: ReadonlyMap<string, RoutingTrace> };
  waiters: Set<Waiter>;
  id?: number;
  /** Chunks received so far, per run. */
  chunks: EncodedEvents[][];
}

/** Few: a compare of the stress design is ~10 MB of encoded events. */
const KEPT_OUTPUTS = 4;
const KEPT_DESIGNS = 8;

export class HeavyPool {
  private worker: HeavyWorker | undefined;
  /** Design ids the current worker holds, oldest first (mirrors the worker's own eviction). */
  private sent: string[] = [];
  private readonly queue: Pending[] = [];
  private running: Pending | undefined;
  private nextId = 1;
  private readonly outputs = new Map<string, HeavyOutput>();
  /** Counts for the editor benchmark and tests. */
  readonly stats = { runs: 0, cancelledWhileRunning: 0, workersStarted: 0 };

  /**
   * `terminateRunning: false` lets a running job nobody waits for any more finish instead of ending its worker: for
   * reports, which take a few hundred ms warm but several times that in a fresh worker whose JIT is cold.
   */
  constructor(
    private readonly spawn: () => HeavyWorker,
    private readonly options: { terminateRunning: boolean } = { terminateRunning: true },
  ) {}

  run(
    job: HeavyJob,
    payload: () => { design: Design; traces: ReadonlyMap<string, RoutingTrace> },
    token?: CancelToken,
  ): Promise<HeavyOutput> {
    const key = JSON.stringify([job.designId, job.kind, job.task, job.target, job.scenario ?? '', job.uri]);
    const done = this.outputs.get(key);
    if (done) return Promise.resolve(done);
    if (token?.isCancellationRequested) return Promise.reject(new JobCancelled());
    let pending = this.running?.key === key ? this.running : this.queue.find((p) => p.key === key);
    if (!pending) {
      pending = { key, job, payload, waiters: new Set(), chunks: [] };
      this.queue.push(pending);
    }
    const entry = pending;
    return new Promise<HeavyOutput>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      entry.waiters.add(waiter);
      const sub = token?.onCancellationRequested(() => {
        sub?.dispose();
        if (!entry.waiters.delete(waiter)) return;
        reject(new JobCancelled());
        if (entry.waiters.size === 0) this.abandon(entry);
      });
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        sub?.dispose();
        fn(v);
      };
      waiter.resolve = settle(resolve);
      waiter.reject = settle(reject);
      this.pump();
    });
  }

  /** Starts the worker ahead of the first job (its script loads while the client opens documents). */
  warm(): void {
    this.ensureWorker();
  }

  /** Stops the worker (server shutdown). */
  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const p of [...this.queue, ...(this.running ? [this.running] : [])]) for (const w of p.waiters) w.reject(new JobCancelled());
    this.queue.length = 0;
    this.running = undefined;
  }

  private abandon(entry: Pending): void {
    const queued = this.queue.indexOf(entry);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return;
    }
    if (this.running === entry && this.options.terminateRunning) {
      // The only way to stop a computation in progress: end its thread. The next job gets a new worker.
      this.stats.cancelledWhileRunning++;
      this.running = undefined;
      this.worker?.terminate();
      this.worker = undefined;
      this.pump();
    }
  }

  private ensureWorker(): HeavyWorker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    this.stats.workersStarted++;
    this.sent = [];
    worker.onReply((reply) => {
      if (this.worker !== worker) return;
      const entry = this.running;
      if (!entry || entry.id !== reply.id) return;
      if (reply.type === 'chunk') {
        (entry.chunks[reply.run] ??= []).push(reply.events);
        return;
      }
      this.running = undefined;
      if (reply.type === 'done') {
        const output: HeavyOutput = { view: reply.view, chunks: Array.from({ length: reply.runs }, (_, i) => entry.chunks[i] ?? []), report: reply.report };
        this.outputs.set(entry.key, output);
        while (this.outputs.size > KEPT_OUTPUTS) this.outputs.delete(this.outputs.keys().next().value as string);
        for (const w of entry.waiters) w.resolve(output);
      } else for (const w of entry.waiters) w.reject(new Error(reply.message));
      this.pump();
    });
    worker.onExit((message) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const entry = this.running;
      this.running = undefined;
      if (entry) for (const w of entry.waiters) w.reject(new Error(`the schedule worker stopped: ${message}`));
      this.pump();
    });
    this.worker = worker;
    return worker;
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queue.shift();
    if (!next) return;
    const worker = this.ensureWorker();
    if (!this.sent.includes(next.job.designId)) {
      const { design, traces } = next.payload();
      worker.post({ type: 'design', designId: next.job.designId, design, traces: [...traces] });
      this.sent.push(next.job.designId);
      while (this.sent.length > KEPT_DESIGNS) this.sent.shift();
    }
    next.id = this.nextId++;
    this.running = next;
    this.stats.runs++;
    worker.post({ type: 'job', id: next.id, job: next.job });
  }
}
