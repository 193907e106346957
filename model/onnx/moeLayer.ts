/**
 * ONNX graph of one pre-norm MoE FFN sub-block, `y = x + Σ_top-k p_e · expert_e(LN(x))`, with the M3ViT gate
 * (softmax over all E logits of LN(x) @ W_gate, no bias; the top-k probabilities are the weights, NOT renormalised)
 * and per-task routers stacked [tasks, D, E] and selected by the int64 scalar input `task` — so one session serves
 * every task and a task switch changes an input, not the model.
 *
 * `sparse`: expert-by-expert (the Edge-MoE order): each expert gathers only its routed tokens (NonZero on the top-k
 * index map), runs FC1 → erf-GELU → FC2, scales by the gate score and scatter-adds back (ScatterND reduction=add,
 * opset ≥ 16). `dense`: the baseline, every expert on every token, masked by its (possibly zero) gate weight.
 * The graph also outputs the top-k indices and scores: the routing trace of the input.
 */
import { DataType, floatTensor, int64Tensor, type Graph, type Model, type Node, type Tensor } from './proto';

export interface MoeLayerWeights {
  tokens: number;
  dim: number;
  experts: number;
  topK: number;
  hidden: number;
  tasks: number;
  eps: number;
  /** norm2 γ, β: [dim] */
  lnGamma: Float32Array;
  lnBeta: Float32Array;
  /** [tasks, dim, experts] (x @ W layout) */
  gate: Float32Array;
  /** per expert: fc1 [dim, hidden], b1 [hidden], fc2 [hidden, dim], b2 [dim] */
  fc1: Float32Array[];
  b1: Float32Array[];
  fc2: Float32Array[];
  b2: Float32Array[];
}

export type Dispatch = 'sparse' | 'dense';

/** Opset 17: the highest Debian's python3-onnx 1.12 checker accepts; has LayerNormalization and ScatterND add. */
export const OPSET = 17;
export const IR_VERSION = 8;

