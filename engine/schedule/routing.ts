/**
 * Token-to-expert routing of one MoE layer, as the latency/memory estimates assume it.
 *
 * The schedule never runs the model: it needs, per MoE layer, which k experts each token goes to (to build the
 * per-expert queues of Edge-MoE's `compute_moe`, or the per-token weight-slot walk of `token_by_token`).
 * `routeLayer` turns the design's `routing` line into that assignment, deterministically:
 *
 * - `balanced`: round-robin over the flattened (token, choice) sequence. Token t gets experts
 *   (t·k + j) mod E, j = 0..k-1 — k consecutive residues, hence distinct whenever k ≤ E. The N·k assignments
 *   cover 0,1,2,… mod E in order, so every expert gets ⌊N·k/E⌋ tokens and the first (N·k mod E) experts one more.
 * - `worst`: every token on experts 0..k-1 (the fewest experts, each with the longest queue: N tokens).
 * - `trace`: the traced layer with the same block index. A layer missing from the trace, or a trace whose token
 *   count, expert count or top-k disagrees with the design, or a malformed choice (out of range, repeated expert),
 *   falls back to `balanced` with source `balanced-fallback` and a reason — an estimate is still shown, and says why.
 * - `skewed`: expert popularity ∝ 1/(rank+1)^alpha (Zipf). Which expert holds which rank is a seeded permutation
 *   per layer (real routers do not always favour expert 0), and each token draws k distinct experts without
 *   replacement in proportion to popularity. The PRNG is seeded from (seed, layer), so the draw is reproducible.
 *
 * Pure: no Node built-ins (runs in a browser worker too).
 */
import type { Design, ModelSpec, RoutingSpec } from '../design';
import { tokenCount } from '../design';
import type { RoutingTrace, RoutingTraceLayer } from '../routing-trace';
import { mulberry32 } from '../random';

import type { LayerRouting, RoutingSource } from '../layerRouting';

// The types live below the schedule and the memory plan (engine/layerRouting.ts); re-exported for the schedule's users.
export type { LayerRouting, RoutingSource };

/** Routing of MoE layer `layer` (a block index listed in `design.model.moe.layers`). */
export function routeLayer(design: Design, layer: number, routing: RoutingSpec, trace?: RoutingTrace): LayerRouting {
  const moe = design.model.moe;
  if (!moe) throw new Error(`routeLayer: the design has no moe block (layer ${layer})`);
  const tokens = tokenCount(design.model);
  const experts = moe.experts;
  const k = moe.topK;
  switch (routing.kind) {
    case 'balanced':
      return withCounts(layer, balancedAssignment(tokens, experts, k), experts, 'balanced');
    case 'worst':
      return withCounts(layer, worstAssignment(tokens, k), experts, 'worst');
    case 'skewed':
      return withCounts(layer, skewedAssignment(tokens, experts, k, routing.alpha, routing.seed, layer), experts, 'skewed');
    case 'trace': {
      const problem = traceProblem(trace, routing.path, layer, tokens, experts, k);
      if (typeof problem === 'string') {
        const fallback = withCounts(layer, balancedAssignment(tokens, experts, k), experts, 'balanced-fallback');
        fallback.reason = problem;
        return fallback;
      }
      return withCounts(layer, problem.experts.map((choice) => choice.slice()), experts, 'trace');
    }
  }
}

/**
 * Routing of every MoE layer of the design, in layer order. It depends on the model only (neither task, target nor
 * strategy), so it is computed once per (ModelSpec object, routing line, trace) and shared — by every design that
 * shares the model object, as the points of an `explore` space with the same model settings do. Callers must not
 * mutate the result, and a Design is treated as immutable (the language builds a new one per edit).
 */
export function routeAllLayers(design: Design, routing: RoutingSpec, trace?: RoutingTrace): LayerRouting[] {
  let byKey = routingCache.get(design.model);
  if (!byKey) routingCache.set(design.model, (byKey = new Map<string, { trace: RoutingTrace | undefined; layers: LayerRouting[] }[]>()));
  const key = JSON.stringify(routing);
  let entries = byKey.get(key);
  if (!entries) byKey.set(key, (entries = []));
  const hit = entries.find((e) => e.trace === trace);
  if (hit) return hit.layers;
  const layers = (design.model.moe?.layers ?? []).map((layer) => routeLayer(design, layer, routing, trace));
  entries.push({ trace, layers });
  return layers;
}

const routingCache = new WeakMap<ModelSpec, Map<string, { trace: RoutingTrace | undefined; layers: LayerRouting[] }[]>>();

export function balancedAssignment(tokens: number, experts: number, k: number): number[][] {
  const perToken = new Array<number[]>(tokens);
  for (let t = 0; t < tokens; t++) {
    const choice = new Array<number>(k);
    for (let j = 0; j < k; j++) choice[j] = (t * k + j) % experts;
    perToken[t] = choice;
  }
  return perToken;
}

function worstAssignment(tokens: number, k: number): number[][] {
  const perToken = new Array<number[]>(tokens);
  for (let t = 0; t < tokens; t++) {
    const choice = new Array<number>(k);
    for (let j = 0; j < k; j++) choice[j] = j;
    perToken[t] = choice;
  }
  return perToken;
}

