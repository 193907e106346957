/**
 * The model as the FPGA computes it: which number format every weight and every activation has, how a format is
 * emulated, and the weights quantised to it. Pure (no Node).
 *
 * Modes (`m3v run --numerics …`):
 * - `float32` — no quantisation at all; the graph is exactly the float32 graph (no node is added).
 * - `declared` — every weight in the hardware target's `weights` format, the position embedding (and cls token) and
 *   every activation at each unit boundary in its `acts` format. Edge-MoE keeps `pos_embed` in its feature-map type
 *   (`patch_blocks_t pos_embed`, include/kernel.hpp:83 → fm_t, include/hardware.hpp:19-21), hence `acts`.
 * - `edge-moe` — Edge-MoE's own per-tensor types (sharc-lab/Edge-MoE include/datatypes.hpp:7-12) whatever the design
 *   declares: linear and router matrices ap_fixed<16,2> (wt_linear_t), qkv/proj biases <16,7> (wt_attn_bias_t), other
 *   biases <16,5> (wt_bias_t), LayerNorm gains <16,5> (wt_norm_t), the patch-embedding kernel <16,0>
 *   (wt_patch_embed_t), pos_embed and activations <32,10> (fm_t). Task heads (Edge-MoE has none) stay float32.
 *
 * Formats: `fixed<W,I>` is Vitis HLS `ap_fixed<W,I>` with its defaults AP_TRN / AP_WRAP (UG1399; the float64 reference
 * is model/reference/fixedPoint.ts `apFixed`); `int8` is symmetric with a per-tensor or per-channel scale for weights
 * (max|w| / 127, round half to even) and a dynamic per-tensor scale for activations; `float16` is IEEE binary16.
 *
 * Where each activation quantisation point is (the unit boundaries of Edge-MoE, whose every inter-unit buffer is fm_t)
 * is listed in model/onnx/backbone.ts at each `qa(…)` call, with the Edge-MoE file and line.
 *
 * Why in the float32 graph, and what float32 cannot hold. The graph's quantiser reproduces AP_TRN + AP_WRAP exactly on
 * the float32 value it is given: x · 2^F and · 2^−F are power-of-two scalings (exact), Floor of a float is exact, and
 * the wrapped value is a multiple of the input's own spacing no larger than it, so it is a float32 too — the quantised
 * value of a float32 is always a float32, for any W ≤ 53; the wrap itself is integer arithmetic in int64. What float32
 * cannot do is carry a fixed<32,10> value *between* quantisation points: such a value needs up to 31 significant bits
 * and float32 has 24, so where |x| ≥ 2^(24 − F) (= 4 for fixed<32,10>) the float32 arithmetic of a unit rounds at its
 * own 2^−24 relative step instead of the format's 2^−22 grid. The hardware's arithmetic inside a unit is not the
 * format's either (ap_fixed products are full width, e.g. linear.cpp:492 truncates each product into fm_t before the
 * sum), so the emulation quantises where data crosses a unit boundary and documents the rest (docs/runtime.md). Doing
 * it in float64 would cost ~2× the memory traffic and onnxruntime's CPU Erf/LayerNormalization kernels are float only.
 */
import type { HardwareTarget, NumberFormat } from '../../engine/design';
import { apFixed, float16Round, int8Quantize } from '../reference/fixedPoint';
import { DataType, type Graph, type Node } from './proto';

export const NUMERICS_MODES = ['float32', 'declared', 'edge-moe'] as const;
export type NumericsMode = (typeof NUMERICS_MODES)[number];
export type Int8Scales = 'per-tensor' | 'per-channel';

export interface NumericsPlan {
  mode: NumericsMode;
  /** The format of one weight tensor, by internal name. */
  weightFormat(name: string): NumberFormat;
  /** Every activation at a unit boundary. */
  acts: NumberFormat;
  /** How int8 weights get their scale. */
  int8Scales: Int8Scales;
  /** One line for reports: `weights fixed<16,2>, acts fixed<32,10>`. */
  summary: string;
}

