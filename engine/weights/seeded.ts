/**
 * Seeded deterministic initialisation: the same seed gives the same weights on every machine and in a browser
 * worker, so a run without a weights file is reproducible (tests compare ONNX vs the float64 reference on these).
 */

import { mulberry32 } from '../random';

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
