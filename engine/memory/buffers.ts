/**
 * The named on-chip buffers each schedule strategy needs, with their geometry (banks × depth × port width), bytes,
 * and the memory they land in (registers, LUTRAM, BRAM36, URAM; blocks.ts has the Vitis HLS rules). The
 * architecture follows Edge-MoE (sharc-lab/Edge-MoE, docs/edge-moe-buffers.md ties each buffer to its HLS array):
 * activations, attention scores and softmax statistics live off chip; the linear arrays read a whole weight tile per
 * cycle, so weight buffers have that port width. Strategies differ in where expert weights sit:
 * - `all_resident`: all E experts of the current MoE layer in one on-chip store (+ the dense ping/pong);
 * - `token_by_token`: k expert slots (fc1+fc2 each), refilled as tokens walk in order;
 * - `expert_by_expert`: no expert store — experts stream through the same ping/pong as the dense weights, plus the
 *   per-expert queues. With `queues compact`, no gate unit and a `weight_buffer` size, nothing grows with E but the
 *   E-entry queue offsets (M3ViT's claim: memory that does not grow with the number of experts).
 */
import { formatBits, tokenCount, type Design, type HardwareTarget, type Strategy } from '../design';
import { KERNEL_AXI_BITS } from '../kernel';
import { headMatrices, outputBlock, pingPongCapacity, routerMatrix } from '../weightTiles';
import { BRAM36_BITS, URAM_BITS, chooseMapping, type BlockMapping } from './blocks';
import { rebindToFit } from './rebind';

export { denseMatrices, expertMatrices, headMatrices } from '../weightTiles';

/** Edge-MoE's AXI masters are 256-bit (AXI_XFER_BIT_WIDTH); activation blocks are one beat wide. */
export const AXI_BITS = KERNEL_AXI_BITS;
/** Expert queue entries are token indices stored as 32-bit `unsigned int`, as in Edge-MoE src/moe.cpp line 13. */
export const INDEX_BITS = 32;

export type BufferRole = 'weights' | 'bias' | 'activations' | 'attention' | 'gate' | 'experts' | 'bookkeeping';

export interface OnchipBuffer {
  name: string;
  role: BufferRole;
  /** Independent memories the array is split into (a complete partition of its first dimension); 1 otherwise. */
  banks: number;
  /** Words × port width of one bank: how it is laid out in memory blocks. */
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
  /** LUTs used as distributed RAM by the shallow buffers. */
  lutram: number;
  /** Capacity of the blocks used ÷ capacity of all BRAM36 + URAM of the target, percent. */
  onchipPercent: number;
  bramPercent: number;
  uramPercent: number;
}

interface BufferSpec {
  name: string;
  role: BufferRole;
  banks?: number;
  depth: number;
  widthBits: number;
  /** The HLS code partitions it completely: registers. */
  partitioned?: boolean;
  note: string;
}

