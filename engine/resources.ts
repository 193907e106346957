/**
 * Resource use of the declared compute units, ANALYTICAL: every unit the Edge-MoE HLS code instantiates
 * (sharc-lab/Edge-MoE @ 984b23b), each with its multipliers' operand widths, so a design with other formats, arrays
 * or a router on the shared arrays is costed by the same rules. docs/edge-moe-buffers.md lists each unit beside the
 * HLS line it comes from.
 *
 * DSPs per multiplier: a DSP48E2 multiplies 27 × 18 bits (AMD UG579 "UltraScale Architecture DSP Slice", ch. 1), so
 * an a-bit × b-bit fixed-point product takes ⌈a/27⌉·⌈b/18⌉ slices (operands swapped if that needs fewer). Two
 * products that share one operand and have both operands of at most 8 bits pack into one DSP48E2 (AMD WP486 "Deep
 * Learning with INT8 Optimization on Xilinx Devices": two INT8 multiplies with a common input in one DSP slice), so
 * such a pair takes half a slice. Float formats use the Floating-Point operator's counts (PG060: 2 DSPs per float16,
 * 3 per float32 multiply-add, full-DSP configuration). Multipliers inside hls::exp / hls::recip / hls::sqrt and the
 * divisions are library cores whose DSP use needs synthesis: listed as not costed. LUT and FF are not estimated.
 */
import { formatBits, type Design, type HardwareTarget, type NumberFormat } from './design';
import type { OnchipPlan } from './memory/buffers';
import { KERNEL_AXI_BITS, patchEmbedMultipliers } from './schedule/cycles';

const isFloat = (f: NumberFormat) => f.kind === 'float16' || f.kind === 'float32';

/** DSP48E2 slices one a × b multiplier takes (`sharedOperand`: its partner product shares one input, INT8 packing). */
export function dspPerMultiplier(a: NumberFormat, b: NumberFormat, sharedOperand = false): number {
  if (isFloat(a) || isFloat(b)) return a.kind === 'float32' || b.kind === 'float32' ? 3 : 2;
  const x = formatBits(a);
  const y = formatBits(b);
  if (sharedOperand && x <= 8 && y <= 8) return 0.5;
  return Math.min(Math.ceil(x / 27) * Math.ceil(y / 18), Math.ceil(y / 27) * Math.ceil(x / 18));
}

/** Kept for callers that think in MACs: one MAC of weights × activations in the linear array. */
export function dspPerMac(weights: NumberFormat, acts: NumberFormat): number {
  return dspPerMultiplier(weights, acts, true);
}

/** One kind of multiplier inside one unit: how many there are, of which operand formats. */
export interface UnitMultipliers {
  unit: string;
  /** Where the unit comes from (the Edge-MoE HLS line it models). */
  source: string;
  count: number;
  /** Operand formats, as text (`fixed<32,10> × fixed<16,2>`). */
  operands: string;
  dspEach: number;
  dsp: number;
}

export interface ResourceUse {
  dsp: number;
  bram36: number;
  uram: number;
  dspPercent: number;
  bramPercent: number;
  uramPercent: number;
  /** BRAM36 + URAM capacity used, percent. */
  onchipPercent: number;
  /** MACs per cycle per unit, for the report. */
  units: { linear: number; attention: number; gate: number };
  /** Every unit's multipliers and DSPs; `dsp` is their sum. */
  dspByUnit: UnitMultipliers[];
}

function formatText(f: NumberFormat): string {
  return f.kind === 'fixed' ? `fixed<${f.width},${f.integer}>` : f.kind;
}

/** Format of values with `bits` bits (pixels, table fractions), for the DSP rule. */
const fixedBits = (bits: number): NumberFormat => ({ kind: 'fixed', width: bits, integer: 0 });

/**
 * Every multiplier of the design's units on `target`. Counts follow the HLS loops that are unrolled (or pipelined at
 * II 1 with an unrolled body) in Edge-MoE, generalised by the declared shapes.
 */
