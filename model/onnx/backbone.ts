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
 * `dispatch: 'dense-masked'` swaps the sparse dispatch for every expert on every token masked by the top-k scores
 * (a benchmark baseline; same outputs).
 *
 * Task heads (weights named by model/weights/headSpecs.ts), the operations `headLayer` counts: `linear` →
 * `head_<task>` [patches, N] and `prediction_<task>` [N, H, W]; `cls` → LayerNorm of the cls token → `head_<task>`
 * [1, N]; `pup` (M3ViT VisionTransformerUpHead) → `head_<task>` [N, 8·rows, 8·cols] (pre-resize logits) and
 * `prediction_<task>` [N, H, W], computed only when `task` selects it (empty [0, …] otherwise).
 */
import { patchCount, tokenCount, type Design } from '../../engine/design';
import { DataType, floatTensor, int64Tensor, type Graph, type Model, type Node, type Tensor, type ValueInfo } from './proto';
import { IR_VERSION, OPSET } from './moeLayer';
import { BATCHNORM_EPS, headTensorSpecs, PUP_LAYERNORM_EPS, PUP_STAGES, taskHeadTensorSpecs } from '../weights/headSpecs';
import { edgeMoeTensorSpecs } from '../weights/edgeMoeFolder';
import { activationQuantizer, isIdentityPlan, quantizeWeights, type NumericsPlan, type Quantizer } from './numerics';

export type BackboneWeights = ReadonlyMap<string, Float32Array>;

export class MissingWeightsError extends Error {
  constructor(readonly names: string[]) {
    super(`weights missing: ${names.join(', ')}`);
  }
}

/**
 * `sparse` (default): each expert computes only its routed tokens (the Edge-MoE expert-by-expert order).
 * `dense-masked`: every expert on every token, masked by the top-k gate scores — the baseline for benchmarks.
 */
export type BackboneDispatch = 'sparse' | 'dense-masked';

export interface BackboneOptions {
  dispatch?: BackboneDispatch;
  /**
   * The number formats to emulate (model/onnx/numerics.ts): weights quantised before they become initializers,
   * activations quantised at every unit boundary (the `qa(…)` calls below). Omitted, or all float32: the plain graph.
   */
  numerics?: NumericsPlan;
  /** Also output each block's tokens as `tokens_<l>` [tokens, dim] (for the numerics comparison). */
  layerOutputs?: boolean;
}

/** Every weight's shape, by name (the backbone's, the cls token's and the heads'). */
function weightShapes(design: Design): Map<string, number[]> {
  return new Map([...edgeMoeTensorSpecs(design), { name: 'cls_token', shape: [design.model.dim] }, ...headTensorSpecs(design)].map((s) => [s.name, s.shape]));
}

