/**
 * Float64 reference forward pass of the M3ViT/Edge-MoE backbone, as far as the weights allow: patch embedding, the
 * cls token folded into position-embedding row 0 (Edge-MoE), pre-norm blocks `x += proj(attn(LN1 x))`,
 * `x += MLP(LN2 x)` with exact erf GELU, and at each MoE layer the M3ViT gate (softmax over all E logits of
 * `LN2(x) @ W_gate`, top-k probabilities not renormalised). Written plainly for clarity; used to compute real
 * routing traces from real weights and by tests — not for speed.
 *
 * With a partial weights set (the Edge-MoE fixture lacks the expert matrices) it stops after the gate of the first MoE
 * layer whose experts are missing: that layer's routing is exact, nothing after it can be computed.
 */
import { patchCount, tokenCount, type Design } from '../../engine/design';
import type { RoutingTraceLayer } from '../../engine/routing-trace';
import { erf } from './moeLayer';

export type Weights = ReadonlyMap<string, Float32Array>;

export interface BackboneRun {
  /** Routing of every MoE layer reached (its gate computed), for the requested task. */
  layers: RoutingTraceLayer[];
  /** Index of the first block that could not be completed (weights missing), or depth when all ran. */
  stoppedAt: number;
  /** Why it stopped, when it did. */
  reason?: string;
  /** The tokens after the last completed block ([tokens][dim]). */
  features: Float64Array[];
}

const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));

function need(w: Weights, name: string): Float32Array {
  const t = w.get(name);
  if (!t) throw new Error(`weights: missing tensor ${name}`);
  return t;
}

/** LayerNorm over the last axis of every row (biased variance, as PyTorch). */
export function layerNorm(x: Float64Array[], gamma: Float32Array, beta: Float32Array, eps: number): Float64Array[] {
  return x.map((row) => {
    const D = row.length;
    let mean = 0;
    for (const v of row) mean += v;
    mean /= D;
    let variance = 0;
    for (const v of row) variance += (v - mean) ** 2;
    variance /= D;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, d) => (v - mean) * inv * gamma[d] + beta[d]);
  });
}

/** y[t] = W x[t] + b with W stored [out, in] (PyTorch Linear layout), rows `rowOffset…rowOffset+out`. */
export function linear(x: Float64Array[], W: Float32Array, b: Float32Array, out: number, inDim: number, rowOffset = 0): Float64Array[] {
  return x.map((row) => {
    const y = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = b[rowOffset + o];
      const base = (rowOffset + o) * inDim;
      for (let i = 0; i < inDim; i++) s += W[base + i] * row[i];
      y[o] = s;
    }
    return y;
  });
}

function attention(x: Float64Array[], w: Weights, l: number, heads: number): Float64Array[] {
  const D = x[0].length;
  const hd = D / heads;
  const qkvW = need(w, `l${l}_qkv_weight`);
  const qkvB = need(w, `l${l}_qkv_bias`);
  const q = linear(x, qkvW, qkvB, D, D, 0);
  const k = linear(x, qkvW, qkvB, D, D, D);
  const v = linear(x, qkvW, qkvB, D, D, 2 * D);
  const scale = 1 / Math.sqrt(hd);
  const T = x.length;
  const out = x.map(() => new Float64Array(D));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < T; i++) {
      const s = new Float64Array(T);
      let max = -Infinity;
      for (let j = 0; j < T; j++) {
        let dot = 0;
        for (let d = h * hd; d < (h + 1) * hd; d++) dot += q[i][d] * k[j][d];
        s[j] = dot * scale;
        if (s[j] > max) max = s[j];
      }
      let z = 0;
      for (let j = 0; j < T; j++) z += (s[j] = Math.exp(s[j] - max));
      for (let j = 0; j < T; j++) {
        const p = s[j] / z;
        for (let d = h * hd; d < (h + 1) * hd; d++) out[i][d] += p * v[j][d];
      }
    }
  }
  return linear(out, need(w, `l${l}_attn_proj_weight`), need(w, `l${l}_attn_proj_bias`), D, D);
}

function addInPlace(x: Float64Array[], y: Float64Array[]): void {
  x.forEach((row, t) => row.forEach((_, d) => (row[d] += y[t][d])));
}

/** Token 0 = pos_embed[0] (cls folded in, as Edge-MoE); token 1 + p = patch p (row-major) embedded + pos_embed. */
function embed(design: Design, w: Weights, image: Float32Array): Float64Array[] {
  const m = design.model;
  const D = m.dim;
  const [C, H, W] = [m.input.channels, m.input.height, m.input.width];
  const [PH, PW] = [m.patch.height, m.patch.width];
  const cols = Math.floor(W / PW);
  const pe = need(w, 'patch_embed_weight');
  const pb = need(w, 'patch_embed_bias');
  const pos = need(w, 'pos_embed');
  const tokens: Float64Array[] = [];
  // Edge-MoE folds the cls token into pos_embed row 0; a separate `cls_token` (M3ViT layout) is added to it.
  const cls = w.get('cls_token');
  if (m.cls) tokens.push(Float64Array.from(pos.subarray(0, D), (v, d) => v + (cls ? cls[d] : 0)));
  for (let p = 0; p < patchCount(m); p++) {
    const [py, px] = [Math.floor(p / cols), p % cols];
    const t = tokens.length;
    const row = new Float64Array(D);
    for (let o = 0; o < D; o++) {
      let s = pb[o];
      for (let c = 0; c < C; c++)
        for (let i = 0; i < PH; i++)
          for (let j = 0; j < PW; j++) s += pe[((o * C + c) * PH + i) * PW + j] * image[(c * H + py * PH + i) * W + px * PW + j];
      row[o] = s + pos[t * D + o];
    }
    tokens.push(row);
  }
  return tokens;
}

