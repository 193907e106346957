/**
 * Designs written out as literals, independent of the parser: the Edge-MoE deployment of M3ViT-tiny on a ZCU102
 * (sharc-lab/Edge-MoE include/model.hpp, include/datatypes.hpp, include/hardware.hpp), a dense ViT-B/16 at 224×224
 * (the fvcore reference), and a builder for random valid designs in property tests.
 */
import { FAMILY_DEFAULTS, findDevice } from '../../engine/catalog';
import type { Design, HardwareTarget, ModelSpec, TaskSpec } from '../../engine/design';

const span = { start: 0, end: 0 };

export function target(device: string, overrides: Partial<HardwareTarget> = {}): HardwareTarget {
  const d = findDevice(device);
  if (!d) throw new Error(`fixture: unknown device ${device}`);
  const fam = FAMILY_DEFAULTS[d.family];
  return {
    name: overrides.name ?? device,
    span,
    nameSpan: span,
    device: d.key,
    resources: { ...d.resources },
    clockHz: 300e6,
    bandwidthBytesPerSec: 19.2e9,
    linear: { inputs: 16, outputs: 16, units: 1 },
    attention: { rows: 4, dims: 8 },
    weights: { kind: 'fixed', width: 16, integer: 2 },
    acts: { kind: 'fixed', width: 32, integer: 10 },
    schedule: 'expert_by_expert',
    // The catalog's ports (PG201: 128-bit Zynq UltraScale+ PS ports), loads then computes, Edge-MoE's buffers.
    memory: { weightPortBits: d.ports.bits, actPortBits: d.ports.bits, actPorts: d.ports.actPorts, prefetch: false },
    weightBuffer: { kind: 'whole' },
    queues: 'full',
    gateUnit: { experts: 16, width: 8 },
    staticPowerW: fam.staticPowerW,
    boardPowerW: 0,
    energy: { ...fam.energy },
    facts: { ports: { declared: false, source: d.sources.ports }, bandwidth: { declared: true, source: 'fixture' }, boardPower: { declared: true, source: 'fixture' } },
    ...overrides,
  };
}

export function edgeMoeModel(): ModelSpec {
  return {
    name: 'm3vit_tiny',
    span,
    input: { channels: 3, height: 128, width: 256 },
    patch: { height: 16, width: 16 },
    dim: 192,
    heads: 3,
    depth: 12,
    mlpHidden: 768,
    cls: true,
    eps: 1e-6,
    moe: {
      span,
      layers: [1, 3, 5, 7, 9, 11],
      experts: 16,
      topK: 2,
      hidden: 384,
      gate: { kind: 'per_task' },
      routing: { kind: 'balanced' },
    },
  };
}

export function task(name: string, head: TaskSpec['head']): TaskSpec {
  return { name, span, nameSpan: span, head, weight: 1 };
}

/** samples/edge-moe-zcu102.m3v as a literal (the spec's example). */
export function edgeMoeDesign(): Design {
  return {
    model: edgeMoeModel(),
    tasks: [
      task('semseg', { kind: 'linear', output: 'classes', count: 7 }),
      task('depth', { kind: 'linear', output: 'channels', count: 1 }),
    ],
    targets: [target('xczu9eg', { name: 'zcu102' })],
    budgets: [],
    scenarios: [],
  };
}

/** timm/fvcore ViT-B/16: 224×224, D 768, 12 heads, 12 layers, MLP 3072, 1000-class head on the cls token. */
export function vitB16Design(): Design {
  return {
    model: {
      name: 'vit_b16',
      span,
      input: { channels: 3, height: 224, width: 224 },
      patch: { height: 16, width: 16 },
      dim: 768,
      heads: 12,
      depth: 12,
      mlpHidden: 3072,
      cls: true,
      eps: 1e-6,
    },
    tasks: [task('imagenet', { kind: 'cls', output: 'classes', count: 1000 })],
    targets: [target('alveo_u50', { name: 'u50' })],
    budgets: [],
    scenarios: [],
  };
}
