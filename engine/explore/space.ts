/**
 * Enumeration of a design space: point index ↔ one choice per axis, in a fixed, documented order. Model axes vary
 * slowest, then the hardware axes other than `clock` (each group in the order written), then `clock` fastest. So
 * consecutive points share their model — the evaluator's per-model work (counts, routing, expert loads) is reused
 * across a run of hardware points — and runs of clock values share everything the clock does not change (the
 * on-chip plan, resources and traffic). Indices are plain numbers: exact up to 2^53, far above the 10^12 limit.
 */
import { isModelKey, spaceSize, type ExploreSpec, type VaryAxis, type VarySetting } from './spec';

export interface Space {
  spec: ExploreSpec;
  /** Axes in enumeration order (model first), each with its position in the written order. */
  order: { axis: VaryAxis; written: number }[];
  /** Choices per axis in enumeration order. */
  radices: number[];
  /** How many leading axes (in enumeration order) are model axes. */
  modelAxes: number;
  size: number;
}

export function makeSpace(spec: ExploreSpec): Space {
  const withIndex = spec.axes.map((axis, written) => ({ axis, written }));
  const order = [
    ...withIndex.filter((a) => isModelKey(a.axis.key)),
    ...withIndex.filter((a) => !isModelKey(a.axis.key) && a.axis.key !== 'clock'),
    ...withIndex.filter((a) => a.axis.key === 'clock'),
  ];
  return {
    spec,
    order,
    radices: order.map((a) => a.axis.choices.length),
    modelAxes: order.filter((a) => isModelKey(a.axis.key)).length,
    size: spaceSize(spec),
  };
}

/** Choice index per axis (enumeration order) of point `index`; the last axis is the least significant digit. */
export function digitsOf(space: Space, index: number, out: number[] = new Array<number>(space.radices.length)): number[] {
  let rest = index;
  for (let i = space.radices.length - 1; i >= 0; i--) {
    const r = space.radices[i];
    out[i] = rest % r;
    rest = Math.floor(rest / r);
  }
  return out;
}

export function indexOfDigits(space: Space, digits: readonly number[]): number {
  let index = 0;
  for (let i = 0; i < space.radices.length; i++) index = index * space.radices[i] + digits[i];
  return index;
}

/** The point with its clock choice set to the first: equal for points that differ only in clock (a cache key). */
export function clockFreeKeyOf(space: Space, index: number, digits: readonly number[]): number {
  const last = space.order.length - 1;
  return last >= 0 && space.order[last].axis.key === 'clock' ? index - digits[last] : index;
}

/**
 * How many consecutive points differ only in their clock (the clock axis's size when it varies fastest, else 1): a
 * run shares its on-chip plan, resources, traffic and makespan (engine/explore/evaluate.ts), so work split at run
 * boundaries computes each of those once.
 */
export function clockRunLength(space: Space): number {
  const last = space.order.length - 1;
  return last >= 0 && space.order[last].axis.key === 'clock' ? space.radices[last] : 1;
}

/** The model part of a point, as a cache key: equal keys ⇔ equal model settings. */
export function modelKeyOf(space: Space, digits: readonly number[]): number {
  let key = 0;
  for (let i = 0; i < space.modelAxes; i++) key = key * space.radices[i] + digits[i];
  return key;
}

export function settingsOf(space: Space, digits: readonly number[]): VarySetting[] {
  return space.order.map((a, i) => a.axis.choices[digits[i]].setting);
}

/** `{ KEY: "value as written" }` in the written order of the axes. */
export function valuesOf(space: Space, index: number): Record<string, string> {
  const digits = digitsOf(space, index);
  const byWritten: [string, string][] = space.order.map((a, i) => [a.axis.key, a.axis.choices[digits[i]].text]);
  const out: Record<string, string> = {};
  for (const axis of space.spec.axes) out[axis.key] = byWritten.find(([k]) => k === axis.key)![1];
  return out;
}

/** Contiguous part `shard` (0-based) of `count` parts of [0, size): shards together cover every point once. */
export function shardRange(size: number, shard: number, count: number): { start: number; end: number } {
  return { start: Math.floor((size * shard) / count), end: Math.floor((size * (shard + 1)) / count) };
}
