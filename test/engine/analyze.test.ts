/** The assembled report: latency from the schedule, energy from its formula, switch cost, JSON shape, code lens. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDesign } from '../../engine/analyze';
import { analysisToJson } from '../../engine/analysisJson';
import { analysisToText } from '../../engine/analysisText';
import { codeLensFacts } from '../../engine/codeLens';
import { frameLatency, simulateFrame } from '../../engine/schedule/index';
import { edgeMoeDesign, target } from './fixtures';

test('latency is the schedule\'s frameLatency; FPS its inverse', () => {
  const design = edgeMoeDesign();
  const report = analyzeDesign(design);
  for (const s of report.targets[0].strategies) {
    for (const t of s.tasks) {
      const l = frameLatency({ design, task: t.task, target: 'zcu102', strategy: s.strategy });
      assert.equal(t.latency.cycles, l.cycles);
      assert.equal(t.fps, 1 / l.seconds);
    }
  }
});

test('energy = static power × time + MACs·e_mac + on-chip bytes·e_onchip + off-chip bytes·e_offchip', () => {
  const design = edgeMoeDesign();
  design.targets[0].staticPowerW = 2;
  design.targets[0].energy = { macJ: 1e-12, onchipJPerByte: 2e-12, offchipJPerByte: 100e-12 };
  const report = analyzeDesign(design);
  const s = report.targets[0].strategies.find((x) => x.strategy === 'expert_by_expert')!;
  const t = s.tasks[0];
  const macs = report.counts.tasks[0].count.macs;
  assert.equal(t.energy.inputs.macs, macs);
  assert.equal(t.energy.inputs.offchipBytes, t.traffic.total);
  // On-chip accesses: one 2-byte weight per linear MAC, a 4-byte input value per 16 linear MACs, every off-chip byte once.
  const c = report.counts.tasks[0].count;
  const linear = c.macs - c.byOp.qk - c.byOp.av;
  assert.equal(t.energy.inputs.onchipBytes, linear * 2 + (linear / 16) * 4 + t.traffic.total);
  const expected = 2 * t.latency.seconds + macs * 1e-12 + t.energy.inputs.onchipBytes * 2e-12 + t.traffic.total * 100e-12;
  assert.ok(Math.abs(t.energy.totalJ - expected) < 1e-15);
  assert.ok(t.energy.staticJ > 0 && t.energy.macJ > 0 && t.energy.onchipJ > 0 && t.energy.offchipJ > 0);
});

test('task switch: zero bytes for expert_by_expert and token_by_token; all_resident reloads routers and head', () => {
  const design = edgeMoeDesign();
  const report = analyzeDesign(design);
  const byStrategy = Object.fromEntries(report.targets[0].strategies.map((s) => [s.strategy, s.switchCost]));
  assert.equal(byStrategy.expert_by_expert.bytes, 0);
  assert.equal(byStrategy.token_by_token.bytes, 0);
  // Routers of 6 MoE layers (16 × 192 × 2 B each = 6,144) + the semseg head (192·7 + 7) × 2 B = 2,702.
  assert.equal(byStrategy.all_resident.bytes, 6 * 6_144 + 2_702);
  assert.ok(byStrategy.all_resident.seconds > 0);
  assert.deepEqual(
    byStrategy.all_resident.toTask.map((p) => p.to),
    ['semseg', 'depth'],
  );
});

test('JSON has the documented keys', () => {
  const design = edgeMoeDesign();
  design.budgets = [{ metric: 'onchip', op: '<', limit: { kind: 'percent', value: 75 }, text: 'onchip < 75 %', span: { start: 0, end: 1 } }];
  const json = analysisToJson(analyzeDesign(design)) as any;
  const t = json.tasks[0];
  for (const k of ['name', 'macs', 'flops', 'params_active', 'dense_mtl_macs', 'all_experts_macs', 'by_layer']) assert.ok(k in t, k);
  assert.equal(t.macs, 782_891_520);
  assert.equal(t.flops, 2 * 782_891_520);
  const target0 = json.targets[0];
  assert.ok('resources' in target0);
  for (const s of ['all_resident', 'token_by_token', 'expert_by_expert']) {
    const x = target0.strategies[s];
    for (const k of ['onchip_bytes', 'offchip_bytes', 'traffic_bytes', 'latency_ms', 'energy_mj', 'switch_cost_bytes', 'buffers']) assert.ok(k in x, `${s}.${k}`);
    assert.equal(typeof x.latency_ms.semseg, 'number');
  }
  assert.deepEqual(Object.keys(json.budgets[0]).slice(0, 6), ['text', 'target', 'task', 'metric', 'value', 'limit']);
  assert.equal(typeof json.budgets[0].ok, 'boolean');
  assert.ok(Array.isArray(json.not_costed) && json.not_costed.length > 0);
  // Round-trips through JSON without losing numbers (no NaN/Infinity).
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

test('several targets; block totals add up; text report and code lens', () => {
  const design = edgeMoeDesign();
  design.targets.push(target('xczu7ev', { name: 'zcu104', schedule: 'all_resident' }));
  const report = analyzeDesign(design);
  assert.equal(report.targets.length, 2);
  const zcu104 = report.targets[1];
  const own = zcu104.strategies.find((s) => s.strategy === 'all_resident')!.onchip;
  const sum = (kind: string) => own.buffers.filter((b) => b.mapping.kind === kind).reduce((a, b) => a + b.mapping.blocks, 0);
  assert.equal(zcu104.resources.bram36, sum('bram'));
  assert.equal(zcu104.resources.uram, sum('uram'));
  const text = analysisToText(report);
  for (const s of ['all_resident', 'token_by_token', 'expert_by_expert', 'zcu102', 'zcu104']) assert.ok(text.includes(s), s);
  const lens = codeLensFacts(design, report);
  assert.equal(lens.tasks[0].macs, 782_891_520);
  assert.equal(lens.moe!.bytesPerExpert, 148_032 * 2);
  assert.equal(lens.hardware.length, 2);
  assert.match(lens.tasks[0].text, /783 MMAC \(1\.57 GFLOP\)/);
});

test('a dense design (no moe) analyses without MoE buffers or expert traffic', () => {
  const design = edgeMoeDesign();
  delete design.model.moe;
  const report = analyzeDesign(design);
  for (const s of report.targets[0].strategies) {
    assert.equal(s.tasks[0].traffic.experts, 0);
    assert.ok(!s.onchip.buffers.some((b) => b.role === 'experts' || b.role === 'bookkeeping'));
  }
});

test('routing trace: per-expert queue lengths from the trace drive expert loads and latency', () => {
  const design = edgeMoeDesign();
  design.model.moe!.routing = { kind: 'trace', path: 'traces/frame0.json' };
  // Every token of every MoE layer on experts 3 and 7: two queues of 129, so expert_by_expert loads 2 experts per layer.
  const layers = design.model.moe!.layers.map((layer) => ({
    layer,
    experts: Array.from({ length: 129 }, () => [3, 7]),
    scores: Array.from({ length: 129 }, () => [0.5, 0.2]),
  }));
  const traces = new Map([['traces/frame0.json', { layers }]]);
  const traced = analyzeDesign(design, { traces });
  const balanced = analyzeDesign(edgeMoeDesign());
  const ebe = (r: typeof traced) => r.targets[0].strategies.find((s) => s.strategy === 'expert_by_expert')!.tasks[0];
  assert.equal(ebe(traced).traffic.expertLoads, 6 * 2);
  assert.equal(ebe(balanced).traffic.expertLoads, 6 * 16);
  assert.ok(ebe(traced).traffic.total < ebe(balanced).traffic.total);
  assert.deepEqual(ebe(traced).latency.routingNotes.filter((n) => /fall/i.test(n)), []);
  // Counts do not change with routing.
  assert.equal(traced.counts.tasks[0].count.macs, balanced.counts.tasks[0].count.macs);
  // A trace that is not loaded falls back to balanced, and says so.
  const missing = analyzeDesign(design);
  assert.equal(ebe(missing).traffic.expertLoads, 6 * 16);
  assert.ok(ebe(missing).latency.routingNotes.length > 0);
});

test('task switch bytes equal the extra bytes the schedule loads in a switch frame, for both gating designs', () => {
  for (const gate of [{ kind: 'per_task' as const }, { kind: 'shared' as const, embedDim: 64 }]) {
    const design = edgeMoeDesign();
    design.model.moe!.gate = gate;
    const report = analyzeDesign(design);
    const resident = report.targets[0].strategies.find((s) => s.strategy === 'all_resident')!;
    for (const task of design.tasks) {
      const other = design.tasks.find((t) => t.name !== task.name)!.name;
      const loaded = (previousTask?: string) =>
        simulateFrame({ design, task: task.name, target: design.targets[0].name, strategy: 'all_resident', previousTask })
          .events.filter((e) => e.op === 'load')
          .reduce((sum, e) => sum + (e.bytes ?? 0), 0);
      const pair = resident.switchCost.toTask.find((p) => p.to === task.name)!;
      assert.equal(pair.bytes, loaded(other) - loaded(undefined), `${gate.kind} gate, switch to ${task.name}`);
    }
  }
});
