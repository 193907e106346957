/**
 * Task-switch cost per strategy: the bytes and time a frame of task B adds when the frame before it ran task A,
 * beyond a normal (steady-state) frame of B. What persists across frames decides it, and the schedule
 * (engine/schedule/frame.ts) and this module agree on what that is:
 * - `expert_by_expert`, `token_by_token`: nothing task-specific stays on chip — the router of each MoE layer is
 *   loaded per layer (Edge-MoE `load_w_gate`), heads stream through ping/pong, experts are shared by all tasks —
 *   so a switch adds 0 bytes: M3ViT's "zero-overhead switching".
 * - `all_resident`: routers of every MoE layer (or the shared router and task-embedding MLP) and the current task's
 *   head stay resident. A switch reloads the new task's head, and its routers when they are per task; a shared
 *   router and its task-embedding MLP serve every task (only the one-hot input changes), so they stay.
 * Time is the schedule's: latency(previous = A) − latency(steady state), so it includes whatever overlap exists.
 */
import { formatBits, type Design, type HardwareTarget, type Strategy, type TaskSpec } from './design';
import { headParams, type ParamCounts } from './costs/params';

/** Bytes a switch to `task` reloads under `strategy` (independent of which task ran before, if it was another one). */
export function switchBytes(design: Design, target: HardwareTarget, strategy: Strategy, task: TaskSpec, params: ParamCounts): number {
  if (strategy !== 'all_resident') return 0;
  if (design.tasks.length < 2) return 0;
  const wBytes = formatBits(target.weights) / 8;
  const routers = design.model.moe?.gate.kind === 'per_task' ? params.gatePerTask : 0;
  return (routers + headParams(design.model, task.head)) * wBytes;
}

export interface SwitchCost {
  strategy: Strategy;
  /** Worst case over target tasks. */
  bytes: number;
  seconds: number;
  /**
   * Per destination task: what a frame of `to` adds after a frame of any other task. One entry per task rather than
   * per (from, to) pair: the cost does not depend on `from` (the whole resident state is reloaded), and all pairs
   * of 5,000 tasks would be 25 M entries per strategy (docs/limits.md).
   */
  toTask: { to: string; bytes: number; seconds: number }[];
}
