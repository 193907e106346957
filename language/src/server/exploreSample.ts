/**
 * Which points of an exploration a scatter gets: every front point, plus a deterministic sample of at most `k` of
 * the other evaluated points. A space has up to 10^6 points (more under search); a panel cannot take, nor a user
 * read, that many, and a message of that size would hold the server's thread.
 *
 * The sample is "bottom-k by hash": the k points whose index hashes lowest. It depends only on which points were
 * evaluated, not on their order or on how the run was split, and it is spread evenly over the space (enumeration
 * order puts the clock fastest, so a stride would alias with the axes' sizes). Pure: runs in the explore worker.
 */
import type { PointOutcome } from '../../../engine/explore/evaluate';
import { digitsOf, type Space } from '../../../engine/explore/space';
import type { ExplorePointColumns } from './protocol';

/** A 32-bit avalanche hash of a point index (exact up to 2^53: the high and low words are mixed). */
export function hashIndex(index: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

interface Kept {
  index: number;
  hash: number;
  objectives: number[];
  failed: number[];
}

/** Orders by (hash, index): the sample's total order, so ties cannot make it depend on arrival order. */
const before = (a: Kept, b: Kept) => a.hash < b.hash || (a.hash === b.hash && a.index < b.index);

export class PointSampler {
  /** A max-heap on (hash, index): the root is the first point to drop when a lower one arrives. */
  private readonly heap: Kept[] = [];
  evaluated = 0;

  constructor(readonly k: number) {}

  offer(index: number, outcome: PointOutcome): void {
    if (outcome.kind !== 'evaluated') return;
    this.evaluated++;
    if (this.k <= 0) return;
    const hash = hashIndex(index);
    const heap = this.heap;
    if (heap.length >= this.k) {
      const top = heap[0];
      if (!before({ index, hash } as Kept, top)) return;
      heap[0] = { index, hash, objectives: outcome.objectives.slice(), failed: outcome.failed.slice() };
      this.siftDown(0);
      return;
    }
    heap.push({ index, hash, objectives: outcome.objectives.slice(), failed: outcome.failed.slice() });
    this.siftUp(heap.length - 1);
  }

  /** The kept points in index order. */
  kept(): Kept[] {
    return [...this.heap].sort((a, b) => a.index - b.index);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[parent], h[i])) return;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < h.length && before(h[largest], h[l])) largest = l;
      if (r < h.length && before(h[largest], h[r])) largest = r;
      if (largest === i) return;
      [h[largest], h[i]] = [h[i], h[largest]];
      i = largest;
    }
  }
}

/** A point's choice per axis in the written order (what `ExplorePointColumns` rows carry). */
export function writtenChoices(space: Space, index: number): number[] {
  const digits = digitsOf(space, index);
  const out = new Array<number>(space.order.length);
  space.order.forEach((o, i) => (out[o.written] = digits[i]));
  return out;
}

/** 6 significant digits for the sample (drawn, never compared); front points keep their exact values. */
const display = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

/**
 * The columns a view gets: the front first (exact objectives, in index order), then the sampled points that are not
 * on it, dominated (status 1) or failing a budget (status 2).
 */
export function pointColumns(space: Space, front: readonly { index: number; objectives: readonly number[] }[], sampler: PointSampler): ExplorePointColumns {
  const axes = space.order.length;
  const objectives = space.spec.objectives.length;
  const stride = 2 + axes + objectives;
  const rows: number[] = [];
  const failed: Record<number, number[]> = {};
  const onFront = new Set<number>();
  for (const f of front) {
    onFront.add(f.index);
    rows.push(f.index, 0, ...writtenChoices(space, f.index), ...f.objectives);
  }
  let n = front.length;
  for (const p of sampler.kept()) {
    if (onFront.has(p.index)) continue;
    const failing = p.failed.length > 0;
    if (failing) failed[n] = p.failed;
    rows.push(p.index, failing ? 2 : 1, ...writtenChoices(space, p.index), ...p.objectives.map(display));
    n++;
  }
  return { stride, rows, failed, shown: n, evaluated: sampler.evaluated };
}
