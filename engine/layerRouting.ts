/**
 * The routing of one MoE layer as the estimates assume it: which k experts each token goes to. A type below both
 * the memory plan (`memory/traffic.ts` counts the expert weights a routing loads) and the schedule (which builds it
 * in `schedule/routing.ts`), so the schedule may use the traffic model without the memory plan importing the schedule.
 */
export type RoutingSource = 'balanced' | 'worst' | 'trace' | 'skewed' | 'balanced-fallback';

export interface LayerRouting {
  layer: number;
  /** Per token, its k experts, best first. */
  perToken: number[][];
  /** Tokens per expert, length E. Sum = N·k. */
  counts: number[];
  source: RoutingSource;
  /** Why a trace was not used (only with `balanced-fallback`). */
  reason?: string;
}