/**
 * Zipf popularity with a seeded rank permutation, k distinct draws per token (weighted, without replacement).
 * O(N·k·log E) expected.
 */
function skewedAssignment(tokens: number, experts: number, k: number, alpha: number, seed: number, layer: number): number[][] {
  const random = mulberry32(mixSeed(seed, layer));
  // Seeded Fisher–Yates: rankToExpert[r] is the expert with popularity rank r.
  const rankToExpert = Array.from({ length: experts }, (_, i) => i);
  for (let i = experts - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rankToExpert[i], rankToExpert[j]] = [rankToExpert[j], rankToExpert[i]];
  }
  const weight = new Array<number>(experts);
  for (let r = 0; r < experts; r++) weight[rankToExpert[r]] = 1 / Math.pow(r + 1, alpha);
  // Cumulative weights over expert index, for a binary-search draw.
  const cumulative = new Float64Array(experts);
  let total = 0;
  for (let e = 0; e < experts; e++) cumulative[e] = total += weight[e];
  const perToken = new Array<number[]>(tokens);
  const taken = new Uint8Array(experts);
  for (let t = 0; t < tokens; t++) {
    const choice = new Array<number>(k);
    let remaining = total;
    for (let j = 0; j < k; j++) {
      // Weighted draw without replacement: draw over all experts and reject a taken one (the accepted draw is
      // distributed ∝ weight over the untaken experts); after a few rejections, scan the untaken ones instead.
      let pick = -1;
      for (let attempt = 0; attempt < 8 && pick < 0; attempt++) {
        const e = upperBound(cumulative, random() * total);
        if (!taken[e]) pick = e;
      }
      if (pick < 0) {
        let x = random() * remaining;
        for (let e = 0; e < experts; e++) {
          if (taken[e]) continue;
          pick = e; // the last untaken expert absorbs floating-point leftovers
          x -= weight[e];
          if (x < 0) break;
        }
      }
      taken[pick] = 1;
      remaining -= weight[pick];
      // Insert best first: the more popular expert is the "higher score" choice (ties: lower index first).
      let i = j;
      while (i > 0 && (weight[choice[i - 1]] < weight[pick] || (weight[choice[i - 1]] === weight[pick] && choice[i - 1] > pick))) {
        choice[i] = choice[i - 1];
        i--;
      }
      choice[i] = pick;
    }
    for (let j = 0; j < k; j++) taken[choice[j]] = 0;
    perToken[t] = choice;
  }
  return perToken;
}

/** First index whose cumulative weight exceeds x (clamped to the last index). */
function upperBound(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The trace layer to use, or a one-line reason why the trace cannot be used for this layer. */
function traceProblem(
  trace: RoutingTrace | undefined,
  path: string,
  layer: number,
  tokens: number,
  experts: number,
  k: number,
): RoutingTraceLayer | string {
  if (!trace) return `trace "${path}" was not loaded`;
  if (trace.tokens !== undefined && trace.tokens !== tokens)
    return `trace "${path}" has ${trace.tokens} tokens, the design has ${tokens}`;
  if (trace.experts !== undefined && trace.experts !== experts)
    return `trace "${path}" has ${trace.experts} experts, the design has ${experts}`;
  if (trace.top_k !== undefined && trace.top_k !== k) return `trace "${path}" has top_k ${trace.top_k}, the design has ${k}`;
  const found = Array.isArray(trace.layers) ? trace.layers.find((l) => l && l.layer === layer) : undefined;
  if (!found) return `trace "${path}" has no layer ${layer}`;
  if (!Array.isArray(found.experts) || found.experts.length !== tokens)
    return `trace "${path}" layer ${layer} routes ${Array.isArray(found.experts) ? found.experts.length : 0} tokens, the design has ${tokens}`;
  for (let t = 0; t < tokens; t++) {
    const choice = found.experts[t];
    if (!Array.isArray(choice) || choice.length !== k)
      return `trace "${path}" layer ${layer} token ${t} has ${Array.isArray(choice) ? choice.length : 0} experts, top_k is ${k}`;
    for (let j = 0; j < k; j++) {
      const e = choice[j];
      if (!Number.isInteger(e) || e < 0 || e >= experts)
        return `trace "${path}" layer ${layer} token ${t} names expert ${String(e)}, valid are 0..${experts - 1}`;
      for (let i = 0; i < j; i++)
        if (choice[i] === e) return `trace "${path}" layer ${layer} token ${t} names expert ${e} twice`;
    }
  }
  return found;
}

function withCounts(layer: number, perToken: number[][], experts: number, source: RoutingSource): LayerRouting {
  const counts = new Array<number>(experts).fill(0);
  for (const choice of perToken) for (const e of choice) counts[e]++;
  return { layer, perToken, counts, source };
}

/** Distinct, well-mixed seeds per (seed, layer) so neighbouring layers do not draw correlated routings. */
function mixSeed(seed: number, layer: number): number {
  let h = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (layer + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
