/**
 * Float64 reference of M3ViT's `VisionTransformerUpHead` ("pup", models/vit_up_head.py, num_conv = 4,
 * num_upsampe_layer = 4), the same operations as `headLayer` counts and the ONNX graph runs:
 * patch tokens → LayerNorm (eps 1e-6, hard-coded in the head) → [D, rows, cols] → 4 × (conv3x3 pad 1 → BatchNorm
 * (running statistics, eps 1e-5) → ReLU), bilinear ×2 after each of the first three → conv1x1 width → count →
 * bilinear resize to the input size. Plain loops, written for clarity; tests only (and tiny designs).
 *
 * Bilinear resampling is PyTorch's `align_corners=False` (M3ViT's configs all set `align_corners: False`, and
 * BaseDecodeHead defaults to False): source = (dst + 0.5)·in/out − 0.5, clamped to [0, in − 1] — ONNX Resize's
 * `half_pixel` coordinate mode, which is what the graph uses.
 */
import type { HeadSpec, ModelSpec } from '../../engine/design';
import { BATCHNORM_EPS, PUP_STAGES } from '../weights/headSpecs';

export type Weights = ReadonlyMap<string, Float32Array>;

/** A [channels, height, width] map, row-major. */
export interface FeatureMap {
  channels: number;
  height: number;
  width: number;
  data: Float64Array;
}

function need(w: Weights, name: string): Float32Array {
  const t = w.get(name);
  if (!t) throw new Error(`weights: missing tensor ${name}`);
  return t;
}

/** Stride-1 convolution with a square odd kernel and "same" zero padding; weight [out, in, k, k] (PyTorch layout). */
export function conv2d(x: FeatureMap, weight: Float32Array, bias: Float32Array, outChannels: number, kernel: number): FeatureMap {
  const { channels: C, height: H, width: W } = x;
  const pad = (kernel - 1) / 2;
  const data = new Float64Array(outChannels * H * W);
  for (let o = 0; o < outChannels; o++)
    for (let y = 0; y < H; y++)
      for (let xx = 0; xx < W; xx++) {
        let s = bias[o];
        for (let c = 0; c < C; c++)
          for (let i = 0; i < kernel; i++) {
            const sy = y + i - pad;
            if (sy < 0 || sy >= H) continue;
            for (let j = 0; j < kernel; j++) {
              const sx = xx + j - pad;
              if (sx < 0 || sx >= W) continue;
              s += weight[((o * C + c) * kernel + i) * kernel + j] * x.data[(c * H + sy) * W + sx];
            }
          }
        data[(o * H + y) * W + xx] = s;
      }
  return { channels: outChannels, height: H, width: W, data };
}

/** Inference BatchNorm (running mean/var) followed by ReLU, per channel. */
export function batchNormRelu(x: FeatureMap, gamma: Float32Array, beta: Float32Array, mean: Float32Array, variance: Float32Array, eps = BATCHNORM_EPS): FeatureMap {
  const plane = x.height * x.width;
  const data = x.data.map((v, i) => {
    const c = Math.floor(i / plane);
    const y = ((v - mean[c]) / Math.sqrt(variance[c] + eps)) * gamma[c] + beta[c];
    return y > 0 ? y : 0;
  });
  return { ...x, data };
}

/** One axis of align_corners=False bilinear sampling: the two source indices and the weight of the second. */
function sourceAxis(out: number, size: number): { i0: number[]; i1: number[]; t: number[] } {
  const i0: number[] = [];
  const i1: number[] = [];
  const t: number[] = [];
  for (let d = 0; d < out; d++) {
    const src = Math.min(Math.max((d + 0.5) * (size / out) - 0.5, 0), size - 1);
    const lo = Math.floor(src);
    i0.push(lo);
    i1.push(Math.min(lo + 1, size - 1));
    t.push(src - lo);
  }
  return { i0, i1, t };
}

/** Bilinear resize of every channel to outH × outW (align_corners=False = ONNX Resize linear half_pixel). */
export function resizeBilinear(x: FeatureMap, outH: number, outW: number): FeatureMap {
  const ys = sourceAxis(outH, x.height);
  const xs = sourceAxis(outW, x.width);
  const data = new Float64Array(x.channels * outH * outW);
  for (let c = 0; c < x.channels; c++) {
    const at = (y: number, xx: number) => x.data[(c * x.height + y) * x.width + xx];
    for (let y = 0; y < outH; y++)
      for (let xx = 0; xx < outW; xx++) {
        const [y0, y1, ty] = [ys.i0[y], ys.i1[y], ys.t[y]];
        const [x0, x1, tx] = [xs.i0[xx], xs.i1[xx], xs.t[xx]];
        const top = at(y0, x0) * (1 - tx) + at(y0, x1) * tx;
        const bottom = at(y1, x0) * (1 - tx) + at(y1, x1) * tx;
        data[(c * outH + y) * outW + xx] = top * (1 - ty) + bottom * ty;
      }
  }
  return { channels: x.channels, height: outH, width: outW, data };
}

export interface PupRun {
  /** The conv1x1 output before the final resize: [count, 8·rows, 8·cols]. */
  logits: FeatureMap;
  /** The logits resized to the input: [count, H, W]. */
  prediction: FeatureMap;
}

/**
 * Runs task `taskName`'s PUP head on the backbone's patch tokens (`patchTokens[p]` = patch p in row-major order,
 * cls token already dropped) after LayerNorm by `layerNorm`.
 */
export function runPupHead(
  model: ModelSpec,
  head: Extract<HeadSpec, { kind: 'pup' }>,
  weights: Weights,
  taskName: string,
  normedTokens: Float64Array[],
): PupRun {
  const p = `head_${taskName}`;
  const D = model.dim;
  const rows = Math.floor(model.input.height / model.patch.height);
  const cols = Math.floor(model.input.width / model.patch.width);
  // tokens [P, D] → [D, rows, cols] (M3ViT: x.transpose(1, 2).reshape(n, c, h, w))
  const grid = new Float64Array(D * rows * cols);
  normedTokens.forEach((row, t) => row.forEach((v, d) => (grid[d * rows * cols + t] = v)));
  let x: FeatureMap = { channels: D, height: rows, width: cols, data: grid };
  for (let i = 0; i < PUP_STAGES; i++) {
    x = conv2d(x, need(weights, `${p}_conv${i}_weight`), need(weights, `${p}_conv${i}_bias`), head.width, 3);
    x = batchNormRelu(x, need(weights, `${p}_bn${i}_weight`), need(weights, `${p}_bn${i}_bias`), need(weights, `${p}_bn${i}_mean`), need(weights, `${p}_bn${i}_var`));
    if (i < PUP_STAGES - 1) x = resizeBilinear(x, 2 * x.height, 2 * x.width);
  }
  const logits = conv2d(x, need(weights, `${p}_out_weight`), need(weights, `${p}_out_bias`), head.count, 1);
  return { logits, prediction: resizeBilinear(logits, model.input.height, model.input.width) };
}
