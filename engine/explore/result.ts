/**
 * The result of an exploration: typed and JSON-safe (what `m3v explore --json` prints, what a Design Space panel
 * renders, what `--merge` reads back). Objective values are in the natural units of `objectives[i].unit`; values of
 * a point are the texts written in `.m3v`, so a point can be pasted back into the design.
 */
import { OBJECTIVE_UNITS, type ExploreSpec } from './spec';
import type { SearchStats } from './search';
import { SKIP_RULES, type SkipRule } from './apply';
import { valuesOf, type Space } from './space';
import type { ExploreTally } from './tally';

export const RESULT_VERSION = 1;

export interface FrontPoint {
  index: number;
  values: Record<string, string>;
  objectives: Record<string, number>;
}

export interface ObjectiveEffect {
  key: string;
  objective: string;
  /** Mean of the objective over the evaluated points with each value of the key (null: no such point). */
  means: { value: string; points: number; mean: number | null }[];
  /** (largest mean − smallest mean) / |mean over all evaluated points|: how much this key moves the objective. */
  swing: number;
}

export interface ExploreResult {
  version: typeof RESULT_VERSION;
  explore: string;
  target: string;
  /** Identifies the space (target, axes and values, objectives, budgets): only equal ones merge. */
  fingerprint: string;
  points: number;
  axes: { key: string; values: string[] }[];
  objectives: { label: string; sense: 'minimize' | 'maximize'; unit: string }[];
  /** The target's budgets, the constraints; empty = unconstrained (the front is over every evaluated point). */
  budgets: { text: string; failed: number }[];
  mode: 'exhaustive' | 'search';
  search?: SearchStats;
  /** The part of the space this result covers (a shard), when not all of it. */
  shard?: { index: number; count: number; start: number; end: number };
  evaluated: number;
  skipped: number;
  failed_budgets: number;
  feasible: number;
  skipped_by_rule: { rule: SkipRule; meaning: string; points: number }[];
  front: FrontPoint[];
  best: { objective: string; index: number; value: number; values: Record<string, string> }[];
  effects: ObjectiveEffect[];
  cancelled: boolean;
  notes: string[];
  elapsed_ms: number;
  /** The raw, mergeable state behind the figures above. */
  tally: ExploreTally;
}

export function signsOf(spec: ExploreSpec): number[] {
  return spec.objectives.map((o) => (o.sense === 'minimize' ? 1 : -1));
}

/** FNV-1a of the space's description: enough to tell two explores apart, no crypto needed. */
export function fingerprintOf(spec: ExploreSpec, budgets: readonly string[]): string {
  const text = JSON.stringify([spec.target, spec.axes.map((a) => [a.key, a.choices.map((c) => c.text)]), spec.objectives.map((o) => [o.sense, o.label]), budgets]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export interface ResultMeta {
  mode: 'exhaustive' | 'search';
  search?: SearchStats;
  shard?: ExploreResult['shard'];
  elapsedMs: number;
}

/** What a result is about: from a space (a run) or from an earlier result (a merge). */
export interface ResultFrame {
  explore: string;
  target: string;
  fingerprint: string;
  points: number;
  axes: ExploreResult['axes'];
  objectives: ExploreResult['objectives'];
  valuesOf(index: number): Record<string, string>;
}

export function frameOfSpace(space: Space, budgets: readonly string[]): ResultFrame {
  const spec = space.spec;
  return {
    explore: spec.name,
    target: spec.target,
    fingerprint: fingerprintOf(spec, budgets),
    points: space.size,
    axes: spec.axes.map((a) => ({ key: a.key, values: a.choices.map((c) => c.text) })),
    objectives: spec.objectives.map((o) => ({ label: o.label, sense: o.sense, unit: OBJECTIVE_UNITS[o.metric] })),
    valuesOf: (index) => valuesOf(space, index),
  };
}

export function buildResult(frame: ResultFrame, budgets: readonly string[], tally: ExploreTally, meta: ResultMeta): ExploreResult {
  const spec = frame;
  const labels = spec.objectives.map((o) => o.label);
  const front: FrontPoint[] = tally.front.map((e) => ({ index: e.index, values: frame.valuesOf(e.index), objectives: Object.fromEntries(labels.map((l, i) => [l, e.objectives[i]])) }));
  const best = spec.objectives.flatMap((o) => {
    const sign = o.sense === 'minimize' ? 1 : -1;
    let b: (typeof front)[number] | undefined;
    for (const p of front) if (!b || sign * p.objectives[o.label] < sign * b.objectives[o.label]) b = p;
    return b ? [{ objective: o.label, index: b.index, value: b.objectives[o.label], values: b.values }] : [];
  });
  const effects: ObjectiveEffect[] = [];
  spec.axes.forEach((axis, a) => {
    const e = tally.effects[a];
    labels.forEach((label, o) => {
      const means = axis.values.map((text, ci) => ({ value: text, points: e.count[ci], mean: e.count[ci] > 0 ? e.sums[ci][o] / e.count[ci] : null }));
      const present = means.filter((m) => m.mean !== null).map((m) => m.mean!);
      const total = e.count.reduce((x, y) => x + y, 0);
      const overall = total > 0 ? e.sums.reduce((s, row) => s + row[o], 0) / total : 0;
      const swing = present.length > 1 && overall !== 0 ? (Math.max(...present) - Math.min(...present)) / Math.abs(overall) : 0;
      effects.push({ key: axis.key, objective: label, means, swing });
    });
  });
  const notes: string[] = [];
  if (budgets.length === 0) notes.push(`target '${spec.target}' has no budget: the front is over every evaluated point`);
  if (meta.mode === 'search' && meta.search)
    notes.push(`${frame.points.toExponential(2)} points: searched with NSGA-II (seed ${meta.search.seed}), ${meta.search.evaluated} points evaluated; the front is exact among the points evaluated, not over the whole space`);
  if (tally.cancelled) notes.push('cancelled: the figures cover the points evaluated before the cancel');
  return {
    version: RESULT_VERSION,
    explore: frame.explore,
    target: frame.target,
    fingerprint: frame.fingerprint,
    points: frame.points,
    axes: frame.axes,
    objectives: frame.objectives,
    budgets: budgets.map((text, i) => ({ text, failed: tally.failedByBudget[i] ?? 0 })),
    mode: meta.mode,
    ...(meta.search ? { search: meta.search } : {}),
    ...(meta.shard ? { shard: meta.shard } : {}),
    evaluated: tally.evaluated,
    skipped: tally.skipped,
    failed_budgets: tally.failedBudgets,
    feasible: tally.feasible,
    skipped_by_rule: (Object.entries(tally.skippedByRule) as [SkipRule, number][]).map(([rule, points]) => ({ rule, meaning: SKIP_RULES[rule], points })),
    front,
    best,
    effects,
    cancelled: tally.cancelled,
    notes,
    elapsed_ms: meta.elapsedMs,
    tally,
  };
}
