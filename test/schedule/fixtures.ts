/**
 * `Design` literals for the schedule tests, independent of the parser so these tests pin the schedule alone.
 * `edgeMoeDesign()` is the Edge-MoE deployment (M3ViT-tiny Cityscapes on a ZCU102, facts §4); `randomDesign` builds
 * small random designs for the fast-check invariants.
 */
import fc from 'fast-check';
import type { Design, HardwareTarget, RoutingSpec, Strategy } from '../../engine/design';
import { edgeMoeModel, task } from '../engine/fixtures';

const span = { start: 0, end: 0 };

export function zcu102(overrides: Partial<HardwareTarget> = {}): HardwareTarget {
  return {
    name: 'zcu102',
    span,
    nameSpan: span,
    device: 'xczu9eg',
    resources: { lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0 },
    clockHz: 300e6,
    // The Edge-MoE board as built (../shared/research/measured-boards.md, bitstream facts): DDR4-2133 × 64 bit,
    // every kernel port on a 128-bit PS port (16 B a clock), weights on one port, activations on four, no prefetch.
    bandwidthBytesPerSec: 8 * 2133.33e6,
    linear: { inputs: 16, outputs: 16, units: 1 },
    attention: { rows: 4, dims: 8 },
    weights: { kind: 'fixed', width: 16, integer: 2 },
    acts: { kind: 'fixed', width: 32, integer: 10 },
    schedule: 'expert_by_expert',
    memory: { weightPortBits: 128, actPortBits: 128, actPorts: 4, prefetch: false },
    weightBuffer: { kind: 'whole' },
    queues: 'full',
    gateUnit: { experts: 16, width: 8 },
    staticPowerW: 2.5,
    boardPowerW: 0,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 120e-12 },
    facts: { ports: { declared: true, source: 'fixture' }, bandwidth: { declared: true, source: 'fixture' }, boardPower: { declared: true, source: 'fixture' } },
    ...overrides,
  };
}

export function edgeMoeDesign(routing: RoutingSpec = { kind: 'balanced' }): Design {
  // The model and tasks are the engine tests' Edge-MoE literal; the target is this file's ZCU102 (its own energy
  // coefficients, which the schedule's energy expectations were derived with).
  const model = edgeMoeModel();
  return {
    model: { ...model, moe: { ...model.moe!, routing } },
    tasks: [
      task('semseg', { kind: 'linear', output: 'classes', count: 7 }),
      task('depth', { kind: 'linear', output: 'channels', count: 1 }),
    ],
    targets: [zcu102()],
    budgets: [],
    scenarios: [{ name: 'drive', span, nameSpan: span, frames: repeat(['semseg', 'depth', 'semseg'], 10), fps: 25 }],
  };
}

/** A dense ViT (no moe block): the baseline design. */
export function denseDesign(): Design {
  const d = edgeMoeDesign();
  delete d.model.moe;
  return d;
}

function repeat<T>(items: T[], n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return out;
}

const strategyArb = fc.constantFrom<Strategy>('all_resident', 'token_by_token', 'expert_by_expert');

export const routingArb: fc.Arbitrary<RoutingSpec> = fc.oneof(
  fc.constant<RoutingSpec>({ kind: 'balanced' }),
  fc.constant<RoutingSpec>({ kind: 'worst' }),
  fc.record({ kind: fc.constant('skewed' as const), alpha: fc.double({ min: 0, max: 3, noNaN: true }), seed: fc.nat(1000) }),
);

