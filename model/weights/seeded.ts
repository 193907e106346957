/**
 * Seeded deterministic initialisation: the same seed gives the same weights on every machine and in a browser
 * worker, so a run without a weights file is reproducible (tests compare ONNX vs the float64 reference on these).
 */

import type { Design } from '../../engine/design';
import { mulberry32 } from '../../engine/random';
import { edgeMoeTensorSpecs, type TensorSpec } from './edgeMoeFolder';
import { headTensorSpecs } from './headSpecs';

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
 * `edgeMoeTensorSpecs`, plus `cls_token`, plus every head tensor of
 * `headTensorSpecs`): matrices uniform in ±1/√fan_in, biases and embeddings small, LayerNorm
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
  // Task heads (not part of the Edge-MoE folder), drawn after the backbone so that adding a head never changes the
  // backbone's seeded values.
  for (const spec of headTensorSpecs(design)) weights.set(spec.name, seededHeadTensor(rand, spec));
  return weights;
}

/**
 * One head tensor: Linear/conv kernels uniform in ±1/√fan_in (conv3x3 kernels ±√(6/fan_in), Kaiming for ReLU, so
 * the activations keep their scale through four conv → BN → ReLU stages instead of shrinking to the biases), norm and
 * BN gains near 1, BN running variances 1 + |u| (positive, as a trained BN's are), means and biases small.
 */
function seededHeadTensor(rand: () => number, spec: TensorSpec): Float32Array {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const fanIn = spec.shape.slice(1).reduce((a, b) => a * b, 1);
  if (/_(norm|bn\d)_weight$/.test(spec.name)) return Float32Array.from(seededUniform(rand, count, 0.1), (v) => 1 + v);
  if (/_bn\d_var$/.test(spec.name)) return Float32Array.from(seededUniform(rand, count, 0.5), (v) => 1 + Math.abs(v));
  if (/_bn\d_mean$/.test(spec.name)) return seededUniform(rand, count, 0.1);
  if (spec.shape.length === 1) return seededUniform(rand, count, 0.02);
  if (/_conv\d_weight$/.test(spec.name)) return seededUniform(rand, count, Math.sqrt(6 / fanIn));
  return seededUniform(rand, count, 1 / Math.sqrt(fanIn));
}
