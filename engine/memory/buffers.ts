/**
 * The named on-chip buffers each schedule strategy needs, with their geometry (depth × port width), bytes, and the
 * BRAM36/URAM blocks they take. The architecture follows Edge-MoE (sharc-lab/Edge-MoE, see docs/edge-moe-buffers.md):
 * activations, attention scores and softmax statistics live off-chip; one unified linear unit of
 * `linear.inputs × linear.outputs` MACs reads a whole weight tile per cycle, so weight buffers have that port width.
 * Strategies differ only in where expert weights sit:
 * - `all_resident`: all E experts of the current MoE layer in one on-chip store (+ the dense ping/pong);
 * - `token_by_token`: k expert slots (fc1+fc2 each), refilled as tokens walk in order;
 * - `expert_by_expert`: no expert store at all — experts stream through the same ping/pong as the dense weights,
 *   plus per-expert bookkeeping (queues [E][N], scores [E][N], queue lengths, metaqueue). Nothing else grows with E.
 */
import { formatBits, tokenCount, type Design, type HardwareTarget, type ModelSpec, type Strategy, type TaskSpec } from '../design';
import { headOps } from '../schedule/index';
import { BRAM36_BITS, URAM_BITS, chooseMapping, type BlockMapping } from './blocks';

/** Edge-MoE's AXI ports are 256-bit (AXI_XFER_BIT_WIDTH); activation blocks are one beat wide. */
export const AXI_BITS = 256;
/** Expert queue entries are token indices stored as 32-bit `unsigned int`, as in Edge-MoE src/moe.cpp. */
export const INDEX_BITS = 32;

export type BufferRole = 'weights' | 'bias' | 'activations' | 'attention' | 'gate' | 'experts' | 'bookkeeping';

export interface OnchipBuffer {
  name: string;
  role: BufferRole;
  /** Words × port width: how it is laid out in memory blocks. */
  depth: number;
  widthBits: number;
  bytes: number;
  mapping: BlockMapping;
  /** Why the buffer exists / what it mirrors in Edge-MoE. */
  note: string;
}

export interface OnchipPlan {
  strategy: Strategy;
  buffers: OnchipBuffer[];
  bytes: number;
  bram36: number;
  uram: number;
  /** Capacity of the blocks used ÷ capacity of all BRAM36 + URAM of the target, percent. */
  onchipPercent: number;
  bramPercent: number;
  uramPercent: number;
}

interface BufferSpec {
  name: string;
  role: BufferRole;
  depth: number;
  widthBits: number;
  note: string;
}

/** The dense linear weight matrices (out × in) the unified linear unit runs, excluding experts. */
export function denseMatrices(model: ModelSpec): { out: number; in: number }[] {
  const D = model.dim;
  const mats = [{ out: D, in: D }]; // Q, K, V and proj are each D×D (Edge-MoE splits qkv in three)
  const denseLayers = model.depth - (model.moe?.layers.length ?? 0);
  if (denseLayers > 0) mats.push({ out: model.mlpHidden, in: D }, { out: D, in: model.mlpHidden });
  return mats;
}

/** The linear matrices of a task head as the unified linear unit runs them (convolutions as im2col: in = k·k·C_in). */
export function headMatrices(model: ModelSpec, task: TaskSpec): { out: number; in: number }[] {
  return headOps(model, task).flatMap((op) => (op.kind === 'linear' ? [{ out: op.outDim, in: op.inDim }] : []));
}

export function expertMatrices(model: ModelSpec): { out: number; in: number }[] {
  if (!model.moe) return [];
  return [
    { out: model.moe.hidden, in: model.dim },
    { out: model.dim, in: model.moe.hidden },
  ];
}