export function unitMultipliers(design: Design, target: HardwareTarget): UnitMultipliers[] {
  const model = design.model;
  const w = target.weights;
  const a = target.acts;
  const I = Math.max(1, target.linear.inputs);
  const O = Math.max(1, target.linear.outputs);
  const N = Math.max(1, target.linear.units);
  const R = Math.max(1, target.attention.rows);
  const Dm = Math.max(1, target.attention.dims);
  const lanes = Math.max(1, Math.floor(KERNEL_AXI_BITS / formatBits(a))); // FEATURE_BLOCK_SIZE
  const heads = model.heads;
  const rows: Omit<UnitMultipliers, 'dsp'>[] = [];
  const add = (unit: string, source: string, count: number, x: NumberFormat, y: NumberFormat, shared = false) => {
    if (count > 0) rows.push({ unit, source, count, operands: `${formatText(x)} × ${formatText(y)}`, dspEach: dspPerMultiplier(x, y, shared) });
  };
  // The linear arrays: in_block[i] × weights[o][i] for 16 × 16 (i, o), both loops unrolled; the input is shared
  // across the outputs (the INT8 pairing applies).
  add('linear arrays', 'src/linear.cpp compute_linear_on_stream line 492 (LINEAR_IN_SIZE × LINEAR_OUT_SIZE, unrolled)', N * I * O, a, w, true);
  // GELU fused on each array's outputs: gelu(out_block) on LINEAR_OUT_SIZE lanes, one interpolation product each
  // (`t * (b - a)` on fm_frac_t, a fraction of the table step: 22-bit ap_ufixed table values).
  add('GELU on the linear outputs', 'src/gelu.cpp line 209 (a + t·(b − a)), applied to LINEAR_OUT_SIZE lanes (linear.cpp line 499, gelu.cpp line 220 unrolled)', N * O, fixedBits(22), fixedBits(22));
  // The patch embedding has its own unit: 32 pixels of one 256-bit beat × 8 output dims × 16 kernel columns.
  add(
    'patch embedding',
    'src/conv.cpp patch_embed_accumulate_compute line 89 (image_block[x] × weight, unrolled over 2 patches × 8 dims × 16 x)',
    patchEmbedMultipliers(model.patch.width, formatBits(a)),
    fixedBits(8),
    { kind: 'fixed', width: 16, integer: 0 },
  );
  // Attention: Q·Kᵀ multiplies P query blocks by one K block (P × 8 products) and scales each P partial sum.
  add('attention Q·Kᵀ', 'src/attention.cpp compute_q_matmul_k line 102 (P × FEATURE_BLOCK_SIZE products)', R * Dm, a, a);
  add('attention scale', 'src/attention.cpp line 104 (attn_addend *= attn_scale, per query row)', R, a, a);
  add('softmax statistics', 'src/attention.cpp finalize_attn line 186 (curr_softmax_sum *= exp, per head)', heads, a, a);
  // attention·V: P × 8 products of V by the normalised scores, and the scores: exp(s − m) × (1/s) per row and head.
  add('attention ·V', 'src/attention.cpp compute_attn_matmul_v line 449 (v_block × attn, P × FEATURE_BLOCK_SIZE products)', R * Dm, a, a);
  add('softmax normalise', 'src/attention.cpp compute_attn_matmul_v line 433 (exp(·) × softmax_sum_recip, P × heads)', R * heads, a, a);
  // LayerNorm: compute_norm1 and compute_norm2 are two call sites, hence two instances (no allocation pragma limits
  // them; UG1399 "allocation": by default each call site is its own instance). Each: mean terms and x·term per lane
  // (layernorm_accumulate, lines 92 and 94), x·rstd and x·γ per lane (layernorm_output, lines 129–130), mean² once.
  add('LayerNorm (×2 instances) statistics', 'src/layernorm.cpp layernorm_accumulate lines 92, 94', 2 * 2 * lanes, a, a);
  add('LayerNorm (×2 instances) normalise', 'src/layernorm.cpp layernorm_output line 129 (x × rstddev)', 2 * lanes, a, a);
  add('LayerNorm (×2 instances) affine', 'src/layernorm.cpp layernorm_output line 130 (x × γ, wt_norm_t = fixed<16,5>)', 2 * lanes, a, { kind: 'fixed', width: 16, integer: 5 });
  add('LayerNorm (×2 instances) mean²', 'src/layernorm.cpp layernorm_output line 116', 2, a, a);
  const moe = model.moe;
  if (moe) {
    // The MoE score combine: write_out_stream_indirect scales each 8-value output block by the token's score.
    add('MoE score combine', 'src/linear.cpp write_out_stream_indirect line 380 (block_out *= score, FEATURE_BLOCK_SIZE lanes)', lanes, a, a);
    const unit = target.gateUnit;
    // With a gate unit: E_u × W products per cycle (moe.cpp compute_gating_for_patch line 188, both loops
    // unrolled). Without: the logits run on the linear arrays (no extra multipliers). Either way the decision unit
    // has one running-sum product (update_softmax_info line 216) and the top-k scores' normalisation (k products).
    if (unit) add('gate unit', 'src/moe.cpp compute_gating_for_patch line 188 (NUM_EXPERTS × FEATURE_BLOCK_SIZE, both loops unrolled)', unit.experts * unit.width, a, w, true);
    add('router softmax', 'src/moe.cpp update_softmax_info line 216 (scores_softmax_sum *= exp)', 1, a, a);
  }
  return rows.map((r) => ({ ...r, dsp: r.count * r.dspEach }));
}

export function resourceUse(design: Design, target: HardwareTarget, plan: OnchipPlan): ResourceUse {
  const dspByUnit = unitMultipliers(design, target);
  const dsp = dspByUnit.reduce((s, u) => s + u.dsp, 0);
  const pct = (used: number, cap: number) => (cap > 0 ? (100 * used) / cap : used > 0 ? Infinity : 0);
  const linear = target.linear.inputs * target.linear.outputs * target.linear.units;
  const attention = target.attention.rows * target.attention.dims;
  const gate = design.model.moe && target.gateUnit ? target.gateUnit.experts * target.gateUnit.width : 0;
  return {
    dsp,
    bram36: plan.bram36,
    uram: plan.uram,
    dspPercent: pct(dsp, target.resources.dsp),
    bramPercent: plan.bramPercent,
    uramPercent: plan.uramPercent,
    onchipPercent: plan.onchipPercent,
    units: { linear, attention, gate },
    dspByUnit,
  };
}

/** What the DSP count leaves out (listed with every report). */
export const DSP_NOT_COSTED =
  'DSPs inside hls::exp, hls::recip, hls::sqrt and the divisions of the softmax, LayerNorm and router (library cores: synthesis needed)';
