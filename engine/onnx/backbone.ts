/**
 * The whole MoE ViT backbone of a design as one ONNX graph (opset 17): patch embedding, cls token and position
 * embedding, pre-norm blocks (LayerNormalization with the design's eps, multi-head attention, dense MLP with exact
 * erf GELU) and MoE layers with the M3ViT gate and truly sparse expert dispatch (each expert gathers only its routed
 * tokens: Equal → NonZero → Gather, FC1 → GELU → FC2, × gate score, ScatterND-add back onto the residual). Per-task
 * routers are stacked and chosen by the `task` input, so one session serves every task.
 *
 * Inputs: `image` [C, H, W] float, `task` int64 scalar. Outputs: `features` [tokens, dim] (the last block's output)
 * and, per MoE layer l, `topk_experts_l` / `topk_scores_l` [tokens, k] — the routing trace of the frame.
 * Weights use the Edge-MoE/PyTorch layout ([out, in] matrices; see edgeMoeTensorSpecs); an optional `cls_token` [dim]
 * is added to token 0 (Edge-MoE folds it into pos_embed row 0, so it is absent there).
 * Both M3ViT gating designs: per-task routers, or one task-conditioned router over [x ‖ e_task].
 * Task heads are not in this graph yet (docs/runtime.md).
 */
import { patchCount, tokenCount, type Design } from '../design';
import { DataType, floatTensor, int64Tensor, type Graph, type Model, type Node, type Tensor, type ValueInfo } from './proto';
import { IR_VERSION, OPSET } from './moeLayer';

export type BackboneWeights = ReadonlyMap<string, Float32Array>;

export class MissingWeightsError extends Error {
  constructor(readonly names: string[]) {
    super(`weights missing: ${names.join(', ')}`);
  }
}