function bufferSpecs(design: Design, target: HardwareTarget, strategy: Strategy): BufferSpec[] {
  const model = design.model;
  const moe = model.moe;
  const D = model.dim;
  const N = tokenCount(model);
  const wB = formatBits(target.weights);
  const aB = formatBits(target.acts);
  const I = Math.max(1, target.linear.inputs);
  const O = Math.max(1, target.linear.outputs);
  const R = Math.max(1, target.attention.rows);
  const fb = Math.max(1, Math.floor(AXI_BITS / aB)); // activation values per 256-bit beat (Edge-MoE FEATURE_BLOCK_SIZE)
  const tile = I * O;
  const specs: BufferSpec[] = [];
  const resident = strategy === 'all_resident';
  // Heads run on the unified linear unit through ping/pong, except under all_resident, which keeps the head resident.
  const headMats = resident ? [] : design.tasks.flatMap((t) => headMatrices(model, t));
  const mats = [...denseMatrices(model), ...headMats, ...(strategy === 'expert_by_expert' ? expertMatrices(model) : [])];
  const maxMat = Math.max(...mats.map((m) => m.out * m.in));
  const maxOut = Math.max(...mats.map((m) => m.out));
  const maxIn = Math.max(...mats.map((m) => m.in));
  const pingNote =
    strategy === 'expert_by_expert' && moe
      ? 'largest linear weight matrix (dense or one expert FC); the next matrix loads into the other buffer while this one computes'
      : 'largest dense linear weight matrix; double-buffered so loading overlaps compute';
  for (const side of ['ping', 'pong']) {
    specs.push({ name: `linear_weights_${side}`, role: 'weights', depth: Math.ceil(maxMat / tile), widthBits: tile * wB, note: pingNote });
    specs.push({ name: `linear_bias_${side}`, role: 'bias', depth: Math.ceil(maxOut / O), widthBits: O * wB, note: 'biases of the matrix in the weight buffer' });
  }
  const wPerBeat = Math.max(1, Math.floor(AXI_BITS / wB));
  specs.push({
    name: 'weight_reorder_cache',
    role: 'weights',
    depth: Math.ceil(maxIn / wPerBeat),
    widthBits: O * wPerBeat * wB,
    note: 'one row-block of weights regrouped from AXI beats into the tile layout while loading (Edge-MoE load_linear_weights weights_cache)',
  });
  specs.push({ name: 'linear_input_row', role: 'activations', depth: Math.ceil(maxIn / I), widthBits: I * aB, note: "one token's input row, reused across all output tiles" });
  const kernel = model.input.channels * model.patch.height * model.patch.width;
  specs.push({
    name: 'patch_embed_weights',
    role: 'weights',
    depth: Math.ceil((D * kernel) / (fb * model.patch.width)),
    widthBits: fb * model.patch.width * wB,
    note: 'patch-embedding kernel, resident for the embedding step (Edge-MoE keeps it in its own array)',
  });
  const gw = Math.floor(model.input.width / model.patch.width);
  specs.push({ name: 'patch_row', role: 'activations', depth: gw * Math.ceil(D / fb), widthBits: fb * aB, note: 'embeddings of one row of patches' });
  specs.push({ name: 'layernorm_params', role: 'weights', depth: 4 * Math.ceil(D / fb), widthBits: fb * wB, note: 'γ, β of norm1 and norm2 of the current layer' });
  specs.push({ name: 'attention_query_rows', role: 'attention', depth: Math.ceil(D / fb), widthBits: R * fb * aB, note: `${R} query rows held while all keys stream once (constant bandwidth in the row count)` });
  if (resident) {
    // The current task's head stays on chip across frames (as the schedule models all_resident); size: the largest head.
    let headWords = 0;
    for (const t of design.tasks) headWords = Math.max(headWords, headMatrices(model, t).reduce((s, m) => s + Math.ceil((m.out * m.in) / tile), 0));
    specs.push({ name: 'head_weights', role: 'weights', depth: headWords, widthBits: tile * wB, note: "the current task's head, resident across frames" });
  }
  specs.push({ name: 'attention_accumulators', role: 'attention', depth: Math.ceil(D / fb), widthBits: R * fb * aB, note: `attention·V output rows of the ${R} queries being accumulated` });
  specs.push({ name: 'attention_softmax_state', role: 'attention', depth: 1, widthBits: R * model.heads * 2 * aB, note: 'running max and sum per query row and head (single-pass softmax)' });
  if (!moe) return specs;

  const E = moe.experts;
  const k = moe.topK;
  const h = moe.hidden;
  const gateIn = moe.gate.kind === 'shared' ? D + moe.gate.embedDim : D;
  specs.push({
    name: resident ? 'gate_weights_all_layers' : 'gate_weights',
    role: 'gate',
    depth: (resident ? moe.layers.length : 1) * Math.ceil(gateIn / fb),
    widthBits: E * fb * wB,
    note: resident
      ? `the current task's routers of all ${moe.layers.length} MoE layers, resident across frames (reloaded on a task switch)`
      : `the current task's router of the current MoE layer, ${E} logits × ${fb} inputs per cycle (loaded per layer)`,
  });
  if (moe.gate.kind === 'shared') {
    specs.push({ name: 'task_embedding', role: 'gate', depth: 1, widthBits: moe.gate.embedDim * aB, note: 'e_task, computed once per frame and appended to every gate input' });
  }
  const expertWords = 2 * Math.ceil((D * h) / tile);
  switch (strategy) {
    case 'all_resident':
      specs.push({ name: 'expert_weights_all', role: 'experts', depth: E * expertWords, widthBits: tile * wB, note: `all ${E} experts (fc1 + fc2) of the current MoE layer` });
      specs.push({ name: 'expert_bias_all', role: 'bias', depth: E * Math.ceil((h + D) / O), widthBits: O * wB, note: 'their biases' });
      specs.push({ name: 'token_hidden', role: 'activations', depth: Math.ceil(h / fb), widthBits: fb * aB, note: "one token's expert hidden vector (token-order compute)" });
      specs.push({ name: 'token_routing', role: 'bookkeeping', depth: 1, widthBits: k * (INDEX_BITS + aB), note: "the current token's k experts and scores" });
      break;
    case 'token_by_token':
      specs.push({ name: 'expert_slots', role: 'experts', depth: k * expertWords, widthBits: tile * wB, note: `${k} expert slots (fc1 + fc2 each), refilled when a token needs an expert not loaded` });
      specs.push({ name: 'expert_slot_bias', role: 'bias', depth: k * Math.ceil((h + D) / O), widthBits: O * wB, note: 'their biases' });
      specs.push({ name: 'token_hidden', role: 'activations', depth: Math.ceil(h / fb), widthBits: fb * aB, note: "one token's expert hidden vector" });
      specs.push({ name: 'token_routing', role: 'bookkeeping', depth: 1, widthBits: k * (INDEX_BITS + aB), note: "the current token's k experts and scores" });
      break;
    case 'expert_by_expert':
      specs.push({ name: 'expert_queues', role: 'bookkeeping', depth: N, widthBits: E * INDEX_BITS, note: `token indices per expert, [${E}][${N}], one bank per expert` });
      specs.push({ name: 'expert_scores', role: 'bookkeeping', depth: N, widthBits: E * aB, note: `gate score of each queued token, [${E}][${N}]` });
      specs.push({ name: 'expert_queue_lens', role: 'bookkeeping', depth: 1, widthBits: E * INDEX_BITS, note: 'queue length per expert' });
      specs.push({ name: 'expert_metaqueue', role: 'bookkeeping', depth: E, widthBits: INDEX_BITS, note: 'the non-empty experts, in order' });
      break;
  }
  return specs;
}

