/**
 * Running an exploration: the pure API shared by the CLI's worker pool, the language server and a browser worker.
 *
 * - `ExploreRun` holds the space, the evaluator and the tally; `step(from, to)` evaluates a range of point indices
 *   (what a worker does with its chunk), `search()` runs NSGA-II, `result()` assembles the report.
 * - `explore()` runs a whole space (or a shard) in this thread; `exploreAsync()` does the same in slices, yielding
 *   to the event loop between them so an AbortSignal can cancel it (checked between points) and progress shows.
 *
 * Up to SEARCH_ABOVE (10^6) points every point is evaluated, in index order (space.ts); larger spaces, up to
 * REFUSE_ABOVE (10^12, refused beyond by the language with the count and a suggestion), run the seeded search.
 */
import type { Design } from '../design';
import type { RoutingTrace } from '../routing-trace';
import { PointEvaluator } from './evaluate';
import { buildResult, frameOfSpace, signsOf, type ExploreResult } from './result';
import { nsga2Steps, type SearchStats } from './search';
import { clockFreeKeyOf, digitsOf, makeSpace, modelKeyOf, settingsOf, shardRange, type Space } from './space';
import { REFUSE_ABOVE, SEARCH_ABOVE, type ExploreSpec } from './spec';
import { TallyBuilder, type ExploreTally } from './tally';

export { SEARCH_ABOVE, REFUSE_ABOVE };

/** An explore that cannot run as asked (unknown name, too large): the message says what exists. */
export class ExploreRequestError extends Error {}

export interface ExploreProgress {
  /** Points visited (exhaustive) or evaluated (search) so far, of `total`. */
  done: number;
  total: number;
  evaluated: number;
  skipped: number;
  failedBudgets: number;
  front: number;
}

export interface SearchSettings {
  seed?: number;
  /** Default 64. */
  population?: number;
  /** Distinct points evaluated at most; default 20,000. */
  evaluations?: number;
}

export interface ExploreOptions {
  /** The explore block's name; default the design's first. */
  name?: string;
  traces?: ReadonlyMap<string, RoutingTrace>;
  /** `auto` (default): exhaustive up to 10^6 points, search above. */
  mode?: 'auto' | 'exhaustive' | 'search';
  /** Part I (0-based) of N: a contiguous range of indices (exhaustive), or an island seeded seed + I (search). */
  shard?: { index: number; count: number };
  search?: SearchSettings;
  /** Checked between points: true stops the run (the result says `cancelled`). */
  signal?: { readonly aborted: boolean };
  onProgress?: (p: ExploreProgress) => void;
  /** Minimum time between progress events; default 100 ms. */
  progressIntervalMs?: number;
}

export const DEFAULT_POPULATION = 64;
export const DEFAULT_EVALUATIONS = 20_000;

export function findExplore(design: Design, name?: string): ExploreSpec {
  const all = design.explores ?? [];
  if (all.length === 0) throw new ExploreRequestError("the design has no 'explore NAME { … }' block");
  const spec = name === undefined ? all[0] : all.find((e) => e.name === name);
  if (!spec) throw new ExploreRequestError(`unknown explore '${name}'; the design declares: ${all.map((e) => e.name).join(', ')}`);
  return spec;
}

export function modeOf(space: Space, mode: ExploreOptions['mode'] = 'auto'): 'exhaustive' | 'search' {
  if (space.size > REFUSE_ABOVE) throw new ExploreRequestError(`explore '${space.spec.name}' has ${space.size.toExponential(2)} points, more than 10^12: narrow a range or drop a key`);
  if (mode === 'auto') return space.size > SEARCH_ABOVE ? 'search' : 'exhaustive';
  return mode;
}

export class ExploreRun {
  readonly space: Space;
  readonly evaluator: PointEvaluator;
  readonly signs: number[];
  readonly budgetTexts: string[];
  private builder: TallyBuilder;
  private readonly digits: number[];
  private readonly written: number[];
  private readonly toWritten: number[];

  constructor(design: Design, spec: ExploreSpec, traces?: ReadonlyMap<string, RoutingTrace>) {
    this.space = makeSpace(spec);
    this.evaluator = new PointEvaluator(design, spec, traces);
    this.signs = signsOf(spec);
    this.budgetTexts = this.evaluator.budgets.map((b) => b.text);
    this.builder = new TallyBuilder(this.signs, this.budgetTexts.length, spec.axes.map((a) => a.choices.length));
    this.digits = new Array(this.space.radices.length);
    this.written = new Array(spec.axes.length);
    this.toWritten = this.space.order.map((o) => o.written);
  }

  /** Evaluates one point by its digits (enumeration order) and tallies it. */
  evaluateDigits(index: number, digits: readonly number[]) {
    const outcome = this.evaluator.evaluate(settingsOf(this.space, digits), modelKeyOf(this.space, digits), clockFreeKeyOf(this.space, index, digits));
    for (let i = 0; i < digits.length; i++) this.written[this.toWritten[i]] = digits[i];
    this.builder.add(index, this.written, outcome);
    return outcome;
  }

  /** Evaluates points [from, to) in order until `shouldStop`; returns the first index not evaluated. */
  step(from: number, to: number, shouldStop: () => boolean = () => false): number {
    let i = from;
    for (; i < to && !shouldStop(); i++) this.evaluateDigits(i, digitsOf(this.space, i, this.digits));
    return i;
  }

