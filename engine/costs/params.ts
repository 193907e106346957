/**
 * Parameter counts (weights + biases + norm affine + embeddings), exact. "Active" parameters follow the MoE
 * convention: what one token of task t touches — the shared backbone, k experts per MoE layer, task t's gate (or the
 * shared gate and the task-embedding MLP) and head t only. Which experts a whole frame touches depends on routing and
 * is reported by the memory model, not here.
 */
import { tokenCount, type Design, type HeadSpec, type ModelSpec } from '../design';

export interface ParamCounts {
  /** Every parameter of the multi-task model: all experts, all gates, all heads. */
  total: number;
  /** Backbone without experts, gates or heads (patch/pos embed, cls token, attention, norms, dense MLPs). */
  shared: number;
  /** One expert: fc1 (D→h) + bias, fc2 (h→D) + bias. */
  perExpert: number;
  /** All experts of all MoE layers. */
  experts: number;
  /** One task's gate(s) across all MoE layers (per_task), or the shared gate + task embedding (shared). */
  gatePerTask: number;
  /** All gates (per_task: one per task). */
  gates: number;
  /** Per head name. */
  heads: Record<string, number>;
}

export function expertParams(model: ModelSpec): number {
  if (!model.moe) return 0;
  const D = model.dim;
  const h = model.moe.hidden;
  return D * h + h + h * D + D;
}

export function headParams(model: ModelSpec, head: HeadSpec): number {
  const D = model.dim;
  const n = head.count;
  switch (head.kind) {
    case 'linear':
      return D * n + n;
    case 'cls':
      return 2 * D + D * n + n; // LN of the cls token + Linear
    case 'pup': {
      const C = head.width;
      // LN(D); conv3x3 D→C + bias; 3 × conv3x3 C→C + bias; 4 × BN (γ, β; running stats are buffers, not parameters); conv1x1 C→n + bias.
      return 2 * D + (9 * D * C + C) + 3 * (9 * C * C + C) + 4 * 2 * C + (C * n + n);
    }
  }
}

/** Gate parameters of one MoE layer for one task (no bias, as NoisyGate_VMoE). */
function gateLayerParams(model: ModelSpec): number {
  const moe = model.moe;
  if (!moe) return 0;
  const gateIn = moe.gate.kind === 'shared' ? model.dim + moe.gate.embedDim : model.dim;
  return gateIn * moe.experts;
}

function taskEmbedParams(model: ModelSpec, taskCount: number): number {
  const g = model.moe?.gate;
  if (!g || g.kind !== 'shared') return 0;
  const Dt = g.embedDim;
  return taskCount * Dt + Dt + Dt * Dt + Dt + 2 * Dt; // two Linears with bias + LN affine
}

export function countParams(design: Design): ParamCounts {
  const model = design.model;
  const D = model.dim;
  const moe = model.moe;
  const kernel = model.input.channels * model.patch.height * model.patch.width;
  let shared = kernel * D + D + tokenCount(model) * D + (model.cls ? D : 0);
  const denseMlp = D * model.mlpHidden + model.mlpHidden + model.mlpHidden * D + D;
  const attention = 2 * D + (3 * D * D + 3 * D) + (D * D + D) + 2 * D; // norm1, qkv, proj, norm2
  const moeLayers = moe ? moe.layers.length : 0;
  shared += model.depth * attention + (model.depth - moeLayers) * denseMlp;
  const perExpert = expertParams(model);
  const experts = moe ? moeLayers * moe.experts * perExpert : 0;
  const T = design.tasks.length;
  let gatePerTask = 0;
  let gates = 0;
  if (moe) {
    if (moe.gate.kind === 'per_task') {
      gatePerTask = moeLayers * gateLayerParams(model);
      gates = T * gatePerTask;
    } else {
      gatePerTask = moeLayers * gateLayerParams(model) + taskEmbedParams(model, T);
      gates = gatePerTask;
    }
  }
  const heads: Record<string, number> = {};
  for (const t of design.tasks) heads[t.name] = headParams(model, t.head);
  const total = shared + experts + gates + Object.values(heads).reduce((s, v) => s + v, 0);
  return { total, shared, perExpert, experts, gatePerTask, gates, heads };
}

/** Parameters one token of `task` touches: shared backbone + k experts per MoE layer + its gate + its head. */
export function activeParams(design: Design, params: ParamCounts, task: string): number {
  const moe = design.model.moe;
  const k = moe ? moe.layers.length * moe.topK * params.perExpert : 0;
  return params.shared + k + params.gatePerTask + (params.heads[task] ?? 0);
}