/** A format the runtime cannot emulate, a mode it does not know. */
export class NumericsError extends Error {}

export const FLOAT32: NumberFormat = { kind: 'float32' };
const fixed = (width: number, integer: number): NumberFormat => ({ kind: 'fixed', width, integer });

export function formatName(format: NumberFormat): string {
  return format.kind === 'fixed' ? `fixed<${format.width},${format.integer}>` : format.kind;
}

/** Why the runtime cannot emulate `format`, or undefined when it can. */
export function numericsFormatProblem(format: NumberFormat): string | undefined {
  if (format.kind !== 'fixed') return undefined;
  const { width: W, integer: I } = format;
  // W ≤ 53: every ap_fixed<W, I> value is a float64, so the reference and the weight quantisation are exact, and the
  // graph's Mod by 2^W stays exact. |F| ≤ 60 keeps the scalings 2^±F normal float32 numbers with room for |x| up to 2^60.
  if (!Number.isInteger(W) || W < 1 || W > 53) return `${formatName(format)}: the runtime emulates fixed<W,I> for 1 ≤ W ≤ 53 bits (a wider value is not a float64)`;
  if (Math.abs(W - I) > 60) return `${formatName(format)}: the runtime emulates at most 60 fractional (or −60) bits, W − I = ${W - I}`;
  return undefined;
}

function checked(format: NumberFormat, role: string): NumberFormat {
  const problem = numericsFormatProblem(format);
  if (problem) throw new NumericsError(`cannot emulate the ${role} format ${problem}`);
  return format;
}

/** Edge-MoE's per-tensor types, include/datatypes.hpp:7-12 (see the module comment). */
export function edgeMoeWeightFormat(name: string): NumberFormat {
  if (name.startsWith('head_')) return FLOAT32; // Edge-MoE has no task heads
  if (name === 'pos_embed' || name === 'cls_token') return fixed(32, 10); // fm_t (kernel.hpp:83)
  if (name === 'patch_embed_weight') return fixed(16, 0); // wt_patch_embed_t (kernel.hpp:81)
  if (/^l\d+_(qkv|attn_proj)_bias$/.test(name)) return fixed(16, 7); // wt_attn_bias_t attn_bias (kernel.hpp:85)
  if (/norm\d?_weight$/.test(name)) return fixed(16, 5); // wt_norm_t norm_weights (kernel.hpp:95)
  if (/_bias$/.test(name)) return fixed(16, 5); // wt_bias_t: patch embed, fc, expert and norm biases (kernel.hpp:82-96)
  return fixed(16, 2); // wt_linear_t: attention, MLP, expert and router matrices (kernel.hpp:84-93)
}

export function numericsPlan(mode: string, target: HardwareTarget | undefined, int8Scales: Int8Scales = 'per-channel'): NumericsPlan {
  if (mode === 'float32') return { mode, weightFormat: () => FLOAT32, acts: FLOAT32, int8Scales, summary: 'float32 (no quantisation)' };
  if (mode === 'edge-moe') {
    return { mode, weightFormat: edgeMoeWeightFormat, acts: fixed(32, 10), int8Scales, summary: "Edge-MoE's types (datatypes.hpp): weights fixed<16,2>/<16,7>/<16,5>/<16,0>, acts fixed<32,10>" };
  }
  if (mode !== 'declared') throw new NumericsError(`--numerics must be one of ${NUMERICS_MODES.join(', ')}, got '${mode}'`);
  if (!target) throw new NumericsError('--numerics declared needs a hardware target in the design (its weights and acts formats)');
  const weights = checked(target.weights, 'weights');
  const acts = checked(target.acts, 'acts');
  const int8 = weights.kind === 'int8' ? ` (${int8Scales} scales)` : '';
  return {
    mode,
    weightFormat: (name) => (name === 'pos_embed' || name === 'cls_token' ? acts : weights),
    acts,
    int8Scales,
    summary: `target ${target.name}: weights ${formatName(weights)}${int8}, acts ${formatName(acts)}`,
  };
}