/** Small random designs (a few tokens, layers, experts) so each property run stays cheap. */
export const designArb: fc.Arbitrary<Design> = fc
  .record({
    gridH: fc.integer({ min: 1, max: 4 }),
    gridW: fc.integer({ min: 1, max: 5 }),
    patch: fc.constantFrom(4, 8, 16),
    heads: fc.integer({ min: 1, max: 4 }),
    headDim: fc.constantFrom(4, 8, 16, 32),
    depth: fc.integer({ min: 1, max: 5 }),
    mlpRatio: fc.integer({ min: 1, max: 4 }),
    cls: fc.boolean(),
    moe: fc.option(
      fc.record({
        experts: fc.integer({ min: 1, max: 8 }),
        kFrac: fc.double({ min: 0, max: 1, noNaN: true }),
        hidden: fc.integer({ min: 4, max: 96 }),
        layerMask: fc.integer({ min: 0, max: 31 }),
        routing: routingArb,
        gate: fc.oneof(fc.constant({ kind: 'per_task' as const }), fc.record({ kind: fc.constant('shared' as const), embedDim: fc.integer({ min: 1, max: 16 }) })),
      }),
      { nil: undefined },
    ),
    linIn: fc.integer({ min: 1, max: 32 }),
    linOut: fc.integer({ min: 1, max: 32 }),
    attRows: fc.integer({ min: 1, max: 8 }),
    attDims: fc.integer({ min: 1, max: 16 }),
    bandwidth: fc.double({ min: 1e8, max: 1e11, noNaN: true }),
    clock: fc.double({ min: 5e7, max: 5e8, noNaN: true }),
    weightBits: fc.constantFrom(8, 16, 32),
    strategy: strategyArb,
    tasks: fc.integer({ min: 1, max: 3 }),
  })
  .map((r): Design => {
    const dim = r.heads * r.headDim;
    let moe: Design['model']['moe'];
    if (r.moe) {
      const layers: number[] = [];
      for (let l = 0; l < r.depth; l++) if (r.moe.layerMask & (1 << l)) layers.push(l);
      if (layers.length === 0) layers.push(r.depth - 1);
      const topK = 1 + Math.floor(r.moe.kFrac * (r.moe.experts - 1) + 1e-9);
      moe = { span, layers, experts: r.moe.experts, topK: Math.min(topK, r.moe.experts), hidden: r.moe.hidden, gate: r.moe.gate, routing: r.moe.routing };
    }
    const taskNames = ['semseg', 'depth', 'normals'].slice(0, r.tasks);
    return {
      model: {
        name: 'random',
        span,
        input: { channels: 3, height: r.gridH * r.patch, width: r.gridW * r.patch },
        patch: { height: r.patch, width: r.patch },
        dim,
        heads: r.heads,
        depth: r.depth,
        mlpHidden: dim * r.mlpRatio,
        cls: r.cls,
        eps: 1e-6,
        moe,
      },
      tasks: taskNames.map((name, i) => ({
        name,
        span,
        nameSpan: span,
        head: i === 1 ? { kind: 'linear', output: 'channels', count: 1 } : { kind: 'linear', output: 'classes', count: 5 },
        weight: 1,
      })),
      targets: [
        zcu102({
          name: 'fpga',
          clockHz: r.clock,
          bandwidthBytesPerSec: r.bandwidth,
          linear: { inputs: r.linIn, outputs: r.linOut, units: 1 },
          attention: { rows: r.attRows, dims: r.attDims },
          weights: r.weightBits === 8 ? { kind: 'int8' } : r.weightBits === 32 ? { kind: 'float32' } : { kind: 'fixed', width: 16, integer: 2 },
          schedule: r.strategy,
        }),
      ],
      budgets: [],
      scenarios: [{ name: 'mix', span, nameSpan: span, frames: [...taskNames, taskNames[0], ...taskNames], fps: 30 }],
    };
  });

/** M3ViT ViT-small on PASCAL-Context (facts §2): 512×512, 1025 tokens, dim 384, 12 heads, 16 experts top-2, ratio 2, pup heads, ZCU104. */
export function m3vitSmallDesign(): Design {
  const d = edgeMoeDesign();
  d.model = {
    ...d.model,
    name: 'm3vit_small',
    input: { channels: 3, height: 512, width: 512 },
    dim: 384,
    heads: 12,
    mlpHidden: 1536,
    moe: { ...d.model.moe!, hidden: 768 },
  };
  d.tasks = ['semseg', 'human_parts', 'sal', 'edge', 'normals'].map((name) => ({
    name,
    span,
    nameSpan: span,
    head: { kind: 'pup' as const, output: 'classes' as const, count: name === 'normals' ? 3 : 21, width: 256 },
    weight: 1,
  }));
  d.targets = [zcu102({ name: 'zcu104', device: 'xczu7ev', resources: { lut: 230_400, ff: 460_800, dsp: 1_728, bram36: 312, uram: 96 } })];
  d.scenarios = [{ name: 'tour', span, nameSpan: span, frames: repeat(['semseg', 'human_parts', 'sal', 'edge', 'normals'], 4), fps: 10 }];
  return d;
}

/** The stress design of bench/analyze.bench.ts: M3ViT-base-like, 1025 tokens, every block MoE, 64 experts top-4, skewed routing. */
export function stressDesign(): Design {
  const d = m3vitSmallDesign();
  d.model = {
    ...d.model,
    name: 'stress',
    dim: 768,
    heads: 12,
    depth: 12,
    mlpHidden: 3072,
    moe: { ...d.model.moe!, layers: [...Array(12).keys()], experts: 64, topK: 4, hidden: 1536, routing: { kind: 'skewed', alpha: 1.2, seed: 7 } },
  };
  d.targets = [zcu102(), zcu102({ name: 'zcu104', device: 'xczu7ev' }), zcu102({ name: 'u50', device: 'alveo_u50', bandwidthBytesPerSec: 316e9 })];
  return d;
}