  /** Starts a new, empty tally (a worker's next chunk); the evaluator and its caches are kept. */
  resetTally(): void {
    this.builder = new TallyBuilder(this.signs, this.budgetTexts.length, this.space.spec.axes.map((a) => a.choices.length));
  }

  /** Marks the tally as cut short by a cancel. */
  cancel(): void {
    this.builder.tally.cancelled = true;
  }

  /** The NSGA-II search, one generation per iteration. */
  *searchSteps(settings: SearchSettings, shouldStop: () => boolean): Generator<SearchStats, SearchStats> {
    const stop = () => {
      const s = shouldStop();
      if (s) this.cancel();
      return s;
    };
    return yield* nsga2Steps(this.space, (index, digits) => this.evaluateDigits(index, digits), this.signs, {
      seed: settings.seed ?? this.space.spec.seed,
      population: settings.population ?? DEFAULT_POPULATION,
      evaluations: settings.evaluations ?? DEFAULT_EVALUATIONS,
      shouldStop: stop,
    });
  }

  get tally(): ExploreTally {
    return this.builder.snapshot();
  }

  progress(done: number, total: number): ExploreProgress {
    const t = this.builder.tally;
    return { done, total, evaluated: t.evaluated, skipped: t.skipped, failedBudgets: t.failedBudgets, front: this.builder.frontSize };
  }
}

/** The seed of search island `shard` (shards of a search are independent islands, merged afterwards). */
export function islandSeed(seed: number, shard: number): number {
  return (seed + Math.imul(shard, 0x9e3779b1)) >>> 0;
}

function setup(design: Design, options: ExploreOptions) {
  const spec = findExplore(design, options.name);
  const run = new ExploreRun(design, spec, options.traces);
  const mode = modeOf(run.space, options.mode);
  const shard = options.shard;
  if (shard && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && shard.count >= 1 && shard.index >= 0 && shard.index < shard.count))
    throw new ExploreRequestError(`shard ${shard.index}/${shard.count}: expected I/N with 0 ≤ I < N`);
  const range = shard ? shardRange(run.space.size, shard.index, shard.count) : { start: 0, end: run.space.size };
  const settings: SearchSettings = { ...options.search, seed: islandSeed(options.search?.seed ?? spec.seed, shard?.index ?? 0) };
  if (!shard) settings.seed = options.search?.seed ?? spec.seed;
  const started = Date.now();
  const interval = options.progressIntervalMs ?? 100;
  let lastProgress = started;
  const tick = (done: number, total: number) => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (now - lastProgress < interval && done < total) return;
    lastProgress = now;
    options.onProgress(run.progress(done, total));
  };
  const finish = (search?: SearchStats): ExploreResult =>
    buildResult(frameOfSpace(run.space, run.budgetTexts), run.budgetTexts, run.tally, {
      mode,
      search,
      shard: shard ? { index: shard.index, count: shard.count, ...range } : undefined,
      elapsedMs: Date.now() - started,
    });
  return { run, mode, range, settings, tick, finish };
}

/** Runs the whole space (or a shard of it) in this thread. */
export function explore(design: Design, options: ExploreOptions = {}): ExploreResult {
  const { run, mode, range, settings, tick, finish } = setup(design, options);
  const stop = () => options.signal?.aborted === true;
  if (mode === 'search') {
    const steps = run.searchSteps(settings, stop);
    for (;;) {
      const r = steps.next();
      if (r.done) return finish(r.value);
      tick(r.value.evaluated, settings.evaluations ?? DEFAULT_EVALUATIONS);
    }
  }
  const CHUNK = 256;
  for (let i = range.start; i < range.end; ) {
    i = run.step(i, Math.min(range.end, i + CHUNK), stop);
    if (stop()) {
      run.cancel();
      break;
    }
    tick(i - range.start, range.end - range.start);
  }
  return finish();
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * As `explore`, in slices of about `sliceMs` (default 10 ms) with the event loop running between them: a language
 * server or a browser worker stays responsive, and `signal.abort()` stops the run within one slice plus one point.
 */
export async function exploreAsync(design: Design, options: ExploreOptions & { sliceMs?: number } = {}): Promise<ExploreResult> {
  const { run, mode, range, settings, tick, finish } = setup(design, options);
  const sliceMs = options.sliceMs ?? 10;
  let sliceEnd = Date.now() + sliceMs;
  const stop = () => options.signal?.aborted === true;
  if (mode === 'search') {
    const steps = run.searchSteps(settings, stop);
    for (;;) {
      const r = steps.next();
      if (r.done) return finish(r.value);
      tick(r.value.evaluated, settings.evaluations ?? DEFAULT_EVALUATIONS);
      if (Date.now() >= sliceEnd) {
        await yieldToEventLoop();
        sliceEnd = Date.now() + sliceMs;
      }
    }
  }
  for (let i = range.start; i < range.end; ) {
    const stopAt = Date.now() + sliceMs;
    i = run.step(i, range.end, () => stop() || Date.now() >= stopAt);
    if (stop()) {
      run.cancel();
      break;
    }
    tick(i - range.start, range.end - range.start);
    if (i < range.end) await yieldToEventLoop();
  }
  return finish();
}
