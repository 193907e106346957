/** Lowering every spec form to exact `Design` values: units to SI, ratios to widths, selectors to indices, defaults. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../language/src/analyze';
import { FAMILY_DEFAULTS } from '../../engine/catalog';
import type { Design } from '../../engine/design';
import { BASE } from './fixture';

function design(text: string): Design {
  const a = analyzeDocument(text);
  assert.deepEqual(a.diagnostics.map((d) => d.message), []);
  assert.ok(a.design);
  return a.design;
}
const withModel = (edit: (s: string) => string) => design(edit(BASE));
const layersOf = (selector: string, depth = 12) =>
  withModel((s) => s.replace('layers odd', `layers ${selector}`).replace('depth 12', `depth ${depth}`)).model.moe!.layers;

test('model: shapes, ratio mlp resolved against dim, defaults cls on and eps 1e-6', () => {
  const m = design(BASE).model;
  assert.deepEqual(m.input, { channels: 3, height: 128, width: 256, normalize: { preset: 'pixel_256', divideBy: 256, mean: [0, 0, 0], std: [1, 1, 1] } });
  assert.deepEqual(m.patch, { height: 16, width: 16 });
  assert.equal(m.dim, 192);
  assert.equal(m.heads, 3);
  assert.equal(m.depth, 12);
  assert.equal(m.mlpHidden, 768);
  assert.equal(m.cls, true);
  assert.equal(m.eps, 1e-6);
});

test('model: absolute mlp, rectangular patch, glued dims, cls off, eps, default mlp 4x when omitted', () => {
  const m = withModel((s) => s.replace('mlp 4x', 'mlp 1000\n  cls off\n  eps 1e-5').replace('patch 16', 'patch 8 x 16').replace('input 3 x 128 x 256', 'input 3x128x256')).model;
  assert.equal(m.mlpHidden, 1000);
  assert.deepEqual(m.patch, { height: 8, width: 16 });
  assert.deepEqual(m.input, { channels: 3, height: 128, width: 256, normalize: { preset: 'pixel_256', divideBy: 256, mean: [0, 0, 0], std: [1, 1, 1] } });
  assert.equal(m.cls, false);
  assert.equal(m.eps, 1e-5);
  assert.equal(withModel((s) => s.replace('  mlp 4x\n', '')).model.mlpHidden, 4 * 192);
  assert.equal(withModel((s) => s.replace('mlp 4x', 'mlp 2.5 x')).model.mlpHidden, 480);
});

test('moe: layer selectors resolve to sorted 0-based indices', () => {
  assert.deepEqual(layersOf('odd'), [1, 3, 5, 7, 9, 11]);
  assert.deepEqual(layersOf('even'), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(layersOf('all', 4), [0, 1, 2, 3]);
  assert.deepEqual(layersOf('[5, 1, 3]'), [1, 3, 5]);
  assert.deepEqual(layersOf('every 2 from 1'), [1, 3, 5, 7, 9, 11]);
  assert.deepEqual(layersOf('every 4'), [0, 4, 8]);
  assert.deepEqual(layersOf('every 3 from 2'), [2, 5, 8, 11]);
});

test('moe: experts, top_k, hidden width or ratio, gates and routings with defaults', () => {
  const moe = design(BASE).model.moe!;
  assert.equal(moe.experts, 16);
  assert.equal(moe.topK, 2);
  assert.equal(moe.hidden, 384);
  assert.deepEqual(moe.gate, { kind: 'per_task' });
  assert.deepEqual(moe.routing, { kind: 'balanced' });
  const m2 = withModel((s) => s.replace('hidden 384', 'hidden 2x\n    gate shared embed 64\n    routing trace "traces/frame0.json"')).model.moe!;
  assert.equal(m2.hidden, 384);
  assert.deepEqual(m2.gate, { kind: 'shared', embedDim: 64 });
  assert.deepEqual(m2.routing, { kind: 'trace', path: 'traces/frame0.json' });
  const r = (routing: string) => withModel((s) => s.replace('hidden 384', `hidden 384\n    routing ${routing}`)).model.moe!.routing;
  assert.deepEqual(r('worst'), { kind: 'worst' });
  assert.deepEqual(r('skewed'), { kind: 'skewed', alpha: 1.2, seed: 1 });
  assert.deepEqual(r('skewed 0.8'), { kind: 'skewed', alpha: 0.8, seed: 1 });
  assert.deepEqual(r('skewed seed 9'), { kind: 'skewed', alpha: 1.2, seed: 9 });
  assert.deepEqual(r('skewed 2 seed 3'), { kind: 'skewed', alpha: 2, seed: 3 });
});

test('dense model: no moe block means no moe', () => {
  const d = withModel((s) => s.replace(/  moe \{[^}]*\}\n/, ''));
  assert.equal(d.model.moe, undefined);
});

test('tasks: every head form and weight', () => {
  const tasks = design(
    BASE.replace(
      'task depth { head linear channels 1 }',
      'task depth { head linear channels 1; weight 0.5 }\ntask a { head pup classes 59 }\ntask b { head pup channels 3 width 128 }\ntask c { head cls classes 1000 }',
    ),
  ).tasks;
  assert.deepEqual(
    tasks.map((t) => [t.name, t.head, t.weight]),
    [
      ['semseg', { kind: 'linear', output: 'classes', count: 7 }, 1],
      ['depth', { kind: 'linear', output: 'channels', count: 1 }, 0.5],
      ['a', { kind: 'pup', output: 'classes', count: 59, width: 256 }, 1],
      ['b', { kind: 'pup', output: 'channels', count: 3, width: 128 }, 1],
      ['c', { kind: 'cls', output: 'classes', count: 1000 }, 1],
    ],
  );
});

test('hardware: catalog fills resources, bandwidth, power, energy; defaults for arrays, formats and schedule', () => {
  const t = design(BASE).targets[0];
  assert.equal(t.device, 'xczu9eg');
  assert.deepEqual(t.resources, { lut: 274080, ff: 548160, dsp: 2520, bram36: 912, uram: 0 });
  assert.equal(t.clockHz, 300e6);
  // The ZCU102's DDR4 as its Vivado board preset configures it: 64 bit × 2133.33 MT/s (Edge-MoE bitstream.hwh).
  assert.equal(t.bandwidthBytesPerSec, 8 * 2133.33e6);
  assert.deepEqual(t.linear, { inputs: 16, outputs: 16, units: 1 });
  assert.deepEqual(t.attention, { rows: 4, dims: 8 });
  assert.deepEqual(t.weights, { kind: 'fixed', width: 16, integer: 2 });
  assert.deepEqual(t.acts, { kind: 'fixed', width: 32, integer: 10 });
  assert.equal(t.schedule, 'expert_by_expert');
  assert.equal(t.staticPowerW, FAMILY_DEFAULTS.zynq_ultrascale_plus.staticPowerW);
  assert.deepEqual(t.energy, FAMILY_DEFAULTS.zynq_ultrascale_plus.energy);
});

test('hardware: every override, units to SI, board aliases and the two-word alveo u50', () => {
  const hw = `hardware u {
  device alveo u50
  clock 0.25 GHz
  bandwidth 12800 MiB/s
  linear 32 x 8 units 3
  attention 2 x 4
  weights int8
  acts float16
  schedule token_by_token
  port weights 256 bit
  port acts 3 x 64 bit
  prefetch on
  weight_buffer 144 KiB
  queues compact
  gate_unit 32 x 4
  power board 9.5 W
  power static 2500 mW
  energy mac 0.9 pJ
  energy onchip 4 pJ/B
  energy offchip 2 pJ/bit
  dsp 1728
  bram 312
  uram 96
  lut 1000
  ff 2000
}
`;
  const d = design(BASE.replace('budget zcu102', hw + 'budget zcu102'));
  const t = d.targets[1];
  assert.equal(t.device, 'alveo_u50');
  assert.equal(t.clockHz, 0.25e9);
  assert.equal(t.bandwidthBytesPerSec, 12800 * 1024 * 1024);
  assert.deepEqual(t.linear, { inputs: 32, outputs: 8, units: 3 });
  assert.deepEqual(t.memory, { weightPortBits: 256, actPortBits: 64, actPorts: 3, prefetch: true });
  assert.deepEqual(t.weightBuffer, { kind: 'bytes', bytes: 144 * 1024 });
  assert.equal(t.queues, 'compact');
  assert.deepEqual(t.gateUnit, { experts: 32, width: 4 });
  assert.equal(t.boardPowerW, 9.5);
  assert.deepEqual([t.facts.ports.declared, t.facts.boardPower.declared], [true, true]);
  assert.deepEqual(t.attention, { rows: 2, dims: 4 });
  assert.deepEqual(t.weights, { kind: 'int8' });
  assert.deepEqual(t.acts, { kind: 'float16' });
  assert.equal(t.schedule, 'token_by_token');
  assert.equal(t.staticPowerW, 2.5);
  assert.ok(Math.abs(t.energy.macJ - 0.9e-12) < 1e-24);
  assert.ok(Math.abs(t.energy.onchipJPerByte - 4e-12) < 1e-24);
  assert.ok(Math.abs(t.energy.offchipJPerByte - 16e-12) < 1e-24);
  assert.deepEqual(t.resources, { lut: 1000, ff: 2000, dsp: 1728, bram36: 312, uram: 96 });
  assert.equal(design(BASE.replace('device xczu9eg', 'device xczu9eg\n  uram 0')).targets[0].resources.uram, 0);
  const z = design(BASE.replace('device xczu9eg', 'device zcu104')).targets[0];
  assert.equal(z.device, 'xczu7ev');
  // Undeclared board facts come from the catalog: the ZCU104's PS ports are 128 bit (PG201), no board power is
  // known for it, loads do not overlap compute unless the design says so, one whole-matrix buffer, full queues.
  assert.deepEqual(z.memory, { weightPortBits: 128, actPortBits: 128, actPorts: 2, prefetch: false });
  assert.deepEqual([z.boardPowerW, z.facts.ports.declared, z.weightBuffer.kind, z.queues, z.gateUnit], [0, false, 'whole', 'full', undefined]);
  assert.equal(design(BASE.replace('device xczu9eg', 'device xczu9eg\n  energy ddr 100 pJ/B')).targets[0].energy.offchipJPerByte, 100e-12);
  assert.equal(design(BASE.replace('clock 300 MHz', 'clock 300MHz')).targets[0].clockHz, 300e6);
});

test('budgets: every metric and limit kind in base units, per target or for all', () => {
  const b = design(
    BASE.replace(
      'latency semseg < 40 ms',
      'latency semseg < 40 ms\n  latency <= 2 s\n  fps >= 25\n  onchip < 75 %\n  onchip < 4 MiB\n  dsp < 90 %\n  bram < 80 %\n  uram < 50 %\n  lut < 70 %\n  energy < 150 mJ\n  energy depth < 3 uJ\n  traffic < 64 MB',
    ).replace('scenario drive', 'budget { fps > 1 }\nscenario drive'),
  ).budgets;
  const rows = b.map((x) => [x.target, x.metric, x.task, x.op, x.limit.kind, x.limit.value]);
  assert.deepEqual(rows, [
    ['zcu102', 'latency', 'semseg', '<', 'seconds', 0.04],
    ['zcu102', 'latency', undefined, '<=', 'seconds', 2],
    ['zcu102', 'fps', undefined, '>=', 'fps', 25],
    ['zcu102', 'onchip', undefined, '<', 'percent', 75],
    ['zcu102', 'onchip', undefined, '<', 'bytes', 4 * 1024 * 1024],
    ['zcu102', 'dsp', undefined, '<', 'percent', 90],
    ['zcu102', 'bram', undefined, '<', 'percent', 80],
    ['zcu102', 'uram', undefined, '<', 'percent', 50],
    ['zcu102', 'lut', undefined, '<', 'percent', 70],
    ['zcu102', 'energy', undefined, '<', 'joules', 0.15],
    ['zcu102', 'energy', 'depth', '<', 'joules', 3e-6],
    ['zcu102', 'traffic', undefined, '<', 'bytes', 64e6],
    [undefined, 'fps', undefined, '>', 'fps', 1],
  ]);
  assert.equal(b[0].text, 'latency semseg < 40 ms');
});

test('scenarios: repeat expanded, nested repeats, plain sequences and fps', () => {
  const s = (frames: string) => design(BASE.replace('frames repeat 2 { semseg depth }', frames)).scenarios[0];
  assert.deepEqual(s('frames repeat 2 { semseg depth }').frames, ['semseg', 'depth', 'semseg', 'depth']);
  assert.deepEqual(s('frames semseg depth semseg').frames, ['semseg', 'depth', 'semseg']);
  assert.deepEqual(s('frames depth repeat 2 { semseg repeat 3 { depth } }').frames, ['depth', 'semseg', 'depth', 'depth', 'depth', 'semseg', 'depth', 'depth', 'depth']);
  assert.deepEqual(s('frames repeat 2 {\n    semseg\n    depth\n  }').frames, ['semseg', 'depth', 'semseg', 'depth']);
  assert.equal(s('frames semseg').fps, 30);
});

test('symbols: outline of model with moe child, tasks, hardware, budgets, scenarios', () => {
  const a = analyzeDocument(BASE);
  assert.deepEqual(
    a.symbols.map((s) => [s.kind, s.name, s.children.map((c) => c.kind)]),
    [['model', 'tiny', ['moe']], ['task', 'semseg', []], ['task', 'depth', []], ['hardware', 'zcu102', []], ['budget', 'zcu102', []], ['scenario', 'drive', []]],
  );
  for (const s of a.symbols) assert.equal(BASE.slice(s.nameSpan.start, s.nameSpan.end), s.kind === 'budget' ? 'zcu102' : s.name);
});

test('a clock warning keeps the design', () => {
  const a = analyzeDocument(BASE.replace('clock 300 MHz', 'clock 1.2 GHz'));
  assert.equal(a.diagnostics[0].severity, 'warning');
  assert.equal(a.design!.targets[0].clockHz, 1.2e9);
});

test('every unit converts to SI as hand-derived (value 2 of each unit)', () => {
  // [key line written with the unit U, how to read the lowered value, expected SI value for "2 U"]
  const expected: Record<string, number> = {
    Hz: 2, kHz: 2e3, MHz: 2e6, GHz: 2e9,
    'B/s': 2, 'KB/s': 2e3, 'MB/s': 2e6, 'GB/s': 2e9, 'KiB/s': 2048, 'MiB/s': 2 * 1048576, 'GiB/s': 2 * 1073741824,
    bit: 0.25, b: 0.25, Kb: 250, Mb: 250e3, Gb: 250e6, B: 2, KB: 2e3, MB: 2e6, GB: 2e9, KiB: 2048, MiB: 2 * 1048576, GiB: 2 * 1073741824,
    ns: 2e-9, us: 2e-6, ms: 2e-3, s: 2,
    pJ: 2e-12, nJ: 2e-9, uJ: 2e-6, mJ: 2e-3, J: 2,
    mW: 2e-3, W: 2,
    'pJ/B': 2e-12, 'nJ/B': 2e-9, 'pJ/bit': 16e-12,
  };
  const read: [RegExp, (u: string) => number][] = [
    [/^(Hz|kHz|MHz|GHz)$/, (u) => analyzeDocument(BASE.replace('clock 300 MHz', `clock 2 ${u}`)).design!.targets[0].clockHz] /* 2 GHz warns but keeps the design */,
    [/\/s$/, (u) => design(BASE.replace('clock 300 MHz', `clock 300 MHz\n  bandwidth 2 ${u}`)).targets[0].bandwidthBytesPerSec],
    [/^(bit|b|Kb|Mb|Gb|B|KB|MB|GB|KiB|MiB|GiB)$/, (u) => design(BASE.replace('latency semseg < 40 ms', `traffic < 2 ${u}`)).budgets[0].limit.value],
    [/^(ns|us|ms|s)$/, (u) => design(BASE.replace('latency semseg < 40 ms', `latency < 2 ${u}`)).budgets[0].limit.value],
    [/^(pJ|nJ|uJ|mJ|J)$/, (u) => design(BASE.replace('latency semseg < 40 ms', `energy < 2 ${u}`)).budgets[0].limit.value],
    [/^(mW|W)$/, (u) => design(BASE.replace('clock 300 MHz', `clock 300 MHz\n  power static 2 ${u}`)).targets[0].staticPowerW],
    [/^(pJ\/B|nJ\/B|pJ\/bit)$/, (u) => design(BASE.replace('clock 300 MHz', `clock 300 MHz\n  energy onchip 2 ${u}`)).targets[0].energy.onchipJPerByte],
  ];
  for (const [unit, value] of Object.entries(expected)) {
    const reader = read.find(([re]) => re.test(unit));
    assert.ok(reader, unit);
    const got = reader[1](unit);
    assert.ok(Math.abs(got - value) <= Math.abs(value) * 1e-12, `${unit}: ${got} vs ${value}`);
  }
});
