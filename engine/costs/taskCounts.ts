/**
 * Per-task counts as the spec defines single-task inference (top-k experts per token, the task's own gate, its head
 * only), with the two baselines beside it and the task's reduction against each.
 */
import type { Design } from '../design';
import { countBackbone, countModel, type ModelCount } from './counts';
import { activeParams, countParams, type ParamCounts } from './params';

export interface TaskCounts {
  task: string;
  /** Single-task inference of this task. */
  count: ModelCount;
  /** Dense multi-task ViT: every MoE layer as the dense MLP, every task head run. */
  denseMtl: ModelCount;
  /** Every expert on every token (+ this task's gate and head). */
  allExperts: ModelCount;
  paramsActive: number;
  /** 1 − macs / baseline.macs (0.8 = 80 % fewer MACs). */
  reductionVsDenseMtl: number;
  reductionVsAllExperts: number;
}

export interface DesignCounts {
  params: ParamCounts;
  tasks: TaskCounts[];
}

export function countDesign(design: Design): DesignCounts {
  const model = design.model;
  const T = design.tasks.length;
  const allHeads = design.tasks.map((t) => ({ name: t.name, head: t.head }));
  const denseMtl = countModel(model, { ffn: 'dense', heads: allHeads, taskCount: T });
  const params = countParams(design);
  // The backbone is the same for every task: counted once per variant, each task adds its head.
  const topK = countBackbone(model, { ffn: 'top_k', taskCount: T });
  const everyExpert = countBackbone(model, { ffn: 'all_experts', taskCount: T });
  const tasks = design.tasks.map((t): TaskCounts => {
    const heads = [{ name: t.name, head: t.head }];
    const count = countModel(model, { ffn: 'top_k', heads, taskCount: T }, topK);
    const allExperts = countModel(model, { ffn: 'all_experts', heads, taskCount: T }, everyExpert);
    return {
      task: t.name,
      count,
      denseMtl,
      allExperts,
      paramsActive: activeParams(design, params, t.name),
      reductionVsDenseMtl: denseMtl.macs > 0 ? 1 - count.macs / denseMtl.macs : 0,
      reductionVsAllExperts: allExperts.macs > 0 ? 1 - count.macs / allExperts.macs : 0,
    };
  });
  return { params, tasks };
}
