/**
 * Seeded multi-objective evolutionary search (NSGA-II, Deb et al., IEEE TEC 2002) over the choice indices of a space
 * too large to enumerate. Constraints by Deb's constrained domination: a point meeting every budget beats one that
 * does not; two failing points compare by total relative excess; a point skipped by a model rule is the worst.
 * Variation: uniform crossover, then per-gene mutation (probability 1/genes) to a neighbouring choice (ordered axes:
 * ranges, lists written in order) or, half the time, to any choice. Each distinct point is evaluated once (memo), and
 * every evaluated point also goes to the run's tally, so the reported front is the exact front of all points seen.
 * Deterministic for a seed: the PRNG is mulberry32 and no step depends on time.
 */
import { mulberry32 } from '../random';
import { dominates } from './pareto';
import type { PointOutcome } from './evaluate';
import { indexOfDigits, type Space } from './space';

export interface SearchOptions {
  seed: number;
  population: number;
  /** Distinct points to evaluate at most. */
  evaluations: number;
  shouldStop: () => boolean;
}

export interface SearchStats {
  algorithm: 'NSGA-II';
  seed: number;
  population: number;
  generations: number;
  evaluated: number;
}

interface Individual {
  digits: number[];
  index: number;
  outcome: PointOutcome;
  rank: number;
  crowding: number;
}

export function nsga2(space: Space, evaluate: (index: number, digits: number[]) => PointOutcome, signs: readonly number[], opts: SearchOptions): SearchStats {
  const steps = nsga2Steps(space, evaluate, signs, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The search one generation at a time (yields the stats so far), so an in-thread caller can yield to its event loop. */
export function* nsga2Steps(space: Space, evaluate: (index: number, digits: number[]) => PointOutcome, signs: readonly number[], opts: SearchOptions): Generator<SearchStats, SearchStats> {
  const random = mulberry32(opts.seed);
  const memo = new Map<number, PointOutcome>();
  const genes = space.radices.length;
  const pick = (n: number) => Math.floor(random() * n);
  const stats: SearchStats = { algorithm: 'NSGA-II', seed: opts.seed, population: opts.population, generations: 0, evaluated: 0 };
  const budget = Math.min(opts.evaluations, space.size);

  const individual = (digits: number[]): Individual => {
    const index = indexOfDigits(space, digits);
    let outcome = memo.get(index);
    if (!outcome) {
      outcome = evaluate(index, digits);
      memo.set(index, outcome);
      stats.evaluated++;
    }
    return { digits, index, outcome, rank: 0, crowding: 0 };
  };

  let population: Individual[] = [];
  const seen = new Set<number>();
  for (let tries = 0; population.length < opts.population && tries < opts.population * 20 && stats.evaluated < budget && !opts.shouldStop(); tries++) {
    const digits = space.radices.map((r) => pick(r));
    const index = indexOfDigits(space, digits);
    if (seen.has(index)) continue;
    seen.add(index);
    population.push(individual(digits));
  }
  rankAndCrowd(population, signs);

  let stale = 0;
  while (stats.evaluated < budget && !opts.shouldStop() && stale < 50) {
    const before = stats.evaluated;
    const offspring: Individual[] = [];
    for (let i = 0; i < opts.population && stats.evaluated < budget; i++) {
      const a = tournament(population, pick);
      const b = tournament(population, pick);
      const child = a.digits.map((d, g) => (random() < 0.5 ? d : b.digits[g]));
      for (let g = 0; g < genes; g++) {
        if (random() >= Math.max(1 / genes, 0.1)) continue;
        const r = space.radices[g];
        if (r === 1) continue;
        if (random() < 0.5) child[g] = pick(r);
        else child[g] = Math.min(r - 1, Math.max(0, child[g] + (random() < 0.5 ? -1 : 1)));
      }
      offspring.push(individual(child));
    }
    stats.generations++;
    stale = stats.evaluated === before ? stale + 1 : 0;
    const merged = dedupe([...population, ...offspring]);
    const fronts = rankAndCrowd(merged, signs);
    const next: Individual[] = [];
    for (const f of fronts) {
      if (next.length + f.length <= opts.population) next.push(...f);
      else {
        next.push(...[...f].sort((x, y) => y.crowding - x.crowding).slice(0, opts.population - next.length));
        break;
      }
    }
    population = next;
    yield stats;
  }
  return stats;
}

function dedupe(xs: Individual[]): Individual[] {
  const seen = new Set<number>();
  return xs.filter((x) => !seen.has(x.index) && (seen.add(x.index), true));
}

function tournament(population: Individual[], pick: (n: number) => number): Individual {
  const a = population[pick(population.length)];
  const b = population[pick(population.length)];
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  return a.crowding >= b.crowding ? a : b;
}

/** Deb's constrained domination. */
function constrainedDominates(a: PointOutcome, b: PointOutcome, signs: readonly number[]): boolean {
  if (a.kind === 'skipped') return false;
  if (b.kind === 'skipped') return true;
  if (a.violation === 0 && b.violation > 0) return true;
  if (a.violation > 0 && b.violation === 0) return false;
  if (a.violation > 0) return a.violation < b.violation;
  return dominates(a.objectives, b.objectives, signs);
}

/** Fast non-dominated sort, then crowding distance per front; sets rank and crowding, returns the fronts. */
function rankAndCrowd(xs: Individual[], signs: readonly number[]): Individual[][] {
  const n = xs.length;
  const dominated: number[][] = xs.map(() => []);
  const count = new Array<number>(n).fill(0);
  const fronts: Individual[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (p === q) continue;
      if (constrainedDominates(xs[p].outcome, xs[q].outcome, signs)) dominated[p].push(q);
      else if (constrainedDominates(xs[q].outcome, xs[p].outcome, signs)) count[p]++;
    }
    if (count[p] === 0) {
      xs[p].rank = 0;
      fronts[0].push(xs[p]);
    }
  }
  const idx = new Map(xs.map((x, i) => [x, i] as const));
  for (let r = 0; fronts[r].length > 0; r++) {
    const next: Individual[] = [];
    for (const p of fronts[r]) {
      for (const q of dominated[idx.get(p)!]) {
        if (--count[q] === 0) {
          xs[q].rank = r + 1;
          next.push(xs[q]);
        }
      }
    }
    fronts.push(next);
  }
  fronts.pop();
  for (const f of fronts) crowding(f, signs.length);
  return fronts;
}

function crowding(front: Individual[], objectives: number): void {
  for (const x of front) x.crowding = 0;
  const ok = front.filter((x) => x.outcome.kind === 'evaluated');
  for (let o = 0; o < objectives; o++) {
    const value = (x: Individual) => (x.outcome as Extract<PointOutcome, { kind: 'evaluated' }>).objectives[o];
    ok.sort((a, b) => value(a) - value(b));
    if (ok.length === 0) return;
    ok[0].crowding = ok[ok.length - 1].crowding = Infinity;
    const span = value(ok[ok.length - 1]) - value(ok[0]);
    if (!(span > 0)) continue;
    for (let i = 1; i < ok.length - 1; i++) ok[i].crowding += (value(ok[i + 1]) - value(ok[i - 1])) / span;
  }
}
