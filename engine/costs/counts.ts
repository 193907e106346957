/**
 * Exact operation counts of one forward pass: MACs of every matrix product per layer and per operation, element-wise
 * work by kind, and FLOPs (= 2 × MACs, always labelled). Counts never depend on routing: under any routing every token
 * of a MoE layer goes through exactly k experts, so a MoE layer always does N·k expert passes (only traffic and
 * latency see the distribution). Biases are not MACs (they are counted as element-wise `bias_add`).
 *
 * Three variants of the same model are counted by one function so that their differences are only the FFN choice and
 * the heads: single-task top-k MoE, dense multi-task ViT (MoE layers as the dense MLP, all heads) and all-experts MoE.
 */
import { isMoeLayer, patchCount, tokenCount, type HeadSpec, type ModelSpec } from '../design';

export type MatOp = 'patch_embed' | 'qkv' | 'qk' | 'av' | 'proj' | 'mlp' | 'task_embed' | 'gate' | 'experts' | 'head';
export const MAT_OPS: readonly MatOp[] = ['patch_embed', 'qkv', 'qk', 'av', 'proj', 'mlp', 'task_embed', 'gate', 'experts', 'head'];

export type ElementwiseKind =
  | 'layernorm'
  | 'softmax'
  | 'attn_scale'
  | 'gelu'
  | 'residual_add'
  | 'bias_add'
  | 'gate_softmax'
  | 'score_scale'
  | 'batchnorm'
  | 'relu'
  | 'upsample';
export const ELEMENTWISE_KINDS: readonly ElementwiseKind[] = [
  'layernorm', 'softmax', 'attn_scale', 'gelu', 'residual_add', 'bias_add', 'gate_softmax', 'score_scale', 'batchnorm', 'relu', 'upsample',
];

/** Element counts per kind: how many elements each kind of element-wise operation touches (outputs produced). */
export type ElementwiseCounts = Record<ElementwiseKind, number>;

export interface OpCount {
  op: MatOp;
  macs: number;
  /** 2 × macs. */
  flops: number;
}

export type LayerKind = 'embed' | 'dense' | 'moe' | 'head';

export interface LayerCount {
  /** 'patch_embed', 'block N' (0-based N), or 'head TASK'. */
  name: string;
  /** Block index for transformer blocks; -1 for the embedding, `depth` for heads. */
  layer: number;
  kind: LayerKind;
  macs: number;
  flops: number;
  ops: OpCount[];
  elementwise: ElementwiseCounts;
}

export type FfnVariant = 'top_k' | 'dense' | 'all_experts';

export interface CountOptions {
  /** How MoE layers are computed: the task's top-k experts, the dense MLP (dense MTL baseline), or every expert. */
  ffn: FfnVariant;
  /** Heads that run (single task: its own; dense MTL: all). */
  heads: { name: string; head: HeadSpec }[];
  /** Number of tasks, needed by the task-conditioned gate's one-hot input. */
  taskCount: number;
}

export interface ModelCount {
  macs: number;
  flops: number;
  layers: LayerCount[];
  byOp: Record<MatOp, number>;
  elementwise: ElementwiseCounts;
}

export function zeroElementwise(): ElementwiseCounts {
  const e = {} as ElementwiseCounts;
  for (const k of ELEMENTWISE_KINDS) e[k] = 0;
  return e;
}

function layerOf(name: string, layer: number, kind: LayerKind, macsByOp: [MatOp, number][], elementwise: ElementwiseCounts): LayerCount {
  const ops = macsByOp.filter(([, m]) => m > 0).map(([op, macs]) => ({ op, macs, flops: 2 * macs }));
  const macs = ops.reduce((s, o) => s + o.macs, 0);
  return { name, layer, kind, macs, flops: 2 * macs, ops, elementwise };
}

