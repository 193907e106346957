/**
 * What a run (or a part of one: a worker's chunk, a shard) has seen so far, in a JSON-safe form that merges
 * exactly: counts add, the fronts' union is filtered again (a point dominated in one part's front is dominated in
 * the union), and the per-value sums of the objectives add. Merging the parts of a space in any order gives the same
 * front as one run over all of it.
 */
import { ParetoFront, type FrontEntry } from './pareto';
import type { SkipRule } from './apply';
import type { PointOutcome } from './evaluate';

export interface ExploreTally {
  /** Points looked at: evaluated + skipped. */
  visited: number;
  evaluated: number;
  skipped: number;
  /** Evaluated points that fail at least one budget. */
  failedBudgets: number;
  /** Evaluated points that meet every budget (the front is among these). */
  feasible: number;
  skippedByRule: Partial<Record<SkipRule, number>>;
  /** Per budget (in the evaluator's order): points failing it. A point failing two budgets counts in both. */
  failedByBudget: number[];
  /** The exact front of the feasible points seen, in index order. */
  front: FrontEntry[];
  /** Per axis (written order), per choice: evaluated points with that choice and the sums of their objectives. */
  effects: { count: number[]; sums: number[][] }[];
  cancelled: boolean;
}

export class TallyBuilder {
  private readonly front: ParetoFront;
  readonly tally: ExploreTally;

  constructor(
    readonly signs: readonly number[],
    budgets: number,
    choicesPerAxis: readonly number[],
  ) {
    this.front = new ParetoFront(signs);
    this.tally = {
      visited: 0,
      evaluated: 0,
      skipped: 0,
      failedBudgets: 0,
      feasible: 0,
      skippedByRule: {},
      failedByBudget: new Array(budgets).fill(0),
      front: [],
      effects: choicesPerAxis.map((n) => ({ count: new Array(n).fill(0), sums: Array.from({ length: n }, () => new Array(signs.length).fill(0)) })),
      cancelled: false,
    };
  }

  /** `choices`: the point's choice index per axis in the written order. */
  add(index: number, choices: readonly number[], outcome: PointOutcome): void {
    const t = this.tally;
    t.visited++;
    if (outcome.kind === 'skipped') {
      t.skipped++;
      t.skippedByRule[outcome.rule] = (t.skippedByRule[outcome.rule] ?? 0) + 1;
      return;
    }
    t.evaluated++;
    for (let a = 0; a < choices.length; a++) {
      const e = t.effects[a];
      e.count[choices[a]]++;
      const sums = e.sums[choices[a]];
      for (let o = 0; o < outcome.objectives.length; o++) sums[o] += outcome.objectives[o];
    }
    if (outcome.failed.length > 0) {
      t.failedBudgets++;
      for (const b of outcome.failed) t.failedByBudget[b]++;
      return;
    }
    t.feasible++;
    this.front.offer(index, outcome.objectives);
  }

  get frontSize(): number {
    return this.front.size;
  }

  /** The tally with its front filled in (a snapshot: later `add`s do not change it). */
  snapshot(): ExploreTally {
    return structuredCloneTally({ ...this.tally, front: this.front.sorted() });
  }
}

function structuredCloneTally(t: ExploreTally): ExploreTally {
  return {
    ...t,
    skippedByRule: { ...t.skippedByRule },
    failedByBudget: t.failedByBudget.slice(),
    front: t.front.map((e) => ({ index: e.index, objectives: e.objectives.slice() })),
    effects: t.effects.map((e) => ({ count: e.count.slice(), sums: e.sums.map((s) => s.slice()) })),
  };
}

/** The tally of the union of the parts (parts must be disjoint: shards, chunks or islands of one space). */
export function mergeTallies(parts: readonly ExploreTally[], signs: readonly number[]): ExploreTally {
  if (parts.length === 0) throw new Error('mergeTallies: nothing to merge');
  const first = parts[0];
  const out: ExploreTally = structuredCloneTally({ ...first, front: [] });
  const front = new ParetoFront(signs);
  // Islands of a search may have met the same point: offer each index once.
  let last = -1;
  for (const e of [...parts.flatMap((p) => p.front)].sort((a, b) => a.index - b.index)) {
    if (e.index !== last) front.offer(e.index, e.objectives);
    last = e.index;
  }
  for (const p of parts.slice(1)) {
    out.visited += p.visited;
    out.evaluated += p.evaluated;
    out.skipped += p.skipped;
    out.failedBudgets += p.failedBudgets;
    out.feasible += p.feasible;
    out.cancelled ||= p.cancelled;
    for (const [rule, n] of Object.entries(p.skippedByRule) as [SkipRule, number][]) out.skippedByRule[rule] = (out.skippedByRule[rule] ?? 0) + n;
    p.failedByBudget.forEach((n, i) => (out.failedByBudget[i] += n));
    p.effects.forEach((e, a) =>
      e.count.forEach((n, c) => {
        out.effects[a].count[c] += n;
        e.sums[c].forEach((s, o) => (out.effects[a].sums[c][o] += s));
      }),
    );
  }
  out.front = front.sorted();
  return out;
}