function bufferSpecs(design: Design, target: HardwareTarget, strategy: Strategy): BufferSpec[] {
  const model = design.model;
  const moe = model.moe;
  const D = model.dim;
  const N = tokenCount(model);
  const wB = formatBits(target.weights);
  const aB = formatBits(target.acts);
  const I = Math.max(1, target.linear.inputs);
  const ob = outputBlock(target);
  const R = Math.max(1, target.attention.rows);
  const fb = Math.max(1, Math.floor(AXI_BITS / aB)); // activation values per 256-bit beat (Edge-MoE FEATURE_BLOCK_SIZE)
  const specs: BufferSpec[] = [];
  const resident = strategy === 'all_resident';
  const capacity = pingPongCapacity(design, target, strategy);
  const tiled = capacity.words * capacity.wordValues < capacity.wholeValues;
  const pingNote = tiled
    ? `weight_buffer: ${capacity.words} words of ${capacity.wordValues} weights; larger matrices stream through in tiles of output rows`
    : strategy === 'expert_by_expert' && moe
      ? 'largest linear weight matrix (dense or one expert FC); the next matrix loads into the other buffer (src/linear.cpp lines 5–8)'
      : 'largest dense linear weight matrix, double-buffered (src/linear.cpp lines 5–8)';
  const maxIn = capacity.wholeValues > 0 ? Math.max(I, D, model.mlpHidden, moe?.hidden ?? 0, ...design.tasks.flatMap((t) => headMatrices(model, t).map((m) => m.in))) : I;
  const maxOutCols = Math.min(Math.max(D, model.mlpHidden, moe?.hidden ?? 0), Math.ceil((capacity.words * capacity.wordValues) / I));
  for (const side of ['ping', 'pong']) {
    specs.push({ name: `linear_weights_${side}`, role: 'weights', depth: capacity.words, widthBits: capacity.wordValues * wB, note: pingNote });
    specs.push({ name: `linear_bias_${side}`, role: 'bias', depth: Math.ceil(maxOutCols / ob), widthBits: ob * wB, note: 'biases of the matrix (tile) in the weight buffer' });
  }
  const wPerBeat = Math.max(1, Math.floor(AXI_BITS / wB));
  specs.push({
    name: 'weight_reorder_cache',
    role: 'weights',
    banks: ob,
    depth: Math.ceil(maxIn / wPerBeat),
    widthBits: wPerBeat * wB,
    note: 'one row-block of weights regrouped from AXI beats into the tile layout while loading (src/linear.cpp line 33, partitioned by output row)',
  });
  specs.push({ name: 'linear_input_row', role: 'activations', depth: Math.ceil(maxIn / I), widthBits: I * aB, note: "one token's input row, reused across all output tiles (src/linear.cpp line 446)" });
  const kernel = model.input.channels * model.patch.height * model.patch.width;
  specs.push({
    name: 'patch_embed_weights',
    role: 'weights',
    depth: Math.ceil((D * kernel) / (fb * model.patch.width)),
    widthBits: fb * model.patch.width * 16,
    note: 'patch-embedding kernel, resident (src/conv.cpp line 6, wt_patch_embed_t = fixed<16,0>, reshaped by 8 dims × 16 columns)',
  });
  const gw = Math.floor(model.input.width / model.patch.width);
  specs.push({ name: 'patch_row', role: 'activations', depth: gw * Math.ceil(D / fb), widthBits: fb * aB, note: 'embeddings of one row of patches (src/conv.cpp patches[])' });
  specs.push({ name: 'layernorm_params', role: 'weights', depth: 4 * Math.ceil(D / fb), widthBits: fb * 16, note: 'γ, β of norm1 and norm2 of the current layer (src/layernorm.cpp load_norms)' });
  specs.push({ name: 'attention_query_rows', role: 'attention', banks: R, depth: Math.ceil(D / fb), widthBits: fb * aB, note: `${R} query rows held while all keys stream once (src/attention.cpp q_blocks, partitioned by row)` });
  if (resident) {
    // The current task's head stays on chip across frames (as the schedule models all_resident); size: the largest head.
    let headWords = 0;
    for (const t of design.tasks) headWords = Math.max(headWords, headMatrices(model, t).reduce((sum, m) => sum + Math.ceil((m.out * m.in) / capacity.wordValues), 0));
    specs.push({ name: 'head_weights', role: 'weights', depth: headWords, widthBits: capacity.wordValues * wB, note: "the current task's head, resident across frames" });
  }
  specs.push({ name: 'attention_accumulators', role: 'attention', banks: R, depth: Math.ceil(D / fb), widthBits: fb * aB, note: `attention·V output rows of the ${R} queries (src/attention.cpp acc_blocks, partitioned by row)` });
  specs.push({ name: 'attention_softmax_state', role: 'attention', depth: 1, widthBits: R * model.heads * 2 * aB, partitioned: true, note: 'running max and sum per query row and head (src/attention.cpp softmax_sums/biases, partitioned completely)' });
  if (!moe) return specs;

  const E = moe.experts;
  const k = moe.topK;
  const h = moe.hidden;
  const gateIn = routerMatrix(model)!.in;
  const unit = target.gateUnit;
  if (unit) {
    // Edge-MoE w_gate[E][D], reshaped cyclic by NUM_EXPERTS on dim 1 and FEATURE_BLOCK_SIZE on dim 2
    // (src/moe.cpp lines 252–253): one word = the unit's E_u × W weights.
    const words = Math.ceil(E / unit.experts) * Math.ceil(gateIn / unit.width);
    specs.push({
      name: resident ? 'gate_weights_all_layers' : 'gate_weights',
      role: 'gate',
      depth: (resident ? moe.layers.length : 1) * words,
      widthBits: unit.experts * unit.width * wB,
      note: resident
        ? `the current task's routers of all ${moe.layers.length} MoE layers, resident across frames (reloaded on a task switch)`
        : `the current task's router of the current MoE layer for the ${unit.experts} × ${unit.width} gate unit (src/moe.cpp line 11, loaded per layer)`,
    });
  } else {
    if (resident)
      specs.push({ name: 'gate_weights_all_layers', role: 'gate', depth: moe.layers.length * Math.ceil((gateIn * E) / capacity.wordValues), widthBits: capacity.wordValues * wB, note: `the current task's routers of all ${moe.layers.length} MoE layers, resident, read by the linear arrays` });
    // The router runs on the linear arrays tiled over E: each token's running max/sum and top-k survive across tiles.
    specs.push({ name: 'router_state', role: 'bookkeeping', depth: N, widthBits: (2 + k) * aB + k * INDEX_BITS, note: `per token: running softmax max and sum and the top-${k} (index, score) while the router's expert tiles pass` });
  }
  if (moe.gate.kind === 'shared') {
    specs.push({ name: 'task_embedding', role: 'gate', depth: 1, widthBits: moe.gate.embedDim * aB, partitioned: true, note: 'e_task, computed once per frame and appended to every gate input' });
  }
  const expertWords = 2 * Math.ceil((D * h) / capacity.wordValues);
  switch (strategy) {
    case 'all_resident':
      specs.push({ name: 'expert_weights_all', role: 'experts', depth: E * expertWords, widthBits: capacity.wordValues * wB, note: `all ${E} experts (fc1 + fc2) of the current MoE layer` });
      specs.push({ name: 'expert_bias_all', role: 'bias', depth: E * Math.ceil((h + D) / ob), widthBits: ob * wB, note: 'their biases' });
      specs.push({ name: 'token_hidden', role: 'activations', depth: Math.ceil(h / fb), widthBits: fb * aB, note: "one token's expert hidden vector (token-order compute)" });
      specs.push({ name: 'token_routing', role: 'bookkeeping', depth: 1, widthBits: k * (INDEX_BITS + aB), partitioned: true, note: "the current token's k experts and scores" });
      break;
    case 'token_by_token':
      specs.push({ name: 'expert_slots', role: 'experts', depth: k * expertWords, widthBits: capacity.wordValues * wB, note: `${k} expert slots (fc1 + fc2 each), refilled when a token needs an expert not loaded` });
      specs.push({ name: 'expert_slot_bias', role: 'bias', depth: k * Math.ceil((h + D) / ob), widthBits: ob * wB, note: 'their biases' });
      specs.push({ name: 'token_hidden', role: 'activations', depth: Math.ceil(h / fb), widthBits: fb * aB, note: "one token's expert hidden vector" });
      specs.push({ name: 'token_routing', role: 'bookkeeping', depth: 1, widthBits: k * (INDEX_BITS + aB), partitioned: true, note: "the current token's k experts and scores" });
      break;
    case 'expert_by_expert':
      if (target.queues === 'full') {
        // src/moe.cpp lines 13–16 and 84–86: expert_queues/expert_scores [E][N] partitioned completely by expert
        // (one memory per expert), expert_queue_lens partitioned completely (registers).
        specs.push({ name: 'expert_queues', role: 'bookkeeping', banks: E, depth: N, widthBits: INDEX_BITS, note: `token indices per expert, [${E}][${N}], one bank per expert (src/moe.cpp lines 13, 84)` });
        specs.push({ name: 'expert_scores', role: 'bookkeeping', banks: E, depth: N, widthBits: aB, note: `gate score of each queued token, [${E}][${N}] (src/moe.cpp lines 14, 85)` });
        specs.push({ name: 'expert_queue_lens', role: 'bookkeeping', banks: E, depth: 1, widthBits: INDEX_BITS, partitioned: true, note: 'queue length per expert, partitioned completely (src/moe.cpp lines 15, 86)' });
      } else {
        // Compact: the k·N (token, score) entries grouped by expert, and E offsets into them.
        specs.push({ name: 'expert_queue_entries', role: 'bookkeeping', depth: k * N, widthBits: INDEX_BITS, note: `the ${k}·${N} token indices grouped by expert (compact queues)` });
        specs.push({ name: 'expert_queue_scores', role: 'bookkeeping', depth: k * N, widthBits: aB, note: 'the gate score of each entry' });
        specs.push({ name: 'expert_queue_offsets', role: 'bookkeeping', depth: E, widthBits: INDEX_BITS, note: `where each of the ${E} experts' entries start` });
      }
      specs.push({ name: 'expert_metaqueue', role: 'bookkeeping', depth: Math.min(E, k * N), widthBits: INDEX_BITS, note: 'the non-empty experts, in order (src/moe.cpp line 16; at most min(E, k·N) of them)' });
      break;
  }
  return specs;
}