/** True when nothing is quantised (every format float32): the graph must then be the plain float32 graph. */
export function isIdentityPlan(plan: NumericsPlan, names: Iterable<string>): boolean {
  if (plan.acts.kind !== 'float32') return false;
  for (const name of names) if (plan.weightFormat(name).kind !== 'float32') return false;
  return true;
}

// ---------------------------------------------------------------- weights

/**
 * One tensor in `format`, as float32 values (every quantised value of a float32 input is a float32 — see the module
 * comment — so nothing is rounded twice). `rowLength` = the elements of one output channel (for per-channel int8).
 */
export function quantizeTensor(values: Float32Array, format: NumberFormat, rowLength: number, int8Scales: Int8Scales): Float32Array {
  switch (format.kind) {
    case 'float32':
      return values;
    case 'float16':
      return Float32Array.from(values, float16Round);
    case 'fixed': {
      checked(format, 'weights');
      return Float32Array.from(values, (v) => apFixed(v, format.width, format.integer));
    }
    case 'int8': {
      const out = new Float32Array(values.length);
      const group = int8Scales === 'per-channel' && rowLength > 0 && values.length % rowLength === 0 ? rowLength : values.length;
      for (let start = 0; start < values.length; start += group) {
        let max = 0;
        for (let i = start; i < start + group; i++) max = Math.max(max, Math.abs(values[i]));
        const scale = max / 127;
        for (let i = start; i < start + group; i++) out[i] = int8Quantize(values[i], scale);
      }
      return out;
    }
  }
}

/** The weights as the plan stores them; `shapes` gives each tensor's shape (its last axis is one output channel's row). */
export function quantizeWeights(plan: NumericsPlan, weights: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, number[]>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, values] of weights) {
    const shape = shapes.get(name) ?? [values.length];
    // Per channel: one scale per output feature. [out, in] / [E, out, in] matrices: the last axis is one row; a conv
    // kernel [out, C, kh, kw]: one filter; 1-D tensors (biases, norms): one scale for the tensor.
    const row = shape.length >= 4 ? shape.slice(1).reduce((a, b) => a * b, 1) : shape.length >= 2 ? shape[shape.length - 1] : values.length;
    out.set(name, quantizeTensor(values, plan.weightFormat(name), row, plan.int8Scales));
  }
  return out;
}

// ---------------------------------------------------------------- activations in the graph

/** The graph-building primitives the quantiser needs (the backbone builder's own `op` and constants). */
export interface GraphOps {
  op(opType: string, inputs: string[], attributes?: Node['attributes']): string;
  constF(values: number[], dims?: number[]): string;
  /** An int64 scalar constant. */
  constI(value: number): string;
}

/**
 * A function that appends the quantisation of a float32 tensor to `format` and returns the quantised tensor's name;
 * the identity (no node) for float32.
 * - fixed<W,I>: m = ⌊x · 2^F⌋ (AP_TRN), then AP_WRAP in int64 — for W = 8, 16, 32 a narrowing Cast to int<W>, else
 *   ((m + 2^(W−1)) mod 2^W) − 2^(W−1) — then · 2^−F; no wrap where `range` proves the value inside the format, and
 *   the wrap only when the tensor's min or max shows an element outside it (an If). Exact on every float32 input with
 *   |x · 2^F| < 2^62 (comments below). Nodes per point in the main graph: 9 (Mul, Floor, ReduceMin, ReduceMax, two
 *   compares, And, If + the branch taken: 1 node in range, 5 or 6 when it wraps), 3 with a proven range.
 * - int8: s = max(max|x|, 2^−126) / 127 over the whole tensor (dynamic per-tensor scale), Clip(Round(x / s)) · s.
 * - float16: Cast to FLOAT16 and back (IEEE round to nearest even, as the hardware's half-precision conversion).
 */