export function planOnchip(design: Design, target: HardwareTarget, strategy: Strategy): OnchipPlan {
  const specs = bufferSpecs(design, target, strategy);
  // Largest first, so URAM (when the part has it) goes to the big weight stores, as a designer would bind them.
  const order = specs.map((s, i) => i).sort((a, b) => specs[b].depth * specs[b].widthBits - specs[a].depth * specs[a].widthBits);
  let uramLeft = target.resources.uram;
  let bramLeft = target.resources.bram36;
  const mapped = new Array<OnchipBuffer>(specs.length);
  for (const i of order) {
    const s = specs[i];
    const mapping = chooseMapping(s.depth, s.widthBits, uramLeft, bramLeft);
    if (mapping.kind === 'uram') uramLeft -= mapping.blocks;
    if (mapping.kind === 'bram') bramLeft -= mapping.blocks;
    mapped[i] = { ...s, bytes: Math.ceil((s.depth * s.widthBits) / 8), mapping };
  }
  let bram36 = 0;
  let uram = 0;
  let bytes = 0;
  for (const b of mapped) {
    bytes += b.bytes;
    if (b.mapping.kind === 'bram') bram36 += b.mapping.blocks;
    if (b.mapping.kind === 'uram') uram += b.mapping.blocks;
  }
  const capBits = target.resources.bram36 * BRAM36_BITS + target.resources.uram * URAM_BITS;
  const usedBits = bram36 * BRAM36_BITS + uram * URAM_BITS;
  return {
    strategy,
    buffers: mapped,
    bytes,
    bram36,
    uram,
    onchipPercent: capBits > 0 ? (100 * usedBits) / capBits : Infinity,
    bramPercent: target.resources.bram36 > 0 ? (100 * bram36) / target.resources.bram36 : bram36 > 0 ? Infinity : 0,
    uramPercent: target.resources.uram > 0 ? (100 * uram) / target.resources.uram : uram > 0 ? Infinity : 0,
  };
}