/**
 * The largest-first binding can overflow one block kind while the other has room (e.g. the M3ViT-small ZCU104 sample:
 * BRAM36 320.5 of 312 with URAM 88 of 96); a designer then rebinds arrays with `bind_storage` until both fit.
 */
function rebindIfOverflowing(mapped: OnchipBuffer[], res: HardwareTarget['resources']): void {
  let bram = 0;
  let uram = 0;
  for (const b of mapped) {
    if (b.mapping.kind === 'bram') bram += b.mapping.blocks;
    if (b.mapping.kind === 'uram') uram += b.mapping.blocks;
  }
  if (bram <= res.bram36 && uram <= res.uram) return;
  const rebound = rebindToFit(mapped, { bram36: res.bram36, uram: res.uram });
  if (rebound) rebound.forEach((m, i) => (mapped[i] = { ...mapped[i], mapping: m }));
}

export function planOnchip(design: Design, target: HardwareTarget, strategy: Strategy): OnchipPlan {
  const specs = bufferSpecs(design, target, strategy);
  // Largest first, so URAM (when the part has it) goes to the big weight stores, as a designer would bind them.
  const size = (s: BufferSpec) => (s.banks ?? 1) * s.depth * s.widthBits;
  const order = specs.map((s, i) => i).sort((a, b) => size(specs[b]) - size(specs[a]));
  let uramLeft = target.resources.uram;
  let bramLeft = target.resources.bram36;
  const mapped = new Array<OnchipBuffer>(specs.length);
  for (const i of order) {
    const s = specs[i];
    const banks = s.banks ?? 1;
    const one = chooseMapping(s.depth, s.widthBits, uramLeft / banks, bramLeft / banks, s.partitioned);
    const mapping: BlockMapping = { ...one, blocks: one.blocks * banks, luts: one.luts * banks, capacityBits: one.capacityBits * banks };
    if (mapping.kind === 'uram') uramLeft -= mapping.blocks;
    if (mapping.kind === 'bram') bramLeft -= mapping.blocks;
    mapped[i] = { name: s.name, role: s.role, banks, depth: s.depth, widthBits: s.widthBits, note: s.note, bytes: Math.ceil(size(s) / 8), mapping };
  }
  rebindIfOverflowing(mapped, target.resources);
  let bram36 = 0;
  let uram = 0;
  let bytes = 0;
  let lutram = 0;
  for (const b of mapped) {
    bytes += b.bytes;
    if (b.mapping.kind === 'bram') bram36 += b.mapping.blocks;
    if (b.mapping.kind === 'uram') uram += b.mapping.blocks;
    lutram += b.mapping.luts;
  }
  const capBits = target.resources.bram36 * BRAM36_BITS + target.resources.uram * URAM_BITS;
  const usedBits = bram36 * BRAM36_BITS + uram * URAM_BITS;
  return {
    strategy,
    buffers: mapped,
    bytes,
    bram36,
    uram,
    lutram,
    onchipPercent: capBits > 0 ? (100 * usedBits) / capBits : usedBits > 0 ? Infinity : 0,
    bramPercent: target.resources.bram36 > 0 ? (100 * bram36) / target.resources.bram36 : bram36 > 0 ? Infinity : 0,
    uramPercent: target.resources.uram > 0 ? (100 * uram) / target.resources.uram : uram > 0 ? Infinity : 0,
  };
}
