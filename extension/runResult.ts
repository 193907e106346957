/**
 * Turns the JSON printed by `m3v run --json` into the Run panel's view model. Pure (unit-tested).
 * Expected shape (documented in docs/extension.md; owned by the runtime issue):
 *   { task, latency_ms, grid?: {rows, cols}, trace?: RoutingTrace, input_png?: base64, output_png?: base64 }
 * Anything missing is simply not drawn; a wrong shape is reported as one line.
 */
import { expertCounts, type RoutingTrace } from '../engine/routing-trace';
import type { NumericsView, RunView } from '../webviews/protocol';

export function runViewFromCliJson(text: string): RunView | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'm3v run did not print JSON';
  }
  if (typeof raw !== 'object' || raw === null) return 'm3v run printed an unexpected value';
  const r = raw as Record<string, unknown>;
  const trace = r.trace as RoutingTrace | undefined;
  const experts = typeof trace?.experts === 'number' ? trace.experts : maxExpert(trace) + 1;
  const grid = (r.grid as { rows: number; cols: number } | undefined) ?? { rows: 0, cols: 0 };
  const patches = grid.rows * grid.cols;
  const layers = (trace?.layers ?? []).map((l) => {
    // Token 0 is the cls token when there is one more token than patches.
    const offset = l.experts.length === patches + 1 ? 1 : 0;
    return {
      layer: l.layer,
      expertLoad: expertCounts(l, experts),
      patchTopExpert: l.experts.slice(offset, offset + patches).map((choice) => choice[0] ?? -1),
    };
  });
  return {
    task: typeof r.task === 'string' ? r.task : '',
    latencyMs: typeof r.latency_ms === 'number' ? r.latency_ms : undefined,
    inputImage: typeof r.input_png === 'string' ? `data:image/png;base64,${r.input_png}` : undefined,
    outputImage: typeof r.output_png === 'string' ? `data:image/png;base64,${r.output_png}` : undefined,
    grid,
    layers,
    numericsMode: isRecord(r.numerics) && r.numerics.mode === 'declared' ? 'declared' : 'float32',
    numerics: numericsView(r.numerics),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `numerics` of `m3v run --json --numerics declared` (docs/runtime.md) → the panel's comparison. */
function numericsView(raw: unknown): NumericsView | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.layers) || !Array.isArray(raw.routing)) return undefined;
  const p = isRecord(raw.prediction) ? raw.prediction : undefined;
  const prediction =
    p?.kind === 'argmax' && typeof p.agreement === 'number'
      ? `arg-max class agrees on ${(100 * p.agreement).toFixed(2)}% of pixels`
      : p?.kind === 'regression' && typeof p.rel_error === 'number'
        ? `relative error ${p.rel_error.toExponential(2)}`
        : p?.kind === 'class'
          ? `class ${String(p.class_quantised)} (float32: ${String(p.class_float32)})`
          : undefined;
  return {
    formats: typeof raw.formats === 'string' ? raw.formats : '',
    layers: raw.layers.filter(isRecord).map((l) => ({ layer: Number(l.layer), relL2: Number(l.rel_l2) })),
    routing: raw.routing.filter(isRecord).map((l) => ({ layer: Number(l.layer), flips: Number(l.flips), tokens: Number(l.tokens) })),
    prediction,
    notes: Array.isArray(raw.notes) ? raw.notes.filter((n): n is string => typeof n === 'string') : [],
  };
}

function maxExpert(trace: RoutingTrace | undefined): number {
  let max = -1;
  for (const l of trace?.layers ?? []) for (const c of l.experts) for (const e of c) max = Math.max(max, e);
  return max;
}

/**
 * The edit that points a design's `routing` value at `tracePath`: replaces the value after the `routing` keyword
 * (up to a `//` comment, `;` or end of line). Undefined when the text has no `routing` statement.
 */
export function routingLineEdit(text: string, tracePath: string): { start: number; end: number; text: string } | undefined {
  // Value = words and quoted strings (a quoted path may contain `/`), stopping at `;`, `//` or end of line.
  const m = /^([ \t]*routing[ \t]+)((?:"[^"\n]*"|[^\s;"/]+)(?:[ \t]+(?:"[^"\n]*"|[^\s;"/]+))*)/m.exec(text);
  if (!m) return undefined;
  const start = m.index + m[1].length;
  return { start, end: start + m[2].length, text: `trace ${JSON.stringify(tracePath)}` };
}
