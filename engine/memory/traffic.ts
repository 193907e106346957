/**
 * Off-chip memory: the bytes the design keeps in DDR/HBM (footprint) and the bytes one frame of a task moves
 * (traffic), per strategy. Exact given the dataflow below, which is Edge-MoE's (src/ViT_compute.cpp): activations
 * x/tmp1–4/tmp_hidden, attention scores and softmax statistics off-chip; every weight read once per frame except
 * expert weights, whose reads depend on the strategy and on routing:
 * - `all_resident`: every expert of each MoE layer is loaded into the on-chip store (routing-independent);
 * - `token_by_token`: tokens in order; a token's expert not in one of the k slots is loaded, evicting the least
 *   recently used slot (so consecutive tokens sharing an expert reuse it);
 * - `expert_by_expert`: each expert with a non-empty queue is loaded once per layer.
 */
import { formatBits, patchCount, tokenCount, type Design, type HardwareTarget, type HeadSpec, type Strategy, type TaskSpec } from '../design';
import type { LayerRouting } from '../layerRouting';
import { expertParams, headParams, type ParamCounts } from '../costs/params';
import { headMatrices, outputTiles, pingPongCapacity, routerMatrix } from '../weightTiles';
import { headOps } from '../headOps';

export interface TrafficBreakdown {
  /** Non-expert weights (embeddings, attention, norms, dense MLPs, the task's gate and head). */
  weights: number;
  /** Expert weights and biases, as the strategy loads them. */
  experts: number;
  /** Expert loads (fc1+fc2 of one expert = one load) summed over MoE layers. */
  expertLoads: number;
  /** Input image, activations, attention scores and softmax statistics (read + write). */
  activations: number;
  total: number;
}

/** Expert loads in one MoE layer under a strategy, given the layer's routing. */
export function expertLoadsInLayer(strategy: Strategy, routing: LayerRouting, experts: number, topK: number): number {
  switch (strategy) {
    case 'all_resident':
      return experts;
    case 'expert_by_expert':
      return routing.counts.filter((c) => c > 0).length;
    case 'token_by_token': {
      // k slots, one whole expert each, stale at the start of a layer. A token's missing expert goes into the lowest
      // slot holding no expert this token needs — the same replacement rule as the schedule (engine/schedule/frame.ts),
      // so traffic and latency count the same loads.
      const slots = new Array<number>(topK).fill(-1);
      let loads = 0;
      for (const choice of routing.perToken) {
        for (const e of choice) {
          if (slots.includes(e)) continue;
          let s = 0;
          while (s < topK - 1 && slots[s] >= 0 && choice.includes(slots[s])) s++;
          slots[s] = e;
          loads++;
        }
      }
      return loads;
    }
  }
}

/** Expert loads of one frame (all MoE layers) under a strategy: independent of the task and of the target. */
export function frameExpertLoads(design: Design, strategy: Strategy, routings: LayerRouting[]): number {
  const moe = design.model.moe;
  if (!moe) return 0;
  let loads = 0;
  for (const r of routings) loads += expertLoadsInLayer(strategy, r, moe.experts, moe.topK);
  return loads;
}

/** Bytes of one expert as stored off-chip (fc1, fc2 and biases at the weight format). */
export function expertBytes(design: Design, target: HardwareTarget): number {
  return (expertParams(design.model) * formatBits(target.weights)) / 8;
}

/** Activation values one head reads and writes off-chip (feature maps between its convolutions included). */
function headActivationValues(design: Design, head: HeadSpec): number {
  const m = design.model;
  const P = patchCount(m);
  const D = m.dim;
  const outPixels = m.input.height * m.input.width;
  switch (head.kind) {
    case 'cls':
      return D + head.count;
    case 'linear':
      // Tokens in, the per-patch outputs written then read once by the upsampling (as each map of a pup head), the
      // upsampled map out.
      return P * D + 2 * P * head.count + outPixels * head.count;
    case 'pup': {
      // Each conv's output (and each upsampled map) written then read once by the next step.
      const C = head.width;
      const base = P;
      const maps = C * base * (1 + 4 + 4 + 16 + 16 + 64 + 64) + 64 * base * head.count;
      return P * D + 2 * maps + outPixels * head.count;
    }
  }
}