/** Patch embedding: a conv with kernel = stride = patch, i.e. one Linear(C·ph·pw → D) per patch. The cls token is a parameter, not computed. */
function patchEmbedLayer(model: ModelSpec): LayerCount {
  const P = patchCount(model);
  const D = model.dim;
  const kernel = model.input.channels * model.patch.height * model.patch.width;
  const ew = zeroElementwise();
  ew.bias_add = P * D;
  ew.residual_add = tokenCount(model) * D; // + pos_embed
  return layerOf('patch_embed', -1, 'embed', [['patch_embed', P * kernel * D]], ew);
}

function blockLayer(model: ModelSpec, layer: number, options: Omit<CountOptions, 'heads'>): LayerCount {
  const N = tokenCount(model);
  const D = model.dim;
  const heads = model.heads;
  const moe = isMoeLayer(model, layer) ? model.moe : undefined;
  const ew = zeroElementwise();
  // Attention: Q, K, V (3 · N·D·D), QKᵀ (heads · N·N·dh = N·N·D), attention·V (same), projection (N·D·D).
  const qkv = 3 * N * D * D;
  const qk = N * N * D;
  const av = N * N * D;
  const proj = N * D * D;
  ew.layernorm += 2 * N * D; // norm1, norm2
  ew.attn_scale += heads * N * N;
  ew.softmax += heads * N * N;
  ew.bias_add += 4 * N * D; // q, k, v, proj biases
  ew.residual_add += 2 * N * D;
  let mlp = 0;
  let gate = 0;
  let experts = 0;
  if (!moe || options.ffn === 'dense') {
    const H = model.mlpHidden;
    mlp = 2 * N * D * H;
    ew.gelu += N * H;
    ew.bias_add += N * H + N * D;
  } else {
    const h = moe.hidden;
    const passes = options.ffn === 'all_experts' ? moe.experts : moe.topK;
    experts = passes * N * 2 * D * h;
    ew.gelu += passes * N * h;
    ew.bias_add += passes * N * (h + D);
    // The combine: out[token] += score · y for each of the token's expert outputs.
    ew.score_scale += passes * N * D;
    const gateIn = moe.gate.kind === 'shared' ? D + moe.gate.embedDim : D;
    gate = N * gateIn * moe.experts;
    ew.gate_softmax += N * moe.experts;
  }
  const kind: LayerKind = moe && options.ffn !== 'dense' ? 'moe' : 'dense';
  return layerOf(
    `block ${layer}`,
    layer,
    kind,
    [
      ['qkv', qkv],
      ['qk', qk],
      ['av', av],
      ['proj', proj],
      ['mlp', mlp],
      ['gate', gate],
      ['experts', experts],
    ],
    ew,
  );
}

/**
 * Task heads. `linear`: Linear(D→n) per patch token, then bilinear upsampling of the n maps to the input size.
 * `cls`: Linear(D→n) on the cls token (after a LayerNorm of that one token). `pup`: M3ViT `VisionTransformerUpHead`
 * with 4 convs and 4 upsamplings (models/vit_up_head.py): LN over the patch tokens, conv3x3 D→C at (h,w), ×2,
 * conv3x3 C→C at (2h,2w), ×2, conv3x3 at (4h,4w), ×2, conv3x3 at (8h,8w), conv1x1 C→n at (8h,8w), bilinear ×2 to the
 * input size. BN (foldable at inference) is counted as element-wise, as are ReLU and the bilinear upsamplings.
 */
