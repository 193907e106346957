/**
 * Scalar number-format quantisers in float64, the reference the ONNX graph's quantisers (model/onnx/numerics.ts) and
 * the weight quantisation are checked against. Pure.
 *
 * `ap_fixed<W, I>` with Vitis HLS's defaults (UG1399, "Arbitrary Precision Fixed-Point Data Types": the quantisation
 * mode defaults to AP_TRN, truncation toward −∞, and the overflow mode to AP_WRAP, dropping the bits above the MSB —
 * two's-complement wrap-around): a value is an integer m of W bits times 2^−F, F = W − I fractional bits, so
 *   AP_TRN:  m = ⌊x · 2^F⌋
 *   AP_WRAP: m ← m mod 2^W, taken into [−2^(W−1), 2^(W−1)) (two's complement)
 * Every step is exact in float64: x · 2^F and the division by 2^F are power-of-two scalings, ⌊·⌋ of a float is a float,
 * and the remainder (JavaScript `%`, IEEE fmod) is always exact; the wrapped integer is at most 2^(W−1) in magnitude
 * and a multiple of m's own spacing, so it is representable too. The result is exact whenever the format's values are
 * float64 numbers, W ≤ 53 — which is why numericsFormatProblem (model/onnx/numerics.ts) refuses wider formats.
 */

/** ap_fixed<W, I> (AP_TRN, AP_WRAP) of x. NaN stays NaN (ap_fixed has no NaN; the graph never produces one here). */
export function apFixed(x: number, width: number, integer: number): number {
  const F = width - integer;
  const m = Math.floor(x * 2 ** F);
  const modulus = 2 ** width;
  let r = m % modulus; // IEEE fmod: exact, the sign of m, |r| < 2^W
  if (r >= modulus / 2) r -= modulus;
  else if (r < -modulus / 2) r += modulus;
  // `%` keeps the dividend's sign, so a negative multiple of 2^W gives −0; ap_fixed has one zero.
  return r === 0 ? 0 : r * 2 ** -F;
}

/** The range of ap_fixed<W, I>: min = −2^(I−1), max = 2^(I−1) − 2^−F, step 2^−F. */
export function apFixedRange(width: number, integer: number): { min: number; max: number; step: number } {
  const step = 2 ** -(width - integer);
  return { min: -(2 ** (integer - 1)), max: 2 ** (integer - 1) - step, step };
}

/** Round half to even (torch.round, ONNX Round), the rounding of int8 quantisation. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Symmetric int8 with scale s: clamp(round_half_even(x / s), −128, 127) · s. */
export function int8Quantize(x: number, scale: number): number {
  if (scale === 0) return 0;
  return Math.min(127, Math.max(-128, roundHalfEven(x / scale))) * scale;
}

/** IEEE 754 binary16 (round to nearest, ties to even) of x, returned as a number; overflow → ±Infinity. */
export function float16Round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Infinity; // above max (65504) + half an ulp (16): rounds to infinity
  // Subnormals share the exponent of 2^-14 with step 2^-24; normals have 10 fraction bits.
  const exponent = Math.max(Math.floor(Math.log2(a)), -14);
  // log2 may be off by one near powers of two: fix the exponent so that 2^e ≤ a < 2^(e+1) (or subnormal).
  let e = exponent;
  if (e > -14 && 2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const step = 2 ** (Math.max(e, -14) - 10);
  return sign * roundHalfEven(a / step) * step;
}
