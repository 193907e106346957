/**
 * The size of design the analysis can handle in bounded time and memory — one function, used by the checker (so
 * `m3v check`, the language server and the designer refuse what `m3v analyze` cannot do, with a located error) and
 * by `m3v analyze` as a guard. Each bound is from a measurement on the 2-core CI machine (docs/limits.md): the
 * analysis simulates one frame per target × strategy × task, so its work grows with targets × tasks, and routing
 * and the per-token schedule grow with tokens × tasks × targets.
 */
import { tokenCount, type Design, type Span } from '../../../engine/design';
import * as msg from '../messages';

export const ANALYSIS_LIMITS = {
  /** 1,000 targets analyse in 2.3 s; the schedule's per-design caches make 5,000 take 20 s (quadratic). */
  targets: 1_000,
  /**
   * 5,000 tasks analysed in 2.8 s and 0.8 GB once the switch cost became linear in tasks (before: every task pair,
   * out of memory). With the weight-tiling model merged: 5,000 tasks 12.9 s and 0.49 GB on the machine loaded ~15×
   * (2,000: 2.8 s); more is refused rather than risk minutes.
   */
  tasks: 5_000,
  /** Frames simulated are 3 strategies × targets × tasks: 20,000 pairs ≈ 60,000 frames, about 10 s. */
  targetTasks: 20_000,
  /** 1 M tokens (a 16384 × 16384 input at patch 16) analyse in 6 s and 0.55 GB; 67 M would need ~40 GB. */
  tokens: 1_048_577,
  /** Per-token routing and scheduling over every frame simulated. */
  tokenFrames: 4_194_304,
} as const;

/**
 * Diagnostics printed (CLI) or published (language server) per file: past this many, one line gives the count of
 * the rest. 10,000 errors are no more useful than 1,000, and an editor given 1 M markers stalls.
 */
export const MAX_REPORTED_DIAGNOSTICS = 1000;

/** The line that stands for the diagnostics left out. */
export const moreDiagnostics = (left: number) => `… and ${left} more diagnostic${left === 1 ? '' : 's'} not shown (at most ${MAX_REPORTED_DIAGNOSTICS} per file)`;

export interface LimitProblem {
  span: Span;
  message: msg.Message;
}

/** The first bound `design` exceeds, located at what to shrink, or undefined when the analysis can handle it. */
export function analysisLimitProblem(design: Design): LimitProblem | undefined {
  const L = ANALYSIS_LIMITS;
  const targets = design.targets.length;
  const tasks = design.tasks.length;
  const tokens = tokenCount(design.model);
  const modelKeyword = { start: design.model.span.start, end: design.model.span.start + 'model'.length };
  if (targets > L.targets) return { span: design.targets[L.targets].nameSpan, message: msg.designTooLarge(`${targets} hardware targets`, `${L.targets}`) };
  if (tasks > L.tasks) return { span: design.tasks[L.tasks].nameSpan, message: msg.designTooLarge(`${tasks} tasks`, `${L.tasks}`) };
  if (targets * tasks > L.targetTasks)
    return { span: design.targets[0].nameSpan, message: msg.designTooLarge(`${targets} targets × ${tasks} tasks`, `${L.targetTasks} target-task pairs`) };
  if (tokens > L.tokens) return { span: modelKeyword, message: msg.designTooLarge(`${tokens} tokens per frame`, `${L.tokens}`) };
  if (tokens * tasks * Math.max(1, targets) > L.tokenFrames)
    return { span: modelKeyword, message: msg.designTooLarge(`${tokens} tokens × ${tasks} tasks × ${targets} targets`, `${L.tokenFrames} token-frames`) };
  return undefined;
}
