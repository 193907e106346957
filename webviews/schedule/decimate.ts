/**
 * Level of detail for the Gantt chart: thousands of events cannot each be a bar when a pixel covers hundreds of
 * cycles. Within a visible window, consecutive events of one lane that are each narrower than a pixel are merged
 * into one aggregate bar (until it is at least a pixel wide or a gap of a pixel opens), so the drawn bar count
 * stays O(lanes × pixels) however many events exist, and every busy cycle remains covered. Pure, unit-tested.
 */
import type { ScheduleEvent } from '../protocol';

export interface DrawnBar {
  lane: number;
  start: number;
  end: number;
  /** Index into the input events for a single event; -1 for an aggregate. */
  index: number;
  /** How many events the bar stands for. */
  count: number;
  kind: string;
}

export function decimate(events: readonly ScheduleEvent[], viewStart: number, viewEnd: number, pixels: number): DrawnBar[] {
  const cyclesPerPixel = Math.max(0, viewEnd - viewStart) / Math.max(1, pixels);
  const byLane = new Map<number, number[]>();
  events.forEach((e, i) => {
    if (e.end < viewStart || e.start > viewEnd) return;
    let list = byLane.get(e.lane);
    if (!list) byLane.set(e.lane, (list = []));
    list.push(i);
  });
  const out: DrawnBar[] = [];
  for (const [lane, indices] of [...byLane.entries()].sort((a, b) => a[0] - b[0])) {
    indices.sort((a, b) => events[a].start - events[b].start || a - b);
    let agg: DrawnBar | undefined;
    const flush = () => {
      if (agg) out.push(agg);
      agg = undefined;
    };
    for (const i of indices) {
      const e = events[i];
      const wide = e.end - e.start >= cyclesPerPixel;
      if (wide) {
        flush();
        out.push({ lane, start: e.start, end: e.end, index: i, count: 1, kind: e.kind });
        continue;
      }
      if (agg && e.start - agg.end <= cyclesPerPixel && agg.end - agg.start < cyclesPerPixel) {
        agg.end = Math.max(agg.end, e.end);
        agg.count++;
        agg.index = -1;
        if (agg.kind !== e.kind) agg.kind = 'mixed';
      } else {
        flush();
        agg = { lane, start: e.start, end: e.end, index: i, count: 1, kind: e.kind };
      }
    }
    flush();
  }
  return out;
}

/** Zoom the window [start, end] by `factor` (< 1 zooms in) keeping `anchor` fixed, clamped to [0, max]. */
export function zoomWindow(start: number, end: number, anchor: number, factor: number, max: number): { start: number; end: number } {
  const minSpan = 10;
  let span = Math.min(max, Math.max(minSpan, (end - start) * factor));
  const ratio = end > start ? (anchor - start) / (end - start) : 0.5;
  let s = anchor - ratio * span;
  s = Math.min(Math.max(0, s), Math.max(0, max - span));
  span = Math.min(span, max - s);
  return { start: s, end: s + span };
}

/** Pan the window by `delta` cycles, clamped to [0, max]. */
export function panWindow(start: number, end: number, delta: number, max: number): { start: number; end: number } {
  const span = end - start;
  const s = Math.min(Math.max(0, start + delta), Math.max(0, max - span));
  return { start: s, end: s + span };
}