/** M3ViT's task embedding (one for all MoE layers): LayerNorm(fc2(GELU(fc1(one_hot(task))))), width Dt. */
function embedTask(w: Weights, task: number, tasks: number, Dt: number, eps: number): Float64Array {
  const oneHot = [Float64Array.from({ length: tasks }, (_, t) => (t === task ? 1 : 0))];
  const hidden = linear(oneHot, need(w, 'task_embed_fc1_weight'), need(w, 'task_embed_fc1_bias'), Dt, tasks).map((r) => r.map(gelu));
  const out = linear(hidden, need(w, 'task_embed_fc2_weight'), need(w, 'task_embed_fc2_bias'), Dt, Dt);
  return layerNorm(out, need(w, 'task_embed_norm_weight'), need(w, 'task_embed_norm_bias'), eps)[0];
}

/**
 * Runs the backbone for task index `task` (the order of the design's tasks = `task0`, `task1`, … gate files) and
 * returns the routing of every MoE layer it reaches.
 */
export function runBackbone(design: Design, weights: Weights, image: Float32Array, task: number): BackboneRun {
  const m = design.model;
  if (tokenCount(m) * m.dim !== need(weights, 'pos_embed').length) throw new Error('weights: pos_embed does not match the design');
  const x = embed(design, weights, image);
  const layers: RoutingTraceLayer[] = [];
  for (let l = 0; l < m.depth; l++) {
    addInPlace(x, attention(layerNorm(x, need(weights, `l${l}_norm1_weight`), need(weights, `l${l}_norm1_bias`), m.eps), weights, l, m.heads));
    const h = layerNorm(x, need(weights, `l${l}_norm2_weight`), need(weights, `l${l}_norm2_bias`), m.eps);
    const moe = m.moe && m.moe.layers.includes(l) ? m.moe : undefined;
    if (!moe) {
      const hidden = linear(h, need(weights, `l${l}_fc1_weight`), need(weights, `l${l}_fc1_bias`), m.mlpHidden, m.dim).map((r) => r.map(gelu));
      addInPlace(x, linear(hidden, need(weights, `l${l}_fc2_weight`), need(weights, `l${l}_fc2_bias`), m.dim, m.mlpHidden));
      continue;
    }
    // Per-task gates: the task's own router over x. Task-conditioned: one router over [x ‖ e_task].
    const taskEmbedding = moe.gate.kind === 'shared' ? embedTask(weights, task, design.tasks.length, moe.gate.embedDim, m.eps) : undefined;
    const gate = need(weights, taskEmbedding ? `l${l}_w_gate_T` : `l${l}_w_gate_T_task${task}`); // [E, D (+ Dt)]
    const gateIn = m.dim + (taskEmbedding?.length ?? 0);
    const routing: RoutingTraceLayer = { layer: l, experts: [], scores: [] };
    const perToken = h.map((row) => {
      const input = taskEmbedding ? [...row, ...taskEmbedding] : row;
      const logits = Array.from({ length: moe.experts }, (_, e) => {
        let s = 0;
        for (let d = 0; d < gateIn; d++) s += gate[e * gateIn + d] * input[d];
        return s;
      });
      const max = Math.max(...logits);
      const ex = logits.map((v) => Math.exp(v - max));
      const z = ex.reduce((a, b) => a + b, 0);
      const top = ex.map((v, e) => [v / z, e] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, moe.topK);
      routing.experts.push(top.map((t) => t[1]));
      routing.scores.push(top.map((t) => t[0]));
      return top;
    });
    layers.push(routing);
    const fc1 = weights.get(`l${l}_htoh4_weight`);
    const fc2 = weights.get(`l${l}_h4toh_weight`);
    if (!fc1 || !fc2) return { layers, stoppedAt: l, reason: `layer ${l}: expert weights ${!fc1 ? `l${l}_htoh4_weight` : `l${l}_h4toh_weight`} missing`, features: x };
    const b1 = need(weights, `l${l}_htoh4_bias`);
    const b2 = need(weights, `l${l}_h4toh_bias`);
    const H = moe.hidden;
    const D = m.dim;
    h.forEach((row, t) => {
      for (const [p, e] of perToken[t]) {
        const mid = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          let s = b1[e * H + j];
          for (let d = 0; d < D; d++) s += fc1[(e * H + j) * D + d] * row[d];
          mid[j] = gelu(s);
        }
        for (let d = 0; d < D; d++) {
          let s = b2[e * D + d];
          for (let j = 0; j < H; j++) s += fc2[(e * D + d) * H + j] * mid[j];
          x[t][d] += p * s; // top-k probability as the weight, not renormalised (M3ViT)
        }
      }
    });
  }
  return { layers, stoppedAt: m.depth, features: x };
}
