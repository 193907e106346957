/**
 * Float64 reference of a task head on the backbone's output tokens, the same operations as the ONNX graph and the cost
 * model (`headLayer`): `linear` = per-patch Linear then bilinear resize to the input; `cls` = the cls token through
 * LayerNorm (timm's final `norm`, the backbone's eps) then Linear; `pup` = model/reference/pupHead.ts. Tests only.
 */
import { tokenCount, type Design, type TaskSpec } from '../../engine/design';
import { layerNorm, linear, type Weights } from './backbone';
import { PUP_LAYERNORM_EPS } from '../weights/headSpecs';
import { resizeBilinear, runPupHead, type FeatureMap } from './pupHead';

export interface HeadRun {
  /** `head_<task>`: linear [patches, N], cls [1, N], pup [N, 8·rows, 8·cols]; flat, row-major. */
  logits: Float64Array;
  logitsShape: number[];
  /** `prediction_<task>` [N, H, W] for dense heads (linear, pup); absent for cls. */
  prediction?: FeatureMap;
}

function need(w: Weights, name: string): Float32Array {
  const t = w.get(name);
  if (!t) throw new Error(`weights: missing tensor ${name}`);
  return t;
}

const flat = (rows: Float64Array[]) => Float64Array.from(rows.flatMap((r) => Array.from(r)));

export function runHead(design: Design, weights: Weights, features: Float64Array[], task: TaskSpec): HeadRun {
  const m = design.model;
  const D = m.dim;
  const p = `head_${task.name}`;
  const head = task.head;
  const N = head.count;
  if (head.kind === 'cls') {
    const token = layerNorm([features[0]], need(weights, `${p}_norm_weight`), need(weights, `${p}_norm_bias`), m.eps);
    return { logits: flat(linear(token, need(weights, `${p}_weight`), need(weights, `${p}_bias`), N, D)), logitsShape: [1, N] };
  }
  const patchTokens = m.cls ? features.slice(1, tokenCount(m)) : features;
  const rows = Math.floor(m.input.height / m.patch.height);
  const cols = Math.floor(m.input.width / m.patch.width);
  if (head.kind === 'pup') {
    const normed = layerNorm(patchTokens, need(weights, `${p}_norm_weight`), need(weights, `${p}_norm_bias`), PUP_LAYERNORM_EPS);
    const { logits, prediction } = runPupHead(m, head, weights, task.name, normed);
    return { logits: logits.data, logitsShape: [N, logits.height, logits.width], prediction };
  }
  const logits = linear(patchTokens, need(weights, `${p}_weight`), need(weights, `${p}_bias`), N, D); // [P, N]
  const grid = new Float64Array(N * rows * cols);
  logits.forEach((row, t) => row.forEach((v, n) => (grid[n * rows * cols + t] = v)));
  const prediction = resizeBilinear({ channels: N, height: rows, width: cols, data: grid }, m.input.height, m.input.width);
  return { logits: flat(logits), logitsShape: [patchTokens.length, N], prediction };
}