/**
 * Quantises tensor `x`; `range` = bounds the value is known to lie in (lets a quantiser skip its overflow handling);
 * `absBound` = adds to the graph a float32 scalar known to be ≥ max |x|, computed cheaply from the operands, and returns
 * its name (called only by a quantiser that can use it: it lets the quantiser skip its min/max reductions over x when
 * the bound alone shows no element can wrap).
 */
export type Quantizer = (x: string, range?: [number, number], absBound?: () => string) => string;

/** The ONNX signed integer type of each width whose narrowing from int64 is AP_WRAP. */
const NARROW_INT: Record<number, number | undefined> = { 8: DataType.INT8, 16: DataType.INT16, 32: DataType.INT32 };

export function activationQuantizer(g: GraphOps, format: NumberFormat): Quantizer {
  switch (format.kind) {
    case 'float32':
      return (x) => x;
    case 'float16':
      return (x) => g.op('Cast', [g.op('Cast', [x], { to: { kind: 'int', value: DataType.FLOAT16 } })], { to: { kind: 'int', value: DataType.FLOAT } });
    case 'int8': {
      const tiny = g.constF([2 ** -126]);
      const inv127 = g.constF([127]);
      const lo = g.constF([-128]);
      const hi = g.constF([127]);
      return (x) => {
        const scale = g.op('Div', [g.op('Max', [g.op('ReduceMax', [g.op('Abs', [x])], { keepdims: { kind: 'int', value: 0 } }), tiny]), inv127]);
        return g.op('Mul', [g.op('Clip', [g.op('Round', [g.op('Div', [x, scale])]), lo, hi]), scale]);
      };
    }
    case 'fixed': {
      checked(format, 'acts');
      const { width: W, integer: I } = format;
      const F = W - I;
      const up = g.constF([2 ** F]);
      const down = g.constF([2 ** -F]);
      const halfRange = g.constI(2 ** (W - 1));
      const modulus = g.constI(2 ** W);
      const narrow = NARROW_INT[W];
      const lowest = g.constF([-(2 ** (W - 1))]);
      const beyond = g.constF([2 ** (W - 1)]);
      const limit = g.constF([2 ** (I - 1)]);
      return (x, range, absBound) => {
        const m = g.op('Floor', [g.op('Mul', [x, up])]); // AP_TRN: m = ⌊x·2^F⌋, an integer-valued float32
        // A value known to lie inside the format's range (probabilities in [0, 1] with I ≥ 2) cannot wrap.
        if (range && range[0] >= -(2 ** (I - 1)) && range[1] < 2 ** (I - 1)) return g.op('Mul', [m, down]);
        if (absBound === undefined) return guardedWrap(m, `${m}_wrap`);
        // |x| ≤ absBound < 2^(I−1) puts every x inside [−2^(I−1), 2^(I−1)), so every m inside [−2^(W−1), 2^(W−1)):
        // the bound (a scalar) decides without a pass over x; only a bound too loose falls back to the reductions.
        const name = `${m}_bound`;
        return g.op('If', [g.op('Less', [absBound(), limit])], {
          then_branch: { kind: 'graph', value: branch(`${name}_then`, (op) => op('Mul', [m, down])) },
          else_branch: { kind: 'graph', value: branch(`${name}_else`, (op) => guardedWrap(m, `${name}_else_wrap`, op)) },
        });
      };
      /** AP_WRAP of m, taken only when m's min or max is outside the format; `op` adds nodes to the enclosing graph. */
      function guardedWrap(m: string, name: string, op: BranchOp = g.op.bind(g)): string {
        // AP_WRAP is the identity when every m of the tensor lies in [−2^(W−1), 2^(W−1)): an If on the tensor's min
        // and max (two reductions, exact comparisons of integer-valued float32s with powers of two) takes the wrap
        // path only when some element overflows. Exact either way; on data that does not overflow (the usual case)
        // it saves the int64 conversion, which cost ~2 float32 passes per point on M3ViT-small's attention scores.
        const inside = op('And', [
          op('GreaterOrEqual', [op('ReduceMin', [m], { keepdims: { kind: 'int', value: 0 } }), lowest]),
          op('Less', [op('ReduceMax', [m], { keepdims: { kind: 'int', value: 0 } }), beyond]),
        ]);
        // m is a fresh value name of the graph, so names derived from it are unique in the model.
        return op('If', [inside], {
          then_branch: { kind: 'graph', value: branch(`${name}_then`, (b) => b('Mul', [m, down])) },
          else_branch: { kind: 'graph', value: branch(`${name}_else`, (b) => wrap(b, m)) },
        });
      }
      /**
       * AP_WRAP on the integer m, in int64 (exact for |m| < 2^62), then · 2^−F. The wrapped integer is a float32 (see
       * the module comment), so the Cast back is exact too.
       */
      function wrap(op: BranchOp, m: string): string {
        const mi = op('Cast', [m], { to: { kind: 'int', value: DataType.INT64 } });
        // W = 8, 16, 32: keeping the low W bits as two's complement is exactly narrowing int64 → int<W> (onnxruntime's
        // integer Cast is a C++ static_cast, modulo 2^W; the edge-value tests pin it far past the range). The Add of
        // 2^W leaves the low W bits as they are; it is there because onnxruntime 1.30 merges a float → int64 → int32
        // Cast chain into one saturating float → int32 Cast (measured, even with graph optimisations disabled), which
        // would clamp instead of wrap. 7 nodes, the int64 Mod gone: the Mod alone cost about two float32 runs.
        if (narrow !== undefined) {
          const low = op('Cast', [op('Add', [mi, modulus])], { to: { kind: 'int', value: narrow } });
          return op('Mul', [op('Cast', [low], { to: { kind: 'int', value: DataType.FLOAT } }), down]);
        }
        // Other widths: ((m + 2^(W−1)) mod 2^W) − 2^(W−1), Mod with fmod = 0 taking the divisor's sign.
        const wrapped = op('Sub', [op('Mod', [op('Add', [mi, halfRange]), modulus], { fmod: { kind: 'int', value: 0 } }), halfRange]);
        return op('Mul', [op('Cast', [wrapped], { to: { kind: 'int', value: DataType.FLOAT } }), down]);
      }
    }
  }
}

