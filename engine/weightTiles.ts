/**
 * Which weight matrices stream through the ping/pong weight buffers, how large each buffer is, and how a matrix
 * larger than a buffer is cut into tiles of output rows. The memory plan (how many blocks the buffers take) and the
 * schedule (how many loads and passes a linear takes) both read this module, so they cannot disagree.
 *
 * `weight_buffer whole` is Edge-MoE's choice (src/linear.cpp lines 5–8: linear_weights_ping/pong hold
 * MAX_LINEAR_DIM_PRODUCT weights, a whole matrix); a size streams bigger matrices through in tiles, each tile
 * computing a slice of the outputs over all rows, so the activations are read once per tile.
 */
import { formatBits, type Design, type HardwareTarget, type ModelSpec, type Strategy, type TaskSpec } from './design';
import { headOps } from './headOps';

export interface Matrix {
  out: number;
  in: number;
}

/** The dense linear weight matrices (out × in) the linear arrays run, excluding experts and routers. */
export function denseMatrices(model: ModelSpec): Matrix[] {
  const D = model.dim;
  const mats = [{ out: D, in: D }]; // Q, K, V and proj are each D×D (Edge-MoE splits qkv in three)
  const denseLayers = model.depth - (model.moe?.layers.length ?? 0);
  if (denseLayers > 0) mats.push({ out: model.mlpHidden, in: D }, { out: D, in: model.mlpHidden });
  return mats;
}

/** The linear matrices of a task head as the linear arrays run them (convolutions as im2col: in = k·k·C_in). */
export function headMatrices(model: ModelSpec, task: TaskSpec): Matrix[] {
  return headOps(model, task).flatMap((op) => (op.kind === 'linear' ? [{ out: op.outDim, in: op.inDim }] : []));
}

export function expertMatrices(model: ModelSpec): Matrix[] {
  if (!model.moe) return [];
  return [
    { out: model.moe.hidden, in: model.dim },
    { out: model.dim, in: model.moe.hidden },
  ];
}

/** The router of one MoE layer as a matrix [d_gate → E] (NoisyGate_VMoE: no bias). */
export function routerMatrix(model: ModelSpec): Matrix | undefined {
  const moe = model.moe;
  if (!moe) return undefined;
  return { out: moe.experts, in: model.dim + (moe.gate.kind === 'shared' ? moe.gate.embedDim : 0) };
}

/** Output columns one word of the weight buffer feeds: every array takes its own output tile in the same cycle. */
export function outputBlock(target: HardwareTarget): number {
  return Math.max(1, target.linear.outputs) * Math.max(1, target.linear.units);
}

/** Weight values in one buffer word (the arrays' whole tile). */
export function wordValues(target: HardwareTarget): number {
  return Math.max(1, target.linear.inputs) * outputBlock(target);
}

/** A matrix padded to whole words: outputs to the output block, inputs to the array's input width. */
function paddedValues(m: Matrix, target: HardwareTarget): number {
  const ob = outputBlock(target);
  const I = Math.max(1, target.linear.inputs);
  return Math.ceil(m.out / ob) * ob * Math.ceil(m.in / I) * I;
}

/**
 * The matrices that pass through ping/pong under a strategy: the dense ones, the heads (except all_resident, which
 * keeps the head resident) and, under expert_by_expert, the experts. A router without a dedicated gate unit is tiled
 * over the experts to whatever the buffer holds, so it never sizes the buffer (M3ViT: memory flat in E).
 */
export function streamedMatrices(design: Design, strategy: Strategy): Matrix[] {
  const model = design.model;
  const heads = strategy === 'all_resident' ? [] : design.tasks.flatMap((t) => headMatrices(model, t));
  return [...denseMatrices(model), ...heads, ...(strategy === 'expert_by_expert' ? expertMatrices(model) : [])];
}

export interface BufferCapacity {
  /** Words of one ping (or pong) buffer. */
  words: number;
  /** Weight values per word. */
  wordValues: number;
  /** The largest streamed matrix, padded, in values (what `whole` holds). */
  wholeValues: number;
}

/**
 * Capacities already computed, per target object and strategy, remembered with the model and task list they were
 * computed for (identity): the schedule asks once per frame and the traffic model once per task, and the answer
 * walks every task's head. A design whose model or tasks are replaced (an explored point) misses and recomputes.
 */
const capacityMemo = new WeakMap<HardwareTarget, Map<Strategy, { model: Design['model']; tasks: Design['tasks']; capacity: BufferCapacity }>>();

/** Capacity of one ping/pong weight buffer on a target under a strategy. */
export function pingPongCapacity(design: Design, target: HardwareTarget, strategy: Strategy): BufferCapacity {
  let byStrategy = capacityMemo.get(target);
  if (!byStrategy) {
    byStrategy = new Map<Strategy, { model: Design['model']; tasks: Design['tasks']; capacity: BufferCapacity }>();
    capacityMemo.set(target, byStrategy);
  }
  const hit = byStrategy.get(strategy);
  if (hit && hit.model === design.model && hit.tasks === design.tasks) return hit.capacity;
  const capacity = computeCapacity(design, target, strategy);
  byStrategy.set(strategy, { model: design.model, tasks: design.tasks, capacity });
  return capacity;
}

function computeCapacity(design: Design, target: HardwareTarget, strategy: Strategy): BufferCapacity {
  const word = wordValues(target);
  const matrices = streamedMatrices(design, strategy);
  let wholeValues = word;
  for (const m of matrices) wholeValues = Math.max(wholeValues, paddedValues(m, target));
  let words = Math.ceil(wholeValues / word);
  if (target.weightBuffer.kind === 'bytes') {
    const wordBytes = (word * formatBits(target.weights)) / 8;
    // At least one output block of the widest input row, so every matrix can be tiled by output rows.
    const I = Math.max(1, target.linear.inputs);
    let maxIn = I;
    for (const m of matrices) maxIn = Math.max(maxIn, Math.ceil(m.in / I) * I);
    const minWords = Math.ceil((maxIn * outputBlock(target)) / word);
    words = Math.min(words, Math.max(minWords, Math.floor(target.weightBuffer.bytes / wordBytes)));
  }
  return { words, wordValues: word, wholeValues };
}

/**
 * The output widths of the tiles `m` is cut into so each fits one buffer: whole output blocks, as many as fit the
 * buffer at the matrix's (padded) input width. One tile when the matrix fits.
 */
export function outputTiles(m: Matrix, capacity: BufferCapacity, target: HardwareTarget): number[] {
  if (m.out <= 0 || m.in <= 0) return [];
  const ob = outputBlock(target);
  const I = Math.max(1, target.linear.inputs);
  const paddedIn = Math.ceil(m.in / I) * I;
  const blocksPerTile = Math.max(1, Math.floor((capacity.words * capacity.wordValues) / (paddedIn * ob)));
  const colsPerTile = blocksPerTile * ob;
  if (colsPerTile >= m.out) return [m.out];
  const tiles: number[] = [];
  for (let done = 0; done < m.out; done += colsPerTile) tiles.push(Math.min(colsPerTile, m.out - done));
  return tiles;
}
