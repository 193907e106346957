/**
 * The Design Space panel's view model, pure (no DOM): the points of a run decoded from their columns, the scatter's
 * layout (which points, where, what colour), the front's table (sorted) and its CSV. Unit-tested in
 * test/unit/explore-panel.test.ts; main.ts only draws what this returns.
 */
import { EXPLORE_POINT_STATUS, type ExplorePointStatus, type ExploreRunView } from '../protocol';
import { formatBytes, formatJoules, formatSeconds, sig3 } from '../../engine/units';

export interface PanelPoint {
  index: number;
  status: ExplorePointStatus;
  /** Choice per axis (written order). */
  choices: number[];
  objectives: number[];
  /** Budgets it fails (texts), for failing points. */
  failed: string[];
}

export function decodePoints(view: ExploreRunView): PanelPoint[] {
  const { stride, rows, failed } = view.points;
  const axes = view.result.axes.length;
  const budgets = view.result.budgets.map((b) => b.text);
  const out: PanelPoint[] = [];
  for (let i = 0, n = 0; i + stride <= rows.length; i += stride, n++) {
    out.push({
      index: rows[i],
      status: EXPLORE_POINT_STATUS[rows[i + 1]] ?? 'dominated',
      choices: rows.slice(i + 2, i + 2 + axes),
      objectives: rows.slice(i + 2 + axes, i + stride),
      failed: (failed[n] ?? []).map((b) => budgets[b] ?? `budget ${b}`),
    });
  }
  return out;
}

/** `{ KEY: value as written }` of a point, in the axes' written order. */
export function pointValues(view: ExploreRunView, p: PanelPoint): Record<string, string> {
  const out: Record<string, string> = {};
  view.result.axes.forEach((a, i) => (out[a.key] = a.values[p.choices[i]] ?? '?'));
  return out;
}

/** An objective value with its unit, as the engine's formatters write it elsewhere (lens, CLI). */
export function formatObjective(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'seconds':
      return formatSeconds(value);
    case 'joules':
      return formatJoules(value);
    case 'bytes':
      return formatBytes(value);
    case 'bytes per frame':
      return `${formatBytes(value)}/frame`;
    case 'frames per second':
      return `${sig3(value)} FPS`;
    case 'DSP slices':
      return `${Math.round(value)} DSP`;
    default:
      return `${sig3(value)} ${unit}`;
  }
}

export interface ScatterOptions {
  x: number;
  y: number;
  /** Objective index for colour, or -1 for none. */
  colour: number;
  showFailing: boolean;
}

export interface ScatterDot {
  /** Index into the decoded points. */
  point: number;
  /** 0..1 across the plot (y up). */
  x: number;
  y: number;
  /** 0..1 along the colour ramp; undefined: no colour objective. */
  c?: number;
  status: ExplorePointStatus;
}

export interface Scatter {
  dots: ScatterDot[];
  x: { min: number; max: number };
  y: { min: number; max: number };
  c?: { min: number; max: number };
}

function range(values: number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return { min: 0, max: 1 };
  // A flat axis still gets a span, so its points sit in the middle rather than on an edge.
  if (min === max) return { min: min - (Math.abs(min) || 1) * 0.05, max: max + (Math.abs(max) || 1) * 0.05 };
  return { min, max };
}

const unit = (v: number, r: { min: number; max: number }) => (v - r.min) / (r.max - r.min);

/**
 * Dots in drawing order: failing (if shown) first, then dominated, then the front on top. Ranges are over the dots
 * drawn, so hiding failing points zooms onto the feasible ones.
 */
export function scatter(points: readonly PanelPoint[], o: ScatterOptions): Scatter {
  const order: ExplorePointStatus[] = ['failing', 'dominated', 'front'];
  const chosen = points.map((p, i) => ({ p, i })).filter(({ p }) => o.showFailing || p.status !== 'failing');
  const xr = range(chosen.map(({ p }) => p.objectives[o.x]));
  const yr = range(chosen.map(({ p }) => p.objectives[o.y]));
  const cr = o.colour >= 0 ? range(chosen.map(({ p }) => p.objectives[o.colour])) : undefined;
  const dots: ScatterDot[] = [];
  for (const status of order)
    for (const { p, i } of chosen) {
      if (p.status !== status) continue;
      const dot: ScatterDot = { point: i, x: unit(p.objectives[o.x], xr), y: unit(p.objectives[o.y], yr), status };
      if (cr) dot.c = unit(p.objectives[o.colour], cr);
      dots.push(dot);
    }
  return { dots, x: xr, y: yr, c: cr };
}

/**
 * The dot under the pointer at (x, y) in plot units (0..1) within `radius`: the nearest front dot if one is in
 * reach, else the nearest dominated, else the nearest failing one. A front point hidden under others (points can
 * share two objectives and differ in a third) is what a user reaches for; undefined if no dot is in reach.
 */
export function nearestDot(s: Scatter, x: number, y: number, radius: number): ScatterDot | undefined {
  for (const status of ['front', 'dominated', 'failing'] as const) {
    let best: ScatterDot | undefined;
    let bestD = radius * radius;
    for (const d of s.dots) {
      if (d.status !== status) continue;
      const dd = (d.x - x) ** 2 + (d.y - y) ** 2;
      if (dd <= bestD) {
        best = d;
        bestD = dd;
      }
    }
    if (best) return best;
  }
  return undefined;
}

/** A colour ramp (viridis' end points and middle, interpolated): dark blue → teal → yellow. */
const RAMP: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export function rampColour(c: number): string {
  const t = Math.max(0, Math.min(1, c)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const mix = (k: number) => Math.round(RAMP[i][k] + (RAMP[i + 1][k] - RAMP[i][k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

// ---------------------------------------------------------------- the front's table

export interface TableSort {
  /** A key (`axis:N`) or an objective (`objective:N`). */
  column: string;
  descending: boolean;
}

export interface FrontRow {
  point: number;
  index: number;
  values: string[];
  objectives: number[];
}

/** The front's rows sorted by a column: objectives numerically, values by their position in the axis (as written). */
export function frontRows(view: ExploreRunView, points: readonly PanelPoint[], sort: TableSort): FrontRow[] {
  const rows = points
    .map((p, point) => ({ p, point }))
    .filter(({ p }) => p.status === 'front')
    .map(({ p, point }) => ({ point, index: p.index, choices: p.choices, values: view.result.axes.map((a, i) => a.values[p.choices[i]] ?? '?'), objectives: p.objectives }));
  const [kind, n] = sort.column.split(':');
  const k = Number(n);
  const keyOf = (r: (typeof rows)[number]) => (kind === 'axis' ? r.choices[k] : r.objectives[k]);
  rows.sort((a, b) => (keyOf(a) - keyOf(b)) * (sort.descending ? -1 : 1) || a.index - b.index);
  return rows.map(({ point, index, values, objectives }) => ({ point, index, values, objectives }));
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The front as CSV, in the table's order: one column per varied key (the value as written in .m3v) and per
 * objective (its label and unit in the header, the exact number in SI units, not rounded for display).
 */
export function frontCsv(view: ExploreRunView, rows: readonly FrontRow[]): string {
  const head = ['point', ...view.result.axes.map((a) => a.key), ...view.result.objectives.map((o) => `${o.label} (${o.unit})`)];
  const lines = [head.map(csvField).join(',')];
  for (const r of rows) lines.push([String(r.index), ...r.values, ...r.objectives.map((v) => String(v))].map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
