/**
 * Turns the MoE graph's flat `topk_experts` / `topk_scores` outputs ([tokens × k], row-major) into one layer of the
 * shared routing-trace type, so a run's routing feeds the schedule engine's `routing trace` without reformatting.
 */
import type { RoutingTraceLayer } from '../../engine/routing-trace';

export function traceLayerFromTopK(
  layer: number,
  topK: number,
  experts: ArrayLike<number | bigint>,
  scores: ArrayLike<number>,
): RoutingTraceLayer {
  const tokens = experts.length / topK;
  const out: RoutingTraceLayer = { layer, experts: [], scores: [] };
  for (let t = 0; t < tokens; t++) {
    const e: number[] = [];
    const s: number[] = [];
    for (let j = 0; j < topK; j++) {
      e.push(Number(experts[t * topK + j]));
      s.push(scores[t * topK + j]);
    }
    out.experts.push(e);
    out.scores.push(s);
  }
  return out;
}
