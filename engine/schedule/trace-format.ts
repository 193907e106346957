/**
 * Reading a routing trace file's text (docs/routing-trace.md) into a `RoutingTrace`, with one clear message per
 * problem. Only the structure is checked here; whether a trace fits a design (token count, expert range, top-k) is
 * decided per layer by `routeLayer`, which falls back to balanced routing and says why.
 */
import type { RoutingTrace, RoutingTraceLayer } from '../routing-trace';

export type TraceParse = { ok: true; trace: RoutingTrace } | { ok: false; error: string };

export function parseRoutingTrace(text: string): TraceParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'expected a JSON object with a "layers" array' };
  const obj = json as Record<string, unknown>;
  if (obj.format !== undefined && obj.format !== 'm3v-routing-trace') return { ok: false, error: `"format" is ${JSON.stringify(obj.format)}, expected "m3v-routing-trace"` };
  if (obj.version !== undefined && obj.version !== 1) return { ok: false, error: `"version" ${JSON.stringify(obj.version)} is not supported (expected 1)` };
  for (const key of ['tokens', 'experts', 'top_k'] as const)
    if (obj[key] !== undefined && !(Number.isInteger(obj[key]) && (obj[key] as number) > 0)) return { ok: false, error: `"${key}" must be a positive integer` };
  if (!Array.isArray(obj.layers)) return { ok: false, error: 'missing "layers": expected an array of {"layer", "experts", "scores"}' };
  const layers: RoutingTraceLayer[] = [];
  for (let i = 0; i < obj.layers.length; i++) {
    const l = obj.layers[i] as Record<string, unknown> | null;
    if (typeof l !== 'object' || l === null) return { ok: false, error: `layers[${i}] must be an object` };
    if (!Number.isInteger(l.layer) || (l.layer as number) < 0) return { ok: false, error: `layers[${i}].layer must be a block index (integer ≥ 0)` };
    if (!isMatrix(l.experts)) return { ok: false, error: `layers[${i}].experts must be an array of per-token arrays of expert indices` };
    if (l.scores !== undefined && !isMatrix(l.scores)) return { ok: false, error: `layers[${i}].scores must be an array of per-token arrays of numbers` };
    layers.push({ layer: l.layer as number, experts: l.experts as number[][], scores: (l.scores as number[][] | undefined) ?? [] });
  }
  const trace: RoutingTrace = { ...(obj as object), layers };
  return { ok: true, trace };
}

function isMatrix(value: unknown): boolean {
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'));
}
