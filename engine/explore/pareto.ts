/**
 * The exact Pareto front: a point is kept when no other point is at least as good in every objective and better in
 * one. Points with identical objective vectors do not dominate each other, so both are kept (a designer may prefer
 * either). Objectives are compared exactly (no tolerance): the front is the one a brute-force comparison gives.
 */
export interface FrontEntry {
  /** The point's index in the space (deterministic: see space.ts). */
  index: number;
  /** Objective values in natural units. */
  objectives: number[];
}

/** `signs[i]` = 1 to minimize objective i, −1 to maximize it. */
export function dominates(a: readonly number[], b: readonly number[], signs: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < signs.length; i++) {
    const x = signs[i] * a[i];
    const y = signs[i] * b[i];
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

export class ParetoFront {
  private entries: FrontEntry[] = [];

  constructor(private readonly signs: readonly number[]) {}

  /** Adds the point unless a kept point dominates it; drops the kept points it dominates. Returns whether kept. */
  offer(index: number, objectives: readonly number[]): boolean {
    for (const e of this.entries) if (dominates(e.objectives, objectives, this.signs)) return false;
    this.entries = this.entries.filter((e) => !dominates(objectives, e.objectives, this.signs));
    this.entries.push({ index, objectives: objectives.slice() });
    return true;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The front in index order. */
  sorted(): FrontEntry[] {
    return [...this.entries].sort((a, b) => a.index - b.index);
  }
}

/** The front of a set of points by comparing every pair: the definition, for tests and small merges. */
export function bruteForceFront(points: readonly FrontEntry[], signs: readonly number[]): FrontEntry[] {
  return points.filter((p) => !points.some((q) => q !== p && dominates(q.objectives, p.objectives, signs))).sort((a, b) => a.index - b.index);
}
