/**
 * Applying a point to the design, immutably: new ModelSpec / MoeSpec / HardwareTarget objects, never a mutation, so
 * the base design (and every cache keyed on its objects) stays valid. The model rules the language checks are
 * re-checked per point; a point breaking one is skipped with the rule's code (the language's message code).
 */
import { formatBits, type Design, type HardwareTarget, type ModelSpec, type MoeSpec } from '../design';
import type { ExploreSpec, LayerSelector, VarySetting, WidthSetting } from './spec';

export type SkipRule = 'top-k-range' | 'dim-heads' | 'layer-range' | 'no-moe-layers' | 'weight-buffer-small';

export const SKIP_RULES: Record<SkipRule, string> = {
  'top-k-range': 'top_k > experts',
  'dim-heads': 'dim not divisible by heads',
  'layer-range': 'a MoE layer at or beyond depth',
  'no-moe-layers': 'the layer selector picks no layer',
  'weight-buffer-small': 'weight_buffer smaller than one weight tile of the linear arrays',
};

export type ModelOutcome = { ok: true; model: ModelSpec } | { ok: false; rule: SkipRule };

/** The model of a point from the model settings (hardware settings are ignored). */
export function applyModel(base: Design, spec: ExploreSpec, settings: readonly VarySetting[]): ModelOutcome {
  const m = base.model;
  let dim = m.dim;
  let heads = m.heads;
  let depth = m.depth;
  let experts = m.moe?.experts;
  let topK = m.moe?.topK;
  let hidden: WidthSetting | undefined = spec.base.hidden;
  let layers: LayerSelector | undefined = spec.base.layers;
  let touched = false;
  for (const s of settings) {
    switch (s.key) {
      case 'dim':
        dim = s.value;
        break;
      case 'heads':
        heads = s.value;
        break;
      case 'depth':
        depth = s.value;
        break;
      case 'experts':
        experts = s.value;
        break;
      case 'top_k':
        topK = s.value;
        break;
      case 'hidden':
        hidden = s.width;
        break;
      case 'layers':
        layers = s.selector;
        break;
      default:
        continue;
    }
    touched = true;
  }
  if (!touched) return { ok: true, model: m };
  if (dim % heads !== 0) return { ok: false, rule: 'dim-heads' };
  const mlpHidden = spec.base.mlp.kind === 'ratio' ? Math.round(spec.base.mlp.ratio * dim) : m.mlpHidden;
  const model: ModelSpec = { ...m, dim, heads, depth, mlpHidden };
  if (m.moe) {
    if (topK! > experts!) return { ok: false, rule: 'top-k-range' };
    const resolved = layers ? resolveLayers(layers, depth) : m.moe.layers;
    if (typeof resolved === 'string') return { ok: false, rule: resolved };
    const width = hidden ? (hidden.kind === 'ratio' ? Math.round(hidden.ratio * dim) : hidden.width) : m.moe.hidden;
    const moe: MoeSpec = { ...m.moe, layers: resolved, experts: experts!, topK: topK!, hidden: width };
    model.moe = moe;
  }
  return { ok: true, model };
}

/** A layer selector against a depth, as the language resolves it (language/src/check/model.ts resolveSelector). */
export function resolveLayers(sel: LayerSelector, depth: number): number[] | SkipRule {
  const all = Array.from({ length: depth }, (_, i) => i);
  let layers: number[];
  switch (sel.kind) {
    case 'odd':
      layers = all.filter((i) => i % 2 === 1);
      break;
    case 'even':
      layers = all.filter((i) => i % 2 === 0);
      break;
    case 'all':
      layers = all;
      break;
    case 'every':
      if (sel.from >= depth) return 'layer-range';
      layers = all.filter((i) => i >= sel.from && (i - sel.from) % sel.step === 0);
      break;
    case 'list':
      if (sel.layers.some((l) => l >= depth)) return 'layer-range';
      layers = [...new Set(sel.layers)].sort((a, b) => a - b);
      break;
  }
  return layers.length === 0 ? 'no-moe-layers' : layers;
}

/** The explored target with the hardware settings of a point (model settings are ignored). */
export function applyHardware(target: HardwareTarget, settings: readonly VarySetting[]): HardwareTarget {
  let t: HardwareTarget | undefined;
  const edit = (): HardwareTarget => (t ??= { ...target });
  let units: number | undefined;
  for (const s of settings) {
    switch (s.key) {
      case 'linear':
        edit().linear = { inputs: s.inputs, outputs: s.outputs, units: s.units ?? target.linear.units };
        break;
      case 'units':
        units = s.units;
        break;
      case 'attention':
        edit().attention = { rows: s.rows, dims: s.dims };
        break;
      case 'clock':
        edit().clockHz = s.hz;
        break;
      case 'weights':
        edit().weights = s.format;
        break;
      case 'acts':
        edit().acts = s.format;
        break;
      case 'schedule':
        edit().schedule = s.strategy;
        break;
      case 'weight_buffer':
        edit().weightBuffer = s.buffer;
        break;
      default:
        break;
    }
  }
  // A varied `units` wins over units written in a `linear` value, whatever the order of the vary lines.
  if (units !== undefined) edit().linear = { ...(t ?? target).linear, units };
  return t ?? target;
}

/** The hardware rule the language checks (language/src/check/hardware.ts): a weight buffer holds at least one tile. */
export function hardwareRule(target: HardwareTarget): SkipRule | undefined {
  if (target.weightBuffer.kind !== 'bytes') return undefined;
  const tileBytes = (target.linear.inputs * target.linear.outputs * target.linear.units * formatBits(target.weights)) / 8;
  return target.weightBuffer.bytes < tileBytes ? 'weight-buffer-small' : undefined;
}

/** The whole design of a point: the base with the new model and the explored target replaced (others kept). */
export function applyPoint(base: Design, spec: ExploreSpec, settings: readonly VarySetting[]): { ok: true; design: Design } | { ok: false; rule: SkipRule } {
  const m = applyModel(base, spec, settings);
  if (!m.ok) return m;
  const target = applyHardware(base.targets.find((t) => t.name === spec.target)!, settings);
  const rule = hardwareRule(target);
  if (rule) return { ok: false, rule };
  const targets = base.targets.map((t) => (t.name === spec.target ? target : t));
  return { ok: true, design: { ...base, model: m.model, targets } };
}
