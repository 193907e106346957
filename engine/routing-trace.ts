/**
 * The routing trace: which k experts (and with which gate scores) each token of each MoE layer was sent to.
 * Written by a model run (`m3v run --trace OUT`, model/runtime/), read by the schedule and cost model
 * (`routing trace "FILE"`). Format documented in docs/routing-trace.md.
 *
 * {"format":"m3v-routing-trace","version":1,"model":"m3vit_tiny","task":"semseg","tokens":129,"experts":16,"top_k":2,
 *  "source":"…","layers":[{"layer":1,"experts":[[e,e],…],"scores":[[s,s],…]}]}
 * `experts[t]` and `scores[t]` are token t's k choices, best first. Only `layers` is required.
 */
export interface RoutingTraceLayer {
  /** 0-based block index of the MoE layer. */
  layer: number;
  /** Per token, the k expert indices chosen (best first). */
  experts: number[][];
  /** Per token, the k gate scores (softmax over all E logits, not renormalised), aligned with `experts`. */
  scores: number[][];
}

export interface RoutingTrace {
  format?: 'm3v-routing-trace';
  version?: 1;
  model?: string;
  task?: string;
  tokens?: number;
  experts?: number;
  top_k?: number;
  /** What produced it (e.g. "onnxruntime-node 1.30.0, sparse graph, Edge-MoE fixture weights"). */
  source?: string;
  layers: RoutingTraceLayer[];
}

/** Tokens per expert in one traced layer. */
export function expertCounts(layer: RoutingTraceLayer, experts: number): number[] {
  const counts = new Array<number>(experts).fill(0);
  for (const choice of layer.experts) for (const e of choice) if (e >= 0 && e < experts) counts[e]++;
  return counts;
}
