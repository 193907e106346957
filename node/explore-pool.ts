/**
 * Runs an exploration on worker_threads (Node: the CLI, the language server). The space (or shard) is cut into
 * chunks handed out from a queue, so workers stay busy whatever each chunk costs; each chunk comes back as a tally
 * and the tallies merge into the one result a single-thread run gives (tally.ts). A search runs one NSGA-II island
 * per worker (seeds derived from the explore's seed) and merges their fronts. Cancel: an AbortSignal sets a shared
 * flag every worker reads between points; the pool then resolves with the partial result (`cancelled: true`).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../engine/design';
import type { RoutingTrace } from '../engine/routing-trace';
import {
  buildResult,
  DEFAULT_EVALUATIONS,
  ExploreRun,
  findExplore,
  islandSeed,
  mergeTallies,
  modeOf,
  shardRange,
  clockRunLength,
  type ExploreProgress,
  type ExploreResult,
  type ExploreTally,
  type SearchSettings,
  type SearchStats,
} from '../engine/explore/index';
import { frameOfSpace } from '../engine/explore/result';
import type { FromExploreWorker, ToExploreWorker } from './explore-protocol';

export interface PoolOptions {
  name?: string;
  workers: number;
  traces?: ReadonlyMap<string, RoutingTrace>;
  shard?: { index: number; count: number };
  search?: SearchSettings;
  mode?: 'auto' | 'exhaustive' | 'search';
  signal?: AbortSignal;
  onProgress?: (p: ExploreProgress) => void;
  /** Points per chunk handed to a worker (default: about 1/32 of each worker's share, 256..4096). */
  chunk?: number;
  workerPath?: string;
  /**
   * Workers kept between runs (a language server's, a benchmark's): a run takes them from the pool and gives them
   * back, so it pays neither the worker start (~50–90 ms here) nor a cold JIT. Without one, each run starts its own.
   */
  pool?: ExploreWorkerPool;
}

/**
 * Starts one explore worker: the bundle, or (tests under tsx) the TypeScript source through tsx's CommonJS hook.
 * The bundle is plain CommonJS, so it starts without the parent's module-loader flags: a worker inherits
 * `process.execArgv`, and a parent run as `node --import tsx` (the benchmarks, a developer's shell) would otherwise
 * make every worker load tsx and start its own loader-hooks thread, which doubled a worker's time to its first result
 * (measured: 64–82 ms without, 137–197 ms with, on the Edge-MoE sample's first 453 points).
 */
function startWorker(path: string): Worker {
  if (path.endsWith('.ts')) return new Worker(`require('tsx/cjs'); require(${JSON.stringify(path)});`, { eval: true });
  const kept = withoutLoaderFlags(process.execArgv);
  if (kept.length === process.execArgv.length) return new Worker(path);
  try {
    return new Worker(path, { execArgv: kept });
  } catch (error) {
    // A list given explicitly must hold only flags a worker accepts; inherited, per-process ones (V8 heap sizes,
    // --title, …) are ignored instead. The parent had such a flag too: inherit everything, loader flags included.
    if ((error as { code?: string }).code === 'ERR_WORKER_INVALID_EXEC_ARGV') return new Worker(path);
    throw error;
  }
}

/** Node's flags that load code before the entry point (each takes a value, inline after `=` or as the next word). */
const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** `argv` without the module-loader flags and their values; every other flag (memory limits, …) is kept. */
export function withoutLoaderFlags(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].split('=', 1)[0];
    if (!LOADER_FLAGS.has(flag)) kept.push(argv[i]);
    else if (!argv[i].includes('=')) i++;
  }
  return kept;
}

/**
 * Idle explore workers, reused run after run. A worker is handed back only after a clean end of its part (the pool
 * re-`init`s it for the next design); one that failed or had to be terminated on a cancel is dropped. Idle workers are
 * unref'd, so they never keep a process alive; `close()` ends them.
 */
export class ExploreWorkerPool {
  private idle: Worker[] = [];
  private closed = false;

  constructor(readonly workerPath: string = defaultExploreWorkerPath()) {}

  /** Starts `count` workers now (so the first run finds them ready). */
  warm(count: number): void {
    while (!this.closed && this.idle.length < count) this.release(startWorker(this.workerPath));
  }

  acquire(): Worker {
    const worker = this.idle.pop() ?? startWorker(this.workerPath);
    worker.ref();
    return worker;
  }

