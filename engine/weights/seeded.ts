/**
 * Seeded deterministic initialisation: the same seed gives the same weights on every machine and in a browser
 * worker, so a run without a weights file is reproducible (tests compare ONNX vs the float64 reference on these).
 */

import type { Design } from '../design';
import { mulberry32 } from '../random';
import { edgeMoeTensorSpecs } from './edgeMoeFolder';

/** The project's seeded PRNG (engine/random.ts); uniform in [0, 1). */
export const seededRandom = mulberry32;

/**
 * `count` values uniform in [-scale, scale], rounded to float32 so that the float64 reference and the float32
 * ONNX graph start from bit-identical weights (the comparison then measures only arithmetic error).
 */
export function seededUniform(rand: () => number, count: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}

/**
 * A complete, seeded set of weights for a design in the Edge-MoE/PyTorch layout (every tensor of
 * `edgeMoeTensorSpecs`, plus `cls_token`): matrices uniform in ±1/√fan_in, biases and embeddings small, LayerNorm
 * gains near 1, routers wider so that routing is decisive. Same seed, same weights, everywhere.
 */
export function seededDesignWeights(design: Design, seed: number): Map<string, Float32Array> {
  const rand = mulberry32(seed);
  const weights = new Map<string, Float32Array>();
  for (const spec of [...edgeMoeTensorSpecs(design), { name: 'cls_token', shape: [design.model.dim] }]) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const fanIn = spec.name === 'patch_embed_weight' ? spec.shape.slice(1).reduce((a, b) => a * b, 1) : spec.shape[spec.shape.length - 1];
    let values: Float32Array;
    if (/norm\d?_weight$/.test(spec.name)) values = Float32Array.from(seededUniform(rand, count, 0.1), (v) => 1 + v);
    else if (/_w_gate_T(_task\d+)?$/.test(spec.name)) values = seededUniform(rand, count, 1);
    else if (spec.shape.length === 1 || /bias$/.test(spec.name) || spec.name === 'pos_embed') values = seededUniform(rand, count, 0.02);
    else values = seededUniform(rand, count, 1 / Math.sqrt(fanIn));
    weights.set(spec.name, values);
  }
  // Task heads (not part of the Edge-MoE folder): linear and cls heads, [N, D] and [N].
  for (const task of design.tasks) {
    if (task.head.kind === 'pup') continue;
    weights.set(`head_${task.name}_weight`, seededUniform(rand, task.head.count * design.model.dim, 1 / Math.sqrt(design.model.dim)));
    weights.set(`head_${task.name}_bias`, seededUniform(rand, task.head.count, 0.02));
  }
  return weights;
}
