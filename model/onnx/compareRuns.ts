/**
 * What a number format does to the model: a quantised run beside the float32 run of the same design, weights and
 * input. Per block the relative L2 of its output tokens, per MoE layer the tokens whose top-k expert SET changed
 * (a routing flip — the order within the k does not matter, the set decides which experts load), and the task's
 * prediction: arg-max agreement for class maps, relative error for regression maps, class and logit error for a cls
 * head. Pure: takes the two runs' outputs by name (`tokens_<l>` from buildBackboneModel's `layerOutputs`).
 */
import type { Design, TaskSpec } from '../../engine/design';

export interface OutputTensor {
  dims: number[];
  data: ArrayLike<number> | ArrayLike<bigint>;
}
export type RunOutputs = Record<string, OutputTensor>;

export type PredictionAgreement =
  | { kind: 'argmax'; agreement: number; pixels: number }
  | { kind: 'regression'; relativeError: number }
  | { kind: 'class'; same: boolean; classFloat32: number; classQuantised: number; relativeError: number };

export interface NumericsComparison {
  /** ‖q − f‖₂ / ‖f‖₂ of each block's output tokens (f = float32 run). */
  layers: { layer: number; relativeL2: number }[];
  /** Per MoE layer: tokens whose set of top-k experts differs. */
  routing: { layer: number; flips: number; tokens: number }[];
  prediction?: PredictionAgreement;
}

/** ‖a − b‖₂ / ‖b‖₂ in float64; 0 when both are zero, Infinity when only b is. */
export function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  if (norm === 0) return diff === 0 ? 0 : Infinity;
  return Math.sqrt(diff / norm);
}

/** Tokens whose top-k expert set differs between two [tokens, k] index tensors. */
export function routingFlips(a: OutputTensor, b: OutputTensor): number {
  const [tokens, k] = b.dims;
  let flips = 0;
  for (let t = 0; t < tokens; t++) {
    const set = new Set<number>();
    for (let j = 0; j < k; j++) set.add(Number(b.data[t * k + j]));
    for (let j = 0; j < k; j++) {
      if (!set.has(Number(a.data[t * k + j]))) {
        flips++;
        break;
      }
    }
  }
  return flips;
}

function numbers(t: OutputTensor): ArrayLike<number> {
  return t.data as ArrayLike<number>;
}

function argmaxAgreement(q: OutputTensor, f: OutputTensor): { agreement: number; pixels: number } {
  const [N, H, W] = f.dims;
  const pixels = H * W;
  const qv = numbers(q);
  const fv = numbers(f);
  let same = 0;
  for (let p = 0; p < pixels; p++) {
    let [bq, bf] = [0, 0];
    for (let n = 1; n < N; n++) {
      if (qv[n * pixels + p] > qv[bq * pixels + p]) bq = n;
      if (fv[n * pixels + p] > fv[bf * pixels + p]) bf = n;
    }
    if (bq === bf) same++;
  }
  return { agreement: pixels === 0 ? 1 : same / pixels, pixels };
}

function predictionAgreement(task: TaskSpec, quantised: RunOutputs, float32: RunOutputs): PredictionAgreement | undefined {
  if (task.head.kind === 'cls') {
    const q = quantised[`head_${task.name}`];
    const f = float32[`head_${task.name}`];
    if (!q || !f) return undefined;
    const best = (v: ArrayLike<number>) => Array.prototype.indexOf.call(v, Math.max(...Array.from(v)));
    const [cq, cf] = [best(numbers(q)), best(numbers(f))];
    return { kind: 'class', same: cq === cf, classFloat32: cf, classQuantised: cq, relativeError: relativeL2(numbers(q), numbers(f)) };
  }
  const q = quantised[`prediction_${task.name}`];
  const f = float32[`prediction_${task.name}`];
  if (!q || !f || f.dims[0] === 0) return undefined;
  if (task.head.output === 'classes') return { kind: 'argmax', ...argmaxAgreement(q, f) };
  return { kind: 'regression', relativeError: relativeL2(numbers(q), numbers(f)) };
}

export function compareRuns(design: Design, taskIndex: number, quantised: RunOutputs, float32: RunOutputs): NumericsComparison {
  const layers: NumericsComparison['layers'] = [];
  for (let l = 0; l < design.model.depth; l++) {
    const [q, f] = [quantised[`tokens_${l}`], float32[`tokens_${l}`]];
    if (q && f) layers.push({ layer: l, relativeL2: relativeL2(numbers(q), numbers(f)) });
  }
  const routing = (design.model.moe?.layers ?? []).flatMap((l) => {
    const [q, f] = [quantised[`topk_experts_${l}`], float32[`topk_experts_${l}`]];
    return q && f ? [{ layer: l, flips: routingFlips(q, f), tokens: f.dims[0] }] : [];
  });
  return { layers, routing, prediction: predictionAgreement(design.tasks[taskIndex], quantised, float32) };
}