export function buildBackboneModel(design: Design, weights: BackboneWeights): Model {
  const m = design.model;
  const D = m.dim;
  const T = tokenCount(m);
  const P = patchCount(m);
  const [C, H, W] = [m.input.channels, m.input.height, m.input.width];
  const [PH, PW] = [m.patch.height, m.patch.width];
  const rows = Math.floor(H / PH);
  const cols = Math.floor(W / PW);
  const heads = m.heads;
  const hd = D / heads;

  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  const outputs: ValueInfo[] = [{ name: 'features', elemType: DataType.FLOAT, shape: [T, D] }];
  let counter = 0;
  const fresh = (base: string) => `${base}_${counter++}`;
  const op = (opType: string, inputs: string[], attributes?: Node['attributes'], out?: string): string => {
    const output = out ?? fresh(opType.toLowerCase());
    nodes.push({ opType, inputs, outputs: [output], name: fresh(opType), attributes });
    return output;
  };
  const constF = (values: number[], dims: number[] = []) => {
    const name = fresh('c');
    inits.push(floatTensor(name, dims, values));
    return name;
  };
  const constI = (values: number[], dims: number[] = [values.length]) => {
    const name = fresh('ci');
    inits.push(int64Tensor(name, dims, values));
    return name;
  };
  const missing: string[] = [];
  const weight = (name: string, dims: number[], slice?: [number, number]): string => {
    const t = weights.get(name);
    if (!t) {
      missing.push(name);
      return name;
    }
    const values = slice ? t.subarray(slice[0], slice[1]) : t;
    const init = `w_${name}${slice ? `_${slice[0]}` : ''}`;
    inits.push(floatTensor(init, dims, values));
    return init;
  };
  const int = (value: number) => ({ kind: 'int' as const, value });
  const gemm = (x: string, w: string, b: string) => op('Gemm', [x, w, b], { transB: int(1) });
  const layerNorm = (x: string, gamma: string, beta: string) => op('LayerNormalization', [x, gamma, beta], { axis: int(-1), epsilon: { kind: 'float', value: m.eps } });
  const half = constF([0.5]);
  const one = constF([1]);
  const sqrt2 = constF([Math.SQRT2]);
  const gelu = (x: string) => op('Mul', [op('Mul', [x, half]), op('Add', [op('Erf', [op('Div', [x, sqrt2])]), one])]);

  // Patch embedding: [C,H,W] → [rows, cols, C, PH, PW] → [P, C·PH·PW] → Gemm with the [D, C·PH·PW] kernel.
  const patches = op('Reshape', [op('Transpose', [op('Reshape', ['image', constI([C, rows, PH, cols, PW])])], { perm: { kind: 'ints', value: [1, 3, 0, 2, 4] } }), constI([P, C * PH * PW])]);
  let x = gemm(patches, weight('patch_embed_weight', [D, C * PH * PW]), weight('patch_embed_bias', [D]));
  if (m.cls) {
    const cls = weights.has('cls_token') ? weight('cls_token', [1, D]) : constF(new Array<number>(D).fill(0), [1, D]);
    x = op('Concat', [cls, x], { axis: int(0) });
  }
  x = op('Add', [x, weight('pos_embed', [T, D])]);

  const scale = constF([1 / Math.sqrt(hd)]);
  const toHeads = constI([T, heads, hd]);
  const toTokens = constI([T, D]);
  for (let l = 0; l < m.depth; l++) {
    // Attention: Q, K, V are the three [D, D] row blocks of the stacked qkv weight.
    const h1 = layerNorm(x, weight(`l${l}_norm1_weight`, [D]), weight(`l${l}_norm1_bias`, [D]));
    const proj = (i: number) =>
      gemm(h1, weight(`l${l}_qkv_weight`, [D, D], [i * D * D, (i + 1) * D * D]), weight(`l${l}_qkv_bias`, [D], [i * D, (i + 1) * D]));
    const perHead = (t: string, perm: number[]) => op('Transpose', [op('Reshape', [t, toHeads])], { perm: { kind: 'ints', value: perm } });
    const q = perHead(proj(0), [1, 0, 2]); // [heads, T, hd]
    const k = perHead(proj(1), [1, 2, 0]); // [heads, hd, T]
    const v = perHead(proj(2), [1, 0, 2]);
    const attn = op('Softmax', [op('Mul', [op('MatMul', [q, k]), scale])], { axis: int(-1) });
    const context = op('Reshape', [op('Transpose', [op('MatMul', [attn, v])], { perm: { kind: 'ints', value: [1, 0, 2] } }), toTokens]);
    x = op('Add', [x, gemm(context, weight(`l${l}_attn_proj_weight`, [D, D]), weight(`l${l}_attn_proj_bias`, [D]))]);

    const h2 = layerNorm(x, weight(`l${l}_norm2_weight`, [D]), weight(`l${l}_norm2_bias`, [D]));
    const moe = m.moe && m.moe.layers.includes(l) ? m.moe : undefined;
    if (!moe) {
      const hidden = gelu(gemm(h2, weight(`l${l}_fc1_weight`, [m.mlpHidden, D]), weight(`l${l}_fc1_bias`, [m.mlpHidden])));
      x = op('Add', [x, gemm(hidden, weight(`l${l}_fc2_weight`, [D, m.mlpHidden]), weight(`l${l}_fc2_bias`, [D]))]);
      continue;
    }
    // M3ViT gate: softmax over all E logits of LN2(x) · W_gate[task]ᵀ, top-k probabilities, not renormalised.
    const E = moe.experts;
    const Hx = moe.hidden;
    let gate: string;
    let gateInput = h2;
    if (moe.gate.kind === 'per_task') {
      // The routers of all tasks stacked [tasks, E, D]; the `task` input picks one.
      const stacked = new Float32Array(design.tasks.length * E * D);
      design.tasks.forEach((_, t) => {
        const g = weights.get(`l${l}_w_gate_T_task${t}`);
        if (g) stacked.set(g, t * E * D);
        else missing.push(`l${l}_w_gate_T_task${t}`);
      });
      const gates = fresh(`w_l${l}_gates`);
      inits.push(floatTensor(gates, [design.tasks.length, E, D], stacked));
      gate = op('Gather', [gates, 'task'], { axis: int(0) }); // [E, D]
    } else {
      // Task-conditioned (M3ViT new_Mlp): e = LN(fc2(GELU(fc1(one_hot(task))))), concatenated to every token.
      const Tn = design.tasks.length;
      const Dt = moe.gate.embedDim;
      const identity = constF(Array.from({ length: Tn * Tn }, (_, i) => (i % (Tn + 1) === 0 ? 1 : 0)), [Tn, Tn]);
      const oneHot = op('Gather', [identity, op('Unsqueeze', ['task', constI([0])])], { axis: int(0) }); // [1, T]
      const e1 = gelu(gemm(oneHot, weight(`l${l}_task_embed_fc1_weight`, [Dt, Tn]), weight(`l${l}_task_embed_fc1_bias`, [Dt])));
      const e2 = gemm(e1, weight(`l${l}_task_embed_fc2_weight`, [Dt, Dt]), weight(`l${l}_task_embed_fc2_bias`, [Dt]));
      const embedding = layerNorm(e2, weight(`l${l}_task_embed_norm_weight`, [Dt]), weight(`l${l}_task_embed_norm_bias`, [Dt])); // [1, Dt]
      gateInput = op('Concat', [h2, op('Expand', [embedding, constI([T, Dt])])], { axis: int(1) }); // [T, D + Dt]
      gate = weight(`l${l}_w_gate_T`, [E, D + Dt]);
    }
    const probs = op('Softmax', [op('Gemm', [gateInput, gate], { transB: int(1) })], { axis: int(-1) });
    const scores = `topk_scores_${l}`;
    const experts = `topk_experts_${l}`;
    nodes.push({ opType: 'TopK', inputs: [probs, constI([moe.topK])], outputs: [scores, experts], name: fresh('TopK'), attributes: { axis: int(-1), largest: int(1), sorted: int(1) } });
    outputs.push({ name: experts, elemType: DataType.INT64, shape: [T, moe.topK] }, { name: scores, elemType: DataType.FLOAT, shape: [T, moe.topK] });
    const zero = constI([0], []);
    const axes1 = constI([1]);
    for (let e = 0; e < E; e++) {
      const routed = op('NonZero', [op('Equal', [experts, constI([e], [])])]); // [2, N]: (token, slot)
      const score = op('GatherND', [scores, op('Transpose', [routed], { perm: { kind: 'ints', value: [1, 0] } })]); // [N]
      const tokens = op('Gather', [routed, zero], { axis: int(0) }); // [N]
      const input = op('Gather', [h2, tokens], { axis: int(0) }); // [N, D]: only this expert's tokens
      const fc1 = weight(`l${l}_htoh4_weight`, [Hx, D], [e * Hx * D, (e + 1) * Hx * D]);
      const b1 = weight(`l${l}_htoh4_bias`, [Hx], [e * Hx, (e + 1) * Hx]);
      const fc2 = weight(`l${l}_h4toh_weight`, [D, Hx], [e * D * Hx, (e + 1) * D * Hx]);
      const b2 = weight(`l${l}_h4toh_bias`, [D], [e * D, (e + 1) * D]);
      const y = gemm(gelu(gemm(input, fc1, b1)), fc2, b2);
      const contribution = op('Mul', [y, op('Unsqueeze', [score, axes1])]);
      x = op('ScatterND', [x, op('Unsqueeze', [tokens, axes1]), contribution], { reduction: { kind: 'string', value: 'add' } });
    }
  }
  nodes.push({ opType: 'Identity', inputs: [x], outputs: ['features'], name: fresh('Identity') });

  // Task heads whose weights are given (`head_<task>_weight` [N, D], `_bias` [N]): `linear` maps each patch token to N
  // outputs (`head_<task>` [P, N]) and upsamples bilinearly to the input (`prediction_<task>` [N, H, W]); `cls` maps
  // the cls token (`head_<task>` [1, N]). PUP heads are not in the graph yet.
  for (const task of design.tasks) {
    const w = weights.get(`head_${task.name}_weight`);
    if (!w || task.head.kind === 'pup') continue;
    const N = task.head.count;
    const headW = weight(`head_${task.name}_weight`, [N, D]);
    const headB = weight(`head_${task.name}_bias`, [N]);
    const name = `head_${task.name}`;
    if (task.head.kind === 'cls') {
      op('Gemm', [op('Slice', ['features', constI([0]), constI([1]), constI([0])]), headW, headB], { transB: int(1) }, name);
      outputs.push({ name, elemType: DataType.FLOAT, shape: [1, N] });
      continue;
    }
    const patchTokens = m.cls ? op('Slice', ['features', constI([1]), constI([T]), constI([0])]) : 'features';
    op('Gemm', [patchTokens, headW, headB], { transB: int(1) }, name);
    const grid = op('Transpose', [op('Reshape', [name, constI([1, rows, cols, N])])], { perm: { kind: 'ints', value: [0, 3, 1, 2] } }); // [1, N, rows, cols]
    const up = op('Resize', [grid, '', '', constI([1, N, H, W])], {
      mode: { kind: 'string', value: 'linear' },
      coordinate_transformation_mode: { kind: 'string', value: 'half_pixel' },
    });
    op('Squeeze', [up, constI([0])], undefined, `prediction_${task.name}`);
    outputs.push({ name, elemType: DataType.FLOAT, shape: [P, N] }, { name: `prediction_${task.name}`, elemType: DataType.FLOAT, shape: [N, H, W] });
  }
  const unique = [...new Set(missing)];
  if (unique.length > 0) throw new MissingWeightsError(unique);

  const graph: Graph = {
    name: `${m.name}_backbone`,
    nodes,
    initializers: inits,
    inputs: [
      { name: 'image', elemType: DataType.FLOAT, shape: [C, H, W] },
      { name: 'task', elemType: DataType.INT64, shape: [] },
    ],
    outputs,
  };
  return { graph, opset: OPSET, irVersion: IR_VERSION, producer: 'm3v-studio' };
}