export function frameTraffic(
  design: Design,
  target: HardwareTarget,
  strategy: Strategy,
  task: TaskSpec,
  params: ParamCounts,
  routings: LayerRouting[],
  /** Expert loads of the frame if already known (they depend on strategy and routing only, not on task or target). */
  precomputedExpertLoads?: number,
): TrafficBreakdown {
  const m = design.model;
  const moe = m.moe;
  const wBytes = formatBits(target.weights) / 8;
  const aBytes = formatBits(target.acts) / 8;
  const N = tokenCount(m);
  const D = m.dim;
  const heads = m.heads;
  const R = Math.max(1, target.attention.rows);
  // Non-expert weights of one frame of this task: shared backbone + this task's gate(s) + this task's head.
  // all_resident keeps every layer's router and the current head on chip across frames (steady state: not reloaded;
  // a task switch reloads them — see switchCost.ts).
  const taskState = params.gatePerTask + headParams(m, task.head);
  const weights = (params.shared + (strategy === 'all_resident' ? 0 : taskState)) * wBytes;
  const expertLoads = precomputedExpertLoads ?? frameExpertLoads(design, strategy, routings);
  const experts = expertLoads * expertBytes(design, target);

  // Activations, in values (× aBytes below), following Edge-MoE's per-layer steps.
  const ND = N * D;
  const rounds = Math.ceil((N + R - 1) / R); // reordered attention: K/V stream once per group of R query rows
  const scores = heads * N * N;
  const stats = N * 2 * heads;
  let values = ND; // patch embedding writes x
  for (let l = 0; l < m.depth; l++) {
    values += 2 * ND; // norm1
    values += 6 * ND; // Q, K, V: read the normed input, write each
    values += ND + rounds * ND + scores + stats; // QKᵀ: Q once, K once per round; write scores and stats
    values += scores + stats + rounds * ND + ND; // attention·V: read scores, stats, V per round; write
    values += 2 * ND + 3 * ND; // proj (read, write) + residual add (read two, write one)
    values += 2 * ND; // norm2
    if (moe && moe.layers.includes(l)) {
      const k = moe.topK;
      const h = moe.hidden;
      values += ND; // gate reads the normed input
      if (strategy === 'expert_by_expert') {
        values += ND; // zero the output
        values += k * ND + k * N * h; // fc1 over the queues: gather rows, write the hidden (tmp_hidden)
        values += k * N * h + 2 * k * ND; // fc2: read hidden, read-modify-write out[token] += score·y
      } else {
        values += 2 * ND; // token order: read each row once, write its combined output; hidden stays on chip
      }
    } else {
      values += ND + N * m.mlpHidden + N * m.mlpHidden + ND; // fc1 (read, write), fc2 (read, write)
    }
    values += 3 * ND; // residual add
  }
  values += headActivationValues(design, task.head);
  values += tilingAndRouterValues(design, target, strategy, task);
  const imageBytes = m.input.channels * m.input.height * m.input.width; // 8-bit pixels (Edge-MoE pixel_t)
  const activations = values * aBytes + imageBytes;
  return { weights, experts, expertLoads, activations, total: weights + experts + activations };
}

/**
 * Activation values a frame moves beyond one pass per linear: a matrix cut into T tiles by the weight buffer reads
 * its input rows T times (the schedule computes each tile over all rows); a router on the linear arrays writes its
 * E logits per token off chip and reads them back for the softmax and top-k.
 */
function tilingAndRouterValues(design: Design, target: HardwareTarget, strategy: Strategy, task: TaskSpec): number {
  const m = design.model;
  const N = tokenCount(m);
  const D = m.dim;
  const capacity = pingPongCapacity(design, target, strategy);
  // A handful of matrix shapes repeat over every layer: tile each shape once (this runs per task × target × strategy).
  const shapes: { in: number; out: number; tiles: number }[] = [];
  const extraReads = (inDim: number, outDim: number, rows: number) => {
    let shape = shapes.find((s) => s.in === inDim && s.out === outDim);
    if (!shape) shapes.push((shape = { in: inDim, out: outDim, tiles: outputTiles({ in: inDim, out: outDim }, capacity, target).length }));
    return (shape.tiles - 1) * rows * inDim;
  };
  const moe = m.moe;
  let values = 0;
  for (let l = 0; l < m.depth; l++) {
    values += 4 * extraReads(D, D, N);
    if (moe && moe.layers.includes(l)) {
      if (strategy === 'expert_by_expert') values += extraReads(D, moe.hidden, moe.topK * N) + extraReads(moe.hidden, D, moe.topK * N);
      if (!target.gateUnit) {
        const r = routerMatrix(m)!;
        if (strategy !== 'all_resident') values += extraReads(r.in, r.out, N);
        values += 2 * N * moe.experts;
      }
    } else values += extraReads(D, m.mlpHidden, N) + extraReads(m.mlpHidden, D, N);
  }
  if (strategy !== 'all_resident') {
    const rowsOf = headRows(design, task);
    headMatrices(m, task).forEach((mat, i) => (values += extraReads(mat.in, mat.out, rowsOf[i])));
  }
  return values;
}

/** Rows of each head linear, in headMatrices order. */
function headRows(design: Design, task: TaskSpec): number[] {
  return headOps(design.model, task).flatMap((op) => (op.kind === 'linear' ? [op.rows] : []));
}

export interface OffchipFootprint {
  /** All weights of all tasks (all experts, all gates, all heads). */
  weights: number;
  /** Activation, hidden, attention-score and statistics buffers plus the input image. */
  activations: number;
  total: number;
}

export function offchipFootprint(design: Design, target: HardwareTarget, params: ParamCounts): OffchipFootprint {
  const m = design.model;
  const wBytes = formatBits(target.weights) / 8;
  const aBytes = formatBits(target.acts) / 8;
  const N = tokenCount(m);
  const D = m.dim;
  const R = Math.max(1, target.attention.rows);
  const hidden = Math.max(m.mlpHidden, m.moe?.hidden ?? 0);
  // x, tmp1..tmp4 (N×D each), tmp_hidden (N×hidden), scores padded to whole query groups, softmax stats.
  const scores = Math.ceil((N + R - 1) / R) * R * N * m.heads;
  const actValues = 5 * N * D + N * hidden + scores + N * 2 * m.heads;
  let headMaps = 0;
  for (const t of design.tasks) headMaps = Math.max(headMaps, headActivationValues(design, t.head));
  const image = m.input.channels * m.input.height * m.input.width;
  const weights = params.total * wBytes;
  const activations = (actValues + headMaps) * aBytes + image;
  return { weights, activations, total: weights + activations };
}
