/**
 * Turns the JSON printed by `m3v run --json` into the Run panel's view model. Pure (unit-tested).
 * Expected shape (documented in docs/extension.md; owned by the runtime issue):
 *   { task, latency_ms, threads?, weights?: {seeded, source}, input?: {width, height, source_width, source_height, fit,
 *     placed}, grid?: {rows, cols}, trace?: RoutingTrace, input_png?: base64, output_png?: base64,
 *     prediction?: {key: {kind: 'classes', classes} | {kind: 'channels', min, max}} }
 * Anything missing is simply not drawn; a wrong shape is reported as one line.
 */
import { expertCounts, type RoutingTrace } from '../engine/routing-trace';
import type { NumericsView, RunOutputKey, RunView } from '../webviews/protocol';

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
    weights: isRecord(r.weights) && typeof r.weights.seeded === 'boolean' ? { seeded: r.weights.seeded, source: typeof r.weights.source === 'string' ? r.weights.source : '' } : undefined,
    threads: typeof r.threads === 'number' ? r.threads : undefined,
    inputNotice: inputNotice(r.input),
    outputKey: outputKey(isRecord(r.prediction) ? r.prediction.key : undefined),
    tokenRouting: (trace?.layers ?? []).map((l) => ({ layer: l.layer, experts: l.experts, scores: Array.isArray(l.scores) ? l.scores : [] })),
  };
}

/**
 * The notice for an image whose aspect ratio is not the model input's (`input` of `m3v run --json`): stretched
 * (the default) or letterboxed (`m3v.run.imageFit`). Undefined when the shapes agree or nothing is known.
 */
export function inputNotice(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  const { width, height, source_width: sw, source_height: sh, fit } = raw;
  if (![width, height, sw, sh].every((v) => typeof v === 'number' && v > 0)) return undefined;
  const [w, h, iw, ih] = [width, height, sw, sh] as number[];
  // Same aspect ratio (to a pixel of rounding): a plain resize, nothing to warn about.
  if (Math.abs(iw * h - ih * w) <= Math.max(w, h)) return undefined;
  const placed = isRecord(raw.placed) ? raw.placed : undefined;
  if (fit === 'letterbox' && placed)
    return `the ${iw} × ${ih} image was letterboxed into the model's ${w} × ${h} input (scaled to ${String(placed.width)} × ${String(placed.height)} at x ${String(placed.x)}, y ${String(placed.y)}; the rest is the normalisation's mean)`;
  return `the ${iw} × ${ih} image was resized to the model's ${w} × ${h} input, changing its aspect ratio (${(iw / ih).toFixed(2)} → ${(w / h).toFixed(2)}); set m3v.run.imageFit to "letterbox" to keep its shape`;
}

function outputKey(raw: unknown): RunOutputKey | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.kind === 'classes' && Array.isArray(raw.classes))
    return {
      kind: 'classes',
      classes: raw.classes.filter(isRecord).map((c) => ({ class: Number(c.class), colour: /^#[0-9a-f]{6}$/i.test(String(c.colour)) ? String(c.colour) : '#808080', pixels: Number(c.pixels) })),
    };
  if (raw.kind === 'channels' && typeof raw.min === 'number' && typeof raw.max === 'number') return { kind: 'channels', channel: Number(raw.channel ?? 0), min: raw.min, max: raw.max };
  return undefined;
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