export function buildMoeLayerModel(w: MoeLayerWeights, dispatch: Dispatch): Model {
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  const node = (opType: string, inputs: string[], outputs: string[], attributes?: Node['attributes']) =>
    nodes.push({ opType, inputs, outputs, name: `${opType}_${nodes.length}`, attributes });
  const c = (name: string, dims: number[], v: number[]) => (inits.push(floatTensor(name, dims, v)), name);
  const ci = (name: string, dims: number[], v: number[]) => (inits.push(int64Tensor(name, dims, v)), name);
  const { dim: D, experts: E, topK: K, hidden: H } = w;

  inits.push(floatTensor('ln_gamma', [D], w.lnGamma), floatTensor('ln_beta', [D], w.lnBeta));
  inits.push(floatTensor('gate_w', [w.tasks, D, E], w.gate));
  node('LayerNormalization', ['x', 'ln_gamma', 'ln_beta'], ['ln'], {
    axis: { kind: 'int', value: -1 },
    epsilon: { kind: 'float', value: w.eps },
  });
  node('Gather', ['gate_w', 'task'], ['gate_sel'], { axis: { kind: 'int', value: 0 } });
  node('MatMul', ['ln', 'gate_sel'], ['logits']);
  node('Softmax', ['logits'], ['probs'], { axis: { kind: 'int', value: -1 } });
  node('TopK', ['probs', ci('k', [1], [K])], ['topk_scores', 'topk_experts'], {
    axis: { kind: 'int', value: -1 },
    largest: { kind: 'int', value: 1 },
    sorted: { kind: 'int', value: 1 },
  });
  const half = c('half', [], [0.5]);
  const one = c('one', [], [1]);
  const sqrt2 = c('sqrt2', [], [Math.SQRT2]);
  const axes1 = ci('axes1', [1], [1]);
  // Only the variant that uses a constant declares it (an unused initializer is a checker/ORT warning).
  const zeroF = dispatch === 'dense' ? c('zero', [], [0]) : '';
  const zeroI = dispatch === 'sparse' ? ci('zero_i', [], [0]) : '';

  // Exact erf GELU (the Gelu op only exists from opset 20).
  const gelu = (inp: string, out: string) => {
    node('Div', [inp, sqrt2], [`${out}_d`]);
    node('Erf', [`${out}_d`], [`${out}_e`]);
    node('Add', [`${out}_e`, one], [`${out}_a`]);
    node('Mul', [inp, half], [`${out}_h`]);
    node('Mul', [`${out}_h`, `${out}_a`], [out]);
  };
  const expert = (e: number, inp: string, out: string) => {
    inits.push(floatTensor(`e${e}_fc1`, [D, H], w.fc1[e]), floatTensor(`e${e}_b1`, [H], w.b1[e]));
    inits.push(floatTensor(`e${e}_fc2`, [H, D], w.fc2[e]), floatTensor(`e${e}_b2`, [D], w.b2[e]));
    node('MatMul', [inp, `e${e}_fc1`], [`e${e}_m1`]);
    node('Add', [`e${e}_m1`, `e${e}_b1`], [`e${e}_h`]);
    gelu(`e${e}_h`, `e${e}_g`);
    node('MatMul', [`e${e}_g`, `e${e}_fc2`], [`e${e}_m2`]);
    node('Add', [`e${e}_m2`, `e${e}_b2`], [out]);
  };

  let acc = 'x'; // the residual is the accumulator: y = x + Σ contributions
  for (let e = 0; e < E; e++) {
    const id = ci(`id_${e}`, [], [e]);
    node('Equal', ['topk_experts', id], [`e${e}_mask`]);
    const next = e === E - 1 ? 'y' : `acc_${e}`;
    if (dispatch === 'sparse') {
      node('NonZero', [`e${e}_mask`], [`e${e}_nz`]); // [2, N]: (token, slot)
      node('Transpose', [`e${e}_nz`], [`e${e}_nzT`], { perm: { kind: 'ints', value: [1, 0] } });
      node('GatherND', ['topk_scores', `e${e}_nzT`], [`e${e}_score`]); // [N]
      node('Gather', [`e${e}_nz`, zeroI], [`e${e}_tok`], { axis: { kind: 'int', value: 0 } }); // [N]
      node('Gather', ['ln', `e${e}_tok`], [`e${e}_in`], { axis: { kind: 'int', value: 0 } }); // [N, D]
      expert(e, `e${e}_in`, `e${e}_out`);
      node('Unsqueeze', [`e${e}_score`, axes1], [`e${e}_score2`]);
      node('Mul', [`e${e}_out`, `e${e}_score2`], [`e${e}_contrib`]);
      node('Unsqueeze', [`e${e}_tok`, axes1], [`e${e}_tok2`]); // [N, 1] row indices
      node('ScatterND', [acc, `e${e}_tok2`, `e${e}_contrib`], [next], { reduction: { kind: 'string', value: 'add' } });
    } else {
      node('Where', [`e${e}_mask`, 'topk_scores', zeroF], [`e${e}_wk`]);
      node('ReduceSum', [`e${e}_wk`, axes1], [`e${e}_w`], { keepdims: { kind: 'int', value: 1 } }); // [T, 1]
      expert(e, 'ln', `e${e}_out`);
      node('Mul', [`e${e}_out`, `e${e}_w`], [`e${e}_contrib`]);
      node('Add', [acc, `e${e}_contrib`], [next]);
    }
    acc = next;
  }

  const graph: Graph = {
    name: `moe_layer_${dispatch}`,
    nodes,
    initializers: inits,
    inputs: [
      { name: 'x', elemType: DataType.FLOAT, shape: [w.tokens, D] },
      { name: 'task', elemType: DataType.INT64, shape: [] },
    ],
    outputs: [
      { name: 'y', elemType: DataType.FLOAT, shape: [w.tokens, D] },
      { name: 'topk_experts', elemType: DataType.INT64, shape: [w.tokens, K] },
      { name: 'topk_scores', elemType: DataType.FLOAT, shape: [w.tokens, K] },
    ],
  };
  return { graph, opset: OPSET, irVersion: IR_VERSION, producer: 'm3v-studio' };
}