  release(worker: Worker): void {
    if (this.closed) {
      void worker.terminate();
      return;
    }
    worker.unref();
    this.idle.push(worker);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}

/** dist/explore-worker.js beside the bundle (dist/cli.js, dist/server.js); under tsx, the TypeScript source. */
export function defaultExploreWorkerPath(): string {
  const beside = join(__dirname, 'explore-worker.js');
  if (existsSync(beside)) return beside;
  const source = join(__dirname, 'explore-worker.ts');
  return existsSync(source) ? source : join(__dirname, '..', '..', 'dist', 'explore-worker.js');
}

export async function exploreInWorkers(design: Design, options: PoolOptions): Promise<ExploreResult> {
  const spec = findExplore(design, options.name);
  // The pool's own run: the space, the budgets and result assembly (it evaluates nothing itself).
  const local = new ExploreRun(design, spec, options.traces);
  const mode = modeOf(local.space, options.mode);
  const shard = options.shard;
  const range = shard ? shardRange(local.space.size, shard.index, shard.count) : { start: 0, end: local.space.size };
  const started = Date.now();
  const workerCount = Math.max(1, Math.floor(options.workers));
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  // Workers stop between points once the flag is set; one still starting up (or stuck in a long point) is
  // terminated after a 25 ms grace period, so a cancel resolves well within 100 ms whatever the workers are doing.
  const live = new Set<() => void>();
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    Atomics.store(flag, 0, 1);
    graceTimer ??= setTimeout(() => [...live].forEach((stop) => stop()), 25);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // Chunks' tallies are folded in as they arrive (a 10^6-point run returns thousands of them).
  let merged: ExploreTally | undefined;
  const searches: SearchStats[] = [];
  const evaluations = options.search?.evaluations ?? DEFAULT_EVALUATIONS;
  const total = mode === 'search' ? Math.min(evaluations, local.space.size) : range.end - range.start;
  let done = 0;
  let lastProgress = 0;
  const progress = (force = false) => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    const t = merged;
    options.onProgress({ done, total, evaluated: t?.evaluated ?? 0, skipped: t?.skipped ?? 0, failedBudgets: t?.failedBudgets ?? 0, front: t?.front.length ?? 0 });
  };

  const chunk = options.chunk ?? Math.min(4096, Math.max(256, Math.ceil(total / workerCount / 32)));
  // Chunks end on a clock-run boundary (runs of points that differ only in clock share their plan and makespan): a
  // run split across two workers would have its shared part computed by both.
  const run = clockRunLength(local.space);
  const chunkEnd = (start: number) => Math.min(range.end, Math.max(start + 1, Math.ceil((start + chunk) / run) * run));
  let next = range.start;
  const jobs: ToExploreWorker[] = [];
  if (mode === 'search') {
    const base = options.search?.seed ?? spec.seed;
    for (let w = 0; w < workerCount; w++) {
      const island = shard ? shard.index * workerCount + w : w;
      jobs.push({
        type: 'search',
        settings: { ...options.search, seed: island === 0 ? base : islandSeed(base, island), evaluations: Math.ceil(evaluations / workerCount) },
      });
    }
  }
  const nextJob = (): ToExploreWorker | undefined => {
    if (Atomics.load(flag, 0) === 1) return undefined;
    if (mode === 'search') return jobs.shift();
    if (next >= range.end) return undefined;
    const start = next;
    next = chunkEnd(start);
    return { type: 'range', start, end: next };
  };

  const path = options.workerPath ?? defaultExploreWorkerPath();
  const pool = options.pool;
  const traces = [...(options.traces ?? new Map())];
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = pool ? pool.acquire() : startWorker(path);
      let settled = false;
      /** `reusable`: the worker ended its part cleanly (no job in flight) and may serve the pool's next run. */
      const finish = (error?: Error, reusable = false) => {
        if (settled) return;
        settled = true;
        live.delete(stopNow);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (pool && reusable && !error) pool.release(worker);
        else void worker.terminate();
        if (error) reject(error);
        else resolve();
      };
      const stopNow = () => finish();
      live.add(stopNow);
      const send = () => {
        const job = nextJob();
        if (!job) return finish(undefined, true);
        worker.postMessage(job);
      };
      const onMessage = (m: FromExploreWorker) => {
        if (m.type === 'progress') {
          done += m.done;
          progress();
        } else if (m.type === 'tally') {
          merged = merged ? mergeTallies([merged, m.tally], local.signs) : m.tally;
          if (m.search) searches.push(m.search);
          send();
        } else finish(new Error(`explore worker: ${m.message}`));
      };
      const onError = (e: Error) => finish(e);
      const onExit = (code: number) => finish(code === 0 || settled ? undefined : new Error(`explore worker exited with code ${code}`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'init', design, name: spec.name, traces, cancel } satisfies ToExploreWorker);
      send();
    });

  try {
    await Promise.all(Array.from({ length: mode === 'search' ? Math.min(workerCount, jobs.length) : Math.min(workerCount, Math.ceil(total / chunk) || 1) }, runWorker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (graceTimer) clearTimeout(graceTimer);
  }
  const cancelled = Atomics.load(flag, 0) === 1;
  const tally = merged ?? local.tally;
  if (cancelled) tally.cancelled = true;
  progress(true);
  const search: SearchStats | undefined =
    mode === 'search' && searches.length > 0
      ? { ...searches[0], generations: searches.reduce((n, s) => n + s.generations, 0), evaluated: searches.reduce((n, s) => n + s.evaluated, 0) }
      : undefined;
  return buildResult(frameOfSpace(local.space, local.budgetTexts), local.budgetTexts, tally, {
    mode,
    search,
    shard: shard ? { index: shard.index, count: shard.count, ...range } : undefined,
    elapsedMs: Date.now() - started,
  });
}
