/**
 * Float64 reference of the MoE FFN sub-block (tests only): the maths written plainly, independent of the graph
 * builder, so an ONNX-vs-reference comparison checks the graph, not a shared mistake.
 */
import type { MoeLayerWeights } from '../onnx/moeLayer';

const erfGelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));

/** erf by its Maclaurin/continued-fraction-free series (|x| small) or complement asymptotics; ~1e-15 accurate. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz), converges fast for x ≥ 3
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

export interface MoeLayerResult {
  y: Float64Array;
  experts: number[][];
  scores: number[][];
}

export function referenceMoeLayer(w: MoeLayerWeights, x: ArrayLike<number>, task: number): MoeLayerResult {
  const { tokens: T, dim: D, experts: E, topK: K, hidden: H } = w;
  const y = Float64Array.from(x);
  const experts: number[][] = [];
  const scores: number[][] = [];
  for (let t = 0; t < T; t++) {
    const row = Array.from({ length: D }, (_, d) => x[t * D + d]);
    const mean = row.reduce((a, b) => a + b, 0) / D;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / D;
    const ln = row.map((v, d) => ((v - mean) / Math.sqrt(variance + w.eps)) * w.lnGamma[d] + w.lnBeta[d]);
    const logits = Array.from({ length: E }, (_, e) => {
      let s = 0;
      for (let d = 0; d < D; d++) s += ln[d] * w.gate[(task * D + d) * E + e];
      return s;
    });
    const max = Math.max(...logits);
    const ex = logits.map((l) => Math.exp(l - max));
    const z = ex.reduce((a, b) => a + b, 0);
    const probs = ex.map((v) => v / z);
    const order = probs.map((p, e) => [p, e] as const).sort((a, b) => b[0] - a[0]).slice(0, K);
    experts.push(order.map((o) => o[1]));
    scores.push(order.map((o) => o[0]));
    for (const [p, e] of order) {
      const h = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        let s = w.b1[e][j];
        for (let d = 0; d < D; d++) s += ln[d] * w.fc1[e][d * H + j];
        h[j] = erfGelu(s);
      }
      for (let d = 0; d < D; d++) {
        let s = w.b2[e][d];
        for (let j = 0; j < H; j++) s += h[j] * w.fc2[e][j * D + d];
        y[t * D + d] += p * s; // top-k probability as weight, not renormalised (M3ViT)
      }
    }
  }
  return { y, experts, scores };
}
