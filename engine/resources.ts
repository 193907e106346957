/**
 * Resource use of the declared compute units, ANALYTICAL. DSPs: a DSP48E2 multiplies 27 × 18 bits (AMD UG579
 * "UltraScale Architecture DSP Slice", ch. 1), so an a-bit × w-bit fixed-point MAC takes ⌈a/27⌉ · ⌈w/18⌉ slices
 * (with the operands swapped if that needs fewer); float formats use the Floating-Point operator's DSP counts
 * (PG060: 2 DSPs per float16 / 3 per float32 multiply-add, full-DSP configuration). Units: the linear array
 * (inputs × outputs MACs), the attention unit (rows × dims MACs), and the MoE router (E × one AXI beat of inputs
 * per cycle, as Edge-MoE's gate). BRAM/URAM come from the on-chip buffer plan. LUT and FF are not estimated
 * (softmax/GELU/LayerNorm logic dominates them and needs synthesis); they are listed in `not_costed`.
 */
import { formatBits, type Design, type HardwareTarget, type NumberFormat } from './design';
import type { OnchipPlan } from './memory/buffers';
import { AXI_BITS } from './memory/buffers';

export function dspPerMac(weights: NumberFormat, acts: NumberFormat): number {
  const fl = (f: NumberFormat) => f.kind === 'float16' || f.kind === 'float32';
  if (fl(weights) || fl(acts)) return weights.kind === 'float32' || acts.kind === 'float32' ? 3 : 2;
  const a = formatBits(acts);
  const w = formatBits(weights);
  return Math.min(Math.ceil(a / 27) * Math.ceil(w / 18), Math.ceil(w / 27) * Math.ceil(a / 18));
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
}

export function resourceUse(design: Design, target: HardwareTarget, plan: OnchipPlan): ResourceUse {
  const perMac = dspPerMac(target.weights, target.acts);
  // Attention multiplies activations by activations.
  const perAttnMac = dspPerMac(target.acts, target.acts);
  const linear = target.linear.inputs * target.linear.outputs;
  const attention = target.attention.rows * target.attention.dims;
  const gate = design.model.moe ? design.model.moe.experts * Math.max(1, Math.floor(AXI_BITS / formatBits(target.acts))) : 0;
  const dsp = linear * perMac + attention * perAttnMac + gate * perMac;
  const pct = (used: number, cap: number) => (cap > 0 ? (100 * used) / cap : used > 0 ? Infinity : 0);
  return {
    dsp,
    bram36: plan.bram36,
    uram: plan.uram,
    dspPercent: pct(dsp, target.resources.dsp),
    bramPercent: plan.bramPercent,
    uramPercent: plan.uramPercent,
    onchipPercent: plan.onchipPercent,
    units: { linear, attention, gate },
  };
}