export function headLayer(model: ModelSpec, taskName: string, head: HeadSpec): LayerCount {
  const D = model.dim;
  const P = patchCount(model);
  const n = head.count;
  const outPixels = model.input.height * model.input.width;
  const ew = zeroElementwise();
  let macs = 0;
  switch (head.kind) {
    case 'linear':
      macs = P * D * n;
      ew.bias_add += P * n;
      ew.upsample += outPixels * n;
      break;
    case 'cls':
      macs = D * n;
      ew.layernorm += D;
      ew.bias_add += n;
      break;
    case 'pup': {
      const C = head.width;
      const gh = Math.floor(model.input.height / model.patch.height);
      const gw = Math.floor(model.input.width / model.patch.width);
      ew.layernorm += P * D;
      const base = gh * gw;
      // conv3x3 at scales 1, 4, 16, 64 (× base positions); first has D inputs, the rest C.
      const scales = [1, 4, 16, 64];
      scales.forEach((s, i) => {
        const inC = i === 0 ? D : C;
        macs += s * base * 9 * inC * C;
        ew.bias_add += s * base * C;
        ew.batchnorm += s * base * C;
        ew.relu += s * base * C;
        if (i < 3) ew.upsample += 4 * s * base * C;
      });
      macs += 64 * base * C * n; // conv1x1 C→n at (8h, 8w)
      ew.bias_add += 64 * base * n;
      ew.upsample += outPixels * n;
      break;
    }
  }
  return layerOf(`head ${taskName}`, model.depth, 'head', [['head', macs]], ew);
}

/** Task-conditioned gate: the task embedding one-hot(T) → Linear(T→Dt) → GELU → Linear(Dt→Dt) → LN, once per frame. */
function taskEmbedLayer(model: ModelSpec, taskCount: number): LayerCount | undefined {
  const gate = model.moe?.gate;
  if (!gate || gate.kind !== 'shared') return undefined;
  const Dt = gate.embedDim;
  const ew = zeroElementwise();
  ew.gelu += Dt;
  ew.layernorm += Dt;
  ew.bias_add += 2 * Dt;
  return layerOf('task_embed', -1, 'embed', [['task_embed', taskCount * Dt + Dt * Dt]], ew);
}

/** Everything `countModel` counts but the heads: the same for every task of a design (counted once per design). */
export interface BackboneCount {
  layers: readonly LayerCount[];
  macs: number;
  byOp: Readonly<Record<MatOp, number>>;
  elementwise: Readonly<ElementwiseCounts>;
}

export function countBackbone(model: ModelSpec, options: Omit<CountOptions, 'heads'>): BackboneCount {
  const layers: LayerCount[] = [patchEmbedLayer(model)];
  if (options.ffn !== 'dense') {
    const te = taskEmbedLayer(model, options.taskCount);
    if (te) layers.push(te);
  }
  for (let l = 0; l < model.depth; l++) layers.push(blockLayer(model, l, options));
  return { layers, ...sums(layers) };
}

/**
 * The model's count with `options.heads`. `backbone`: the same options' countBackbone, when the caller counts several
 * tasks (the sums are of integers below 2^53, so adding the heads to the backbone's sums is exact in any order).
 */
export function countModel(model: ModelSpec, options: CountOptions, backbone: BackboneCount = countBackbone(model, options)): ModelCount {
  const heads = options.heads.map(({ name, head }) => headLayer(model, name, head));
  const headSums = sums(heads);
  const byOp = { ...backbone.byOp };
  for (const op of MAT_OPS) byOp[op] += headSums.byOp[op];
  const elementwise = { ...backbone.elementwise };
  for (const k of ELEMENTWISE_KINDS) elementwise[k] += headSums.elementwise[k];
  const macs = backbone.macs + headSums.macs;
  return { macs, flops: 2 * macs, layers: [...backbone.layers, ...heads], byOp, elementwise };
}

function sums(layers: readonly LayerCount[]): { macs: number; byOp: Record<MatOp, number>; elementwise: ElementwiseCounts } {
  const byOp = {} as Record<MatOp, number>;
  for (const op of MAT_OPS) byOp[op] = 0;
  const elementwise = zeroElementwise();
  let macs = 0;
  for (const l of layers) {
    macs += l.macs;
    for (const o of l.ops) byOp[o.op] += o.macs;
    for (const k of ELEMENTWISE_KINDS) elementwise[k] += l.elementwise[k];
  }
  return { macs, byOp, elementwise };
}

/** MACs of the backbone only (patch embedding, task embedding and blocks; no heads). */
export function backboneMacs(count: ModelCount): number {
  return count.layers.filter((l) => l.kind !== 'head').reduce((s, l) => s + l.macs, 0);
}