type BranchOp = (opType: string, inputs: string[], attributes?: Node['attributes']) => string;

/**
 * A branch of an If: nodes named `${name}_k` (unique in the model: `name` is), reading the enclosing graph's values by
 * name, with one float32 output of unstated shape (it is the shape of the value quantised).
 */
function branch(name: string, build: (op: BranchOp) => string): Graph {
  const nodes: Node[] = [];
  const op: BranchOp = (opType, inputs, attributes) => {
    const output = `${name}_${nodes.length}`;
    nodes.push({ opType, inputs, outputs: [output], attributes });
    return output;
  };
  const output = build(op);
  return { name, nodes, initializers: [], inputs: [], outputs: [{ name: output, elemType: DataType.FLOAT, shape: undefined }] };
}

/** What the float32 graph cannot reproduce bit for bit for this plan (printed with the run; docs/runtime.md). */
export function emulationNotes(plan: NumericsPlan): string[] {
  const a = plan.acts;
  if (a.kind !== 'fixed' || a.width <= 24) return [];
  const F = a.width - a.integer;
  return [
    `acts ${formatName(a)}: every quantisation point is exact, but between two of them a value travels in float32 (24 significant bits; the format has ${a.width}), so where |x| ≥ 2^${24 - F} a unit's arithmetic rounds at float32's 2^-24 relative step, not the format's 2^-${F}`,
  ];
}