export function buildBackboneModel(design: Design, givenWeights: BackboneWeights, options: BackboneOptions = {}): Model {
  const dispatch = options.dispatch ?? 'sparse';
  const plan = options.numerics && !isIdentityPlan(options.numerics, givenWeights.keys()) ? options.numerics : undefined;
  if (plan && dispatch !== 'sparse') throw new Error('internal: numerics are emulated on the sparse dispatch only');
  // Weights in the plan's formats (ap_fixed weights are what the HLS testbench's float → ap_fixed conversion stores,
  // include/tbutil.hpp:18 `value = readable.value` with AP_TRN/AP_WRAP).
  const weights = plan ? quantizeWeights(plan, givenWeights, weightShapes(design)) : givenWeights;
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
  // Activation quantisation at a unit boundary: the identity (no node) without a plan, so the float32 graph is unchanged.
  // Each call below cites the Edge-MoE line (sharc-lab/Edge-MoE @ 984b23b) where that buffer is written as fm_t.
  const qa: Quantizer = plan ? activationQuantizer({ op: (t, i, a) => op(t, i, a), constF, constI: (v) => constI([v], []) }, plan.acts) : (x: string) => x;
  const probability: [number, number] = [0, 1];
  const image = qa('image'); // the input frame buffer (Edge-MoE: pixel_t, datatypes.hpp:14; exact for pixel/256)

  // Patch embedding: [C,H,W] → [rows, cols, C, PH, PW] → [P, C·PH·PW] → Gemm with the [D, C·PH·PW] kernel.
  const patches = op('Reshape', [op('Transpose', [op('Reshape', [image, constI([C, rows, PH, cols, PW])])], { perm: { kind: 'ints', value: [1, 3, 0, 2, 4] } }), constI([P, C * PH * PW])]);
  let x = qa(gemm(patches, weight('patch_embed_weight', [D, C * PH * PW]), weight('patch_embed_bias', [D]))); // conv.cpp:89-93 (fm_t patches)
  if (m.cls) {
    const cls = weights.has('cls_token') ? weight('cls_token', [1, D]) : constF(new Array<number>(D).fill(0), [1, D]);
    x = op('Concat', [cls, x], { axis: int(0) });
  }
  x = qa(op('Add', [x, weight('pos_embed', [T, D])])); // conv.cpp:138 (+ pos_embed), :164 (cls row = pos_embed[0])

  const scale = constF([1 / Math.sqrt(hd)]);
  // A bound on |q·k·scale| from the operands, for the scores' quantiser (it then needs no pass over the scores to know
  // they cannot wrap): a score sums hd products, so |score| ≤ hd · max|q| · max|k| · scale. The float32 MatMul and Mul
  // err by at most γ_(hd+1) ≈ (hd + 1)·2^−24 relative (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
  // §3.1) and the bound's own products by 2^−24 each: the factor 1 + 2^−10 covers both for any hd < 2^13.
  // (Built only when a quantiser asks for it: a float32 graph stays byte for byte the plain graph.)
  const maxAbs = (t: string) => op('ReduceMax', [op('Abs', [t])], { keepdims: int(0) });
  const scoresBound = (qTokens: string, kTokens: string) =>
    op('Mul', [op('Mul', [maxAbs(qTokens), maxAbs(kTokens)]), constF([Math.sqrt(hd) * (1 + 2 ** -10)])]); // hd · (1/√hd) · (1 + 2^−10)
  const toHeads = constI([T, heads, hd]);
  const toTokens = constI([T, D]);
  const blockOutput = (l: number) => {
    if (!options.layerOutputs) return;
    op('Identity', [x], undefined, `tokens_${l}`);
    outputs.push({ name: `tokens_${l}`, elemType: DataType.FLOAT, shape: [T, D] });
  };
  // M3ViT's task embedding (gate_task_represent, vision_transformer_moe.py:423) is ONE module, computed once per
  // frame and passed to every MoE block (:550): built at the first MoE layer, reused by the others.
  let taskEmbedding: string | undefined;
  for (let l = 0; l < m.depth; l++) {
    // Attention: Q, K, V are the three [D, D] row blocks of the stacked qkv weight.
    const h1 = qa(layerNorm(x, weight(`l${l}_norm1_weight`, [D]), weight(`l${l}_norm1_bias`, [D]))); // layernorm.cpp:131-134
    // Q, K, V: linear.cpp:494-499 (fm_t out_block), one compute_linear each (ViT_compute.cpp:155, :159, :165).
    const proj = (i: number) =>
      qa(gemm(h1, weight(`l${l}_qkv_weight`, [D, D], [i * D * D, (i + 1) * D * D]), weight(`l${l}_qkv_bias`, [D], [i * D, (i + 1) * D])));
    const perHead = (t: string, perm: number[]) => op('Transpose', [op('Reshape', [t, toHeads])], { perm: { kind: 'ints', value: perm } });
    const [qTokens, kTokens] = [proj(0), proj(1)];
    const q = perHead(qTokens, [1, 0, 2]); // [heads, T, hd]
    const k = perHead(kTokens, [1, 2, 0]); // [heads, hd, T]
    const v = perHead(proj(2), [1, 0, 2]);
    // Scores q·k·scale: attention.cpp:102-105 (fm_t); probabilities: attention.cpp:431 (exp · 1/sum, fm_t);
    // context attn·v: attention.cpp:449-456 (fm_t accumulators).
    const attn = qa(op('Softmax', [qa(op('Mul', [op('MatMul', [q, k]), scale]), undefined, () => scoresBound(qTokens, kTokens))], { axis: int(-1) }), probability);
    const context = op('Reshape', [op('Transpose', [qa(op('MatMul', [attn, v]))], { perm: { kind: 'ints', value: [1, 0, 2] } }), toTokens]);
    // Projection: ViT_compute.cpp:171; residual add: add.cpp:18 (ViT_compute.cpp:173).
    x = qa(op('Add', [x, qa(gemm(context, weight(`l${l}_attn_proj_weight`, [D, D]), weight(`l${l}_attn_proj_bias`, [D])))]));

    const h2 = qa(layerNorm(x, weight(`l${l}_norm2_weight`, [D]), weight(`l${l}_norm2_bias`, [D]))); // ViT_compute.cpp:175
    const moe = m.moe && m.moe.layers.includes(l) ? m.moe : undefined;
    if (!moe) {
      // fc1: linear.cpp:494 (fm_t sum) then gelu → fm_t (gelu.cpp:192-210, linear.cpp:499); fc2: ViT_compute.cpp:186;
      // residual: ViT_compute.cpp:203.
      const hidden = qa(gelu(qa(gemm(h2, weight(`l${l}_fc1_weight`, [m.mlpHidden, D]), weight(`l${l}_fc1_bias`, [m.mlpHidden])))));
      x = qa(op('Add', [x, qa(gemm(hidden, weight(`l${l}_fc2_weight`, [D, m.mlpHidden]), weight(`l${l}_fc2_bias`, [D])))]));
      blockOutput(l);
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
      if (!taskEmbedding) {
        const identity = constF(Array.from({ length: Tn * Tn }, (_, i) => (i % (Tn + 1) === 0 ? 1 : 0)), [Tn, Tn]);
        const oneHot = op('Gather', [identity, op('Unsqueeze', ['task', constI([0])])], { axis: int(0) }); // [1, T]
        const e1 = gelu(gemm(oneHot, weight('task_embed_fc1_weight', [Dt, Tn]), weight('task_embed_fc1_bias', [Dt])));
        const e2 = gemm(e1, weight('task_embed_fc2_weight', [Dt, Dt]), weight('task_embed_fc2_bias', [Dt]));
        // Not in Edge-MoE (per-task gates); its output is a buffer the gate reads, so it is quantised like one.
        taskEmbedding = qa(layerNorm(e2, weight('task_embed_norm_weight', [Dt]), weight('task_embed_norm_bias', [Dt]))); // [1, Dt]
      }
      gateInput = op('Concat', [h2, op('Expand', [taskEmbedding, constI([T, Dt])])], { axis: int(1) }); // [T, D + Dt]
      gate = weight(`l${l}_w_gate_T`, [E, D + Dt]);
    }
    const scores = `topk_scores_${l}`;
    const experts = `topk_experts_${l}`;
    const topK = { axis: int(-1), largest: int(1), sorted: int(1) };
    if (plan) {
      // Edge-MoE picks the top k on the fm_t logits (moe.cpp:191 sums them, :264 top_k over them, strict `>` so the
      // lower expert index wins a tie, as ONNX TopK) and turns only those into probabilities (moe.cpp:239, fm_t).
      const logits = qa(op('Gemm', [gateInput, gate], { transB: int(1) }));
      const probs = qa(op('Softmax', [logits], { axis: int(-1) }), probability);
      nodes.push({ opType: 'TopK', inputs: [logits, constI([moe.topK])], outputs: [fresh('topk_logits'), experts], name: fresh('TopK'), attributes: topK });
      op('GatherElements', [probs, experts], { axis: int(1) }, scores);
    } else {
      const probs = op('Softmax', [op('Gemm', [gateInput, gate], { transB: int(1) })], { axis: int(-1) });
      nodes.push({ opType: 'TopK', inputs: [probs, constI([moe.topK])], outputs: [scores, experts], name: fresh('TopK'), attributes: topK });
    }
    outputs.push({ name: experts, elemType: DataType.INT64, shape: [T, moe.topK] }, { name: scores, elemType: DataType.FLOAT, shape: [T, moe.topK] });
    const axes1 = constI([1]);
    const expertWeights = (e: number) => ({
      fc1: weight(`l${l}_htoh4_weight`, [Hx, D], [e * Hx * D, (e + 1) * Hx * D]),
      b1: weight(`l${l}_htoh4_bias`, [Hx], [e * Hx, (e + 1) * Hx]),
      fc2: weight(`l${l}_h4toh_weight`, [D, Hx], [e * D * Hx, (e + 1) * D * Hx]),
      b2: weight(`l${l}_h4toh_bias`, [D], [e * D, (e + 1) * D]),
    });
    if (dispatch === 'dense-masked') {
      // The baseline the sparse dispatch is measured against: the gate scores scattered into a [T, E] matrix that is
      // zero outside each token's top-k, then every expert on every token, weighted by its column (E/k times the
      // expert FLOPs of the sparse graph; same result up to float rounding).
      const mask = op('ScatterElements', [constF(new Array<number>(T * E).fill(0), [T, E]), experts, scores], { axis: int(1) }); // [T, E]
      for (let e = 0; e < E; e++) {
        const { fc1, b1, fc2, b2 } = expertWeights(e);
        const column = op('Slice', [mask, constI([e]), constI([e + 1]), axes1]); // [T, 1]
        x = op('Add', [x, op('Mul', [gemm(gelu(gemm(h2, fc1, b1)), fc2, b2), column])]);
      }
      blockOutput(l);
      continue;
    }
    const zero = constI([0], []);
    const route = (e: number) => {
      const routed = op('NonZero', [op('Equal', [experts, constI([e], [])])]); // [2, N]: (token, slot)
      const score = op('GatherND', [scores, op('Transpose', [routed], { perm: { kind: 'ints', value: [1, 0] } })]); // [N]
      const tokens = op('Gather', [routed, zero], { axis: int(0) }); // [N]
      return { score, tokens, input: op('Gather', [h2, tokens], { axis: int(0) }) }; // input [N, D]: this expert's tokens
    };
    if (!plan) {
      for (let e = 0; e < E; e++) {
        const { score, tokens, input } = route(e);
        const { fc1, b1, fc2, b2 } = expertWeights(e);
        const contribution = op('Mul', [gemm(gelu(gemm(input, fc1, b1)), fc2, b2), op('Unsqueeze', [score, axes1])]);
        x = op('ScatterND', [x, op('Unsqueeze', [tokens, axes1]), contribution], { reduction: { kind: 'string', value: 'add' } });
      }
      blockOutput(l);
      continue;
    }
    // Quantised. Each expert's FC1 → GELU → FC2 is the same compute_linear as the dense MLP (linear.cpp:494, :499), its
    // output scaled by the gate score (linear.cpp:380 block_out *= score) and summed into a zeroed fm_t buffer
    // (moe.cpp:299) expert by expert in index order (the metaqueue, moe.cpp write_gate_results; linear.cpp:381), then
    // added to x (ViT_compute.cpp:203). The element-wise work (quantisers, GELU) runs once on all experts' rows
    // stacked, not once per expert: the same values, a quarter of the nodes (onnxruntime's per-node cost dominates at
    // these sizes). A sum of fm_t values is exact in fixed point unless it wraps, so the sum is quantised once.
    const routes = Array.from({ length: E }, (_, e) => route(e));
    const rows = op('Concat', routes.map((r) => op('Shape', [r.tokens])), { axis: int(0) }); // [E]: N_e
    const splitRows = (t: string) => {
      const parts = Array.from({ length: E }, () => fresh('split'));
      nodes.push({ opType: 'Split', inputs: [t, rows], outputs: parts, name: fresh('Split'), attributes: { axis: int(0) } });
      return parts;
    };
    const ew = routes.map((_, e) => expertWeights(e));
    const hidden = qa(gelu(qa(op('Concat', routes.map((r, e) => gemm(r.input, ew[e].fc1, ew[e].b1)), { axis: int(0) })))); // [Σ N_e, H]
    const outs = splitRows(hidden).map((h, e) => gemm(h, ew[e].fc2, ew[e].b2));
    const allScores = op('Unsqueeze', [op('Concat', routes.map((r) => r.score), { axis: int(0) }), axes1]); // [Σ N_e, 1]
    const contributions = qa(op('Mul', [qa(op('Concat', outs, { axis: int(0) })), allScores]));
    const allTokens = op('Unsqueeze', [op('Concat', routes.map((r) => r.tokens), { axis: int(0) }), axes1]);
    // ScatterND with reduction add applies the updates in order, so repeated tokens (k per token) accumulate.
    const sum = op('ScatterND', [constF(new Array<number>(T * D).fill(0), [T, D]), allTokens, contributions], { reduction: { kind: 'string', value: 'add' } });
    x = qa(op('Add', [x, qa(sum)]));
    blockOutput(l);
  }
  nodes.push({ opType: 'Identity', inputs: [x], outputs: ['features'], name: fresh('Identity') });

  // Task heads, each in the graph when any of its tensors is given (`headTensorSpecs`; a partly given head names its
  // missing tensors). The Edge-MoE folder has no heads, so its graph has none. Every head runs the operations that
  // `headLayer` (engine/costs/counts.ts) counts. Linear and cls heads are cheap and run on every frame; a PUP head runs
  // only for the selected task (below).
  const bilinear = (x: string, sizes: number[] | string) =>
    // M3ViT interpolates with align_corners=False (every config sets `align_corners: False`, BaseDecodeHead's default
    // too): PyTorch's source = (dst + 0.5)·in/out − 0.5 — ONNX's `half_pixel` mode, not `align_corners`.
    op('Resize', [x, '', '', typeof sizes === 'string' ? sizes : constI(sizes)], {
      mode: { kind: 'string', value: 'linear' },
      coordinate_transformation_mode: { kind: 'string', value: 'half_pixel' },
    });
  const patchTokens = () => (m.cls ? op('Slice', ['features', constI([1]), constI([T]), constI([0])]) : 'features');
  for (const task of design.tasks) {
    if (!taskHeadTensorSpecs(design, task).some((spec) => weights.has(spec.name))) continue;
    const head = task.head;
    const N = head.count;
    const p = `head_${task.name}`;
    const name = p;
    const prediction = `prediction_${task.name}`;
    if (head.kind === 'cls') {
      // timm's VisionTransformer applies its final `norm` (the backbone's eps) to the cls token before the classifier.
      const token = op('Slice', ['features', constI([0]), constI([1]), constI([0])]);
      const normed = op('LayerNormalization', [token, weight(`${p}_norm_weight`, [D]), weight(`${p}_norm_bias`, [D])], { axis: int(-1), epsilon: { kind: 'float', value: m.eps } });
      op('Gemm', [normed, weight(`${p}_weight`, [N, D]), weight(`${p}_bias`, [N])], { transB: int(1) }, name);
      outputs.push({ name, elemType: DataType.FLOAT, shape: [1, N] });
      continue;
    }
    if (head.kind === 'linear') {
      op('Gemm', [patchTokens(), weight(`${p}_weight`, [N, D]), weight(`${p}_bias`, [N])], { transB: int(1) }, name);
      const grid = op('Transpose', [op('Reshape', [name, constI([1, rows, cols, N])])], { perm: { kind: 'ints', value: [0, 3, 1, 2] } }); // [1, N, rows, cols]
      op('Squeeze', [bilinear(grid, [1, N, H, W]), constI([0])], undefined, prediction);
      outputs.push({ name, elemType: DataType.FLOAT, shape: [P, N] }, { name: prediction, elemType: DataType.FLOAT, shape: [N, H, W] });
      continue;
    }
    // PUP (M3ViT VisionTransformerUpHead, num_conv 4): LN (eps 1e-6, hard-coded in the head) → [1, D, rows, cols] →
    // 4 × (conv3x3 pad 1 → BN (running stats) → ReLU), ×2 after the first three → conv1x1 width → N → resize to H × W.
    // A PUP head can cost more than the whole backbone (facts §7: ~52 G MACs at 512 × 512, width 256), and onnxruntime
    // runs every node whatever the caller fetches, so it runs only for the selected task: its batch is n = (task == t),
    // 1 or 0, and on an empty batch every op is a no-op. Its outputs are empty ([0, …]) when another task is selected.
    const C = head.width;
    const t = design.tasks.indexOf(task);
    const n = op('Unsqueeze', [op('Cast', [op('Equal', ['task', constI([t], [])])], { to: int(DataType.INT64) }), constI([0])]); // [1]: 1 or 0
    // A 0 in a Reshape shape means "copy that input dim" unless allowzero = 1; here n = 0 must mean an empty batch.
    const literalZero = { allowzero: int(1) };
    const withBatch = (dims: number[]) => op('Concat', [n, constI(dims)], { axis: int(0) });
    const tokens = op('Slice', [patchTokens(), constI([0]), op('Mul', [n, constI([P])]), constI([0])]); // [n·P, D]
    const normed = op('LayerNormalization', [tokens, weight(`${p}_norm_weight`, [D]), weight(`${p}_norm_bias`, [D])], { axis: int(-1), epsilon: { kind: 'float', value: PUP_LAYERNORM_EPS } });
    // [n·P, D] → [n, rows, cols, D] → [n, D, rows, cols] (M3ViT: x.transpose(1, 2).reshape(n, c, h, w))
    let map = op('Transpose', [op('Reshape', [normed, withBatch([rows, cols, D])], literalZero)], { perm: { kind: 'ints', value: [0, 3, 1, 2] } });
    let [h, w] = [rows, cols];
    for (let i = 0; i < PUP_STAGES; i++) {
      const conv = op('Conv', [map, weight(`${p}_conv${i}_weight`, [C, i === 0 ? D : C, 3, 3]), weight(`${p}_conv${i}_bias`, [C])], {
        kernel_shape: { kind: 'ints', value: [3, 3] },
        pads: { kind: 'ints', value: [1, 1, 1, 1] },
      });
      const bn = op('BatchNormalization', [conv, ...['weight', 'bias', 'mean', 'var'].map((k) => weight(`${p}_bn${i}_${k}`, [C]))], { epsilon: { kind: 'float', value: BATCHNORM_EPS } });
      map = op('Relu', [bn]);
      if (i < PUP_STAGES - 1) {
        [h, w] = [2 * h, 2 * w];
        map = bilinear(map, withBatch([C, h, w]));
      }
    }
    const logits = op('Conv', [map, weight(`${p}_out_weight`, [N, C, 1, 1]), weight(`${p}_out_bias`, [N])], { kernel_shape: { kind: 'ints', value: [1, 1] } }); // [n, N, h, w]
    // [n, N, …] → [n·N, …]: [N, …] for the selected task, [0, …] otherwise.
    const merged = (dims: number[]) => op('Concat', [op('Mul', [n, constI([N])]), constI(dims)], { axis: int(0) });
    op('Reshape', [logits, merged([h, w])], literalZero, name);
    op('Reshape', [bilinear(logits, withBatch([N, H, W])), merged([H, W])], literalZero, prediction);
    const count = `${task.name}_count`; // N when the task is selected, 0 otherwise
    outputs.push({ name, elemType: DataType.FLOAT, shape: [count, h, w] }, { name: prediction, elemType: DataType.FLOAT, shape: [count, H, W] });
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
