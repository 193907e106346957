/**
 * The cost model against the measured board and M3ViT's claims (issue: estimates that match the measured board).
 * Every expected figure is derived here by hand from the Edge-MoE HLS code, the bitstream facts or a datasheet, never
 * read back from the tool; the measured numbers are ../shared/research/measured-boards.md's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { analyzeDesign, type AnalysisReport } from '../../engine/analyze';
import { ratesOf } from '../../engine/schedule/cycles';
import { frameSummary, simulateFrame } from '../../engine/schedule/index';
import { fidelityTable, withTable } from '../../scripts/fidelity';
import type { Design } from '../../engine/design';

const root = resolve(__dirname, '..', '..');
const sampleText = (name: string) => readFileSync(join(root, 'samples', name), 'utf8');

function designOf(text: string): Design {
  const doc = analyzeDocument(text);
  assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return doc.design!;
}

const analyze = (text: string): AnalysisReport => analyzeDesign(designOf(text), { skipSwitch: true });
const strategyOf = (r: AnalysisReport, s: string) => r.targets[0].strategies.find((x) => x.strategy === s)!;

test('Edge-MoE on its ZCU102: latency within ±10 % of the measured 34.64 ms, energy within ±15 % of 0.504 J', () => {
  const r = analyze(sampleText('edge-moe-zcu102.m3v'));
  const semseg = strategyOf(r, 'expert_by_expert').tasks.find((t) => t.task === 'semseg')!;
  assert.ok(Math.abs(semseg.latency.seconds / 0.03464 - 1) <= 0.1, `latency ${semseg.latency.seconds}`);
  assert.ok(Math.abs(semseg.energy.totalJ / 0.504 - 1) <= 0.15, `energy ${semseg.energy.totalJ}`);
  // Power is reported beside energy, and the calibrated board power says where it comes from.
  assert.ok(Math.abs(semseg.energy.powerW - semseg.energy.totalJ / semseg.latency.seconds) < 1e-9);
  assert.match(semseg.energy.boardPowerSource, /^calibrated on Edge-MoE's on-board 14\.54 W/);
});

test('port rates by hand: 128-bit PS ports = 16 B a clock at 300 MHz, DDR4-2133 × 64 bit = 56.9 B a clock; Alveo HBM ports 256 bit', () => {
  const t = designOf(sampleText('edge-moe-zcu102.m3v')).targets[0];
  const r = ratesOf(t);
  assert.equal(r.weightPortBytesPerCycle, 128 / 8);
  assert.equal(r.actPortBytesPerCycle, 128 / 8);
  assert.equal(r.actPorts, 4);
  // The sample declares the DDR's rate rounded as 17.07 GB/s (64 bit × 2133.33 MT/s = 17.067 GB/s).
  assert.ok(Math.abs(r.ddrBytesPerCycle - 17.07e9 / 300e6) < 1e-9);
  assert.ok(Math.abs(17.07e9 / (8 * 2133.33e6) - 1) < 0.001);
  assert.equal(r.prefetch, false);
  // A U50 kernel at 300 MHz on one HBM pseudo-channel port (256 bit, UG1393): 32 B a clock, under its 316 GB/s.
  const u50 = ratesOf(designOf(sampleText('edge-moe-zcu102.m3v').replace('device        xczu9eg', 'device        u50').replace(/^\s*(bandwidth|port)\s.*$/gm, '')).targets[0]);
  assert.equal(u50.weightPortBytesPerCycle, 32);
  // A port wider than the kernel's 256-bit master still moves 256 bits a clock (include/hardware.hpp l.9).
  const wide = ratesOf(designOf(sampleText('edge-moe-zcu102.m3v').replace('port          weights 128 bit', 'port          weights 512 bit')).targets[0]);
  assert.equal(wide.weightPortBytesPerCycle, 32);
});

test("DSPs of every Edge-MoE unit by hand from the HLS code: 1,656 DSP48E2", () => {
  const r = analyze(sampleText('edge-moe-zcu102.m3v'));
  const units = Object.fromEntries(r.targets[0].resources.dspByUnit.map((u) => [u.unit, u.dsp]));
  // fixed<32,10> × fixed<16,2>: ⌈32/27⌉·⌈16/18⌉ = 2 DSP48E2 (27 × 18, UG579); fixed<32,10>²: ⌈32/27⌉·⌈32/18⌉ = 4.
  assert.equal(units['linear arrays'], 16 * 16 * 2); // linear.cpp l.492
  assert.equal(units['GELU on the linear outputs'], 16 * 2); // 22-bit × 22-bit: ⌈22/27⌉·⌈22/18⌉ = 2
  assert.equal(units['patch embedding'], 2 * 8 * 16 * 1); // 8-bit pixel × 16-bit weight fits one DSP
  assert.equal(units['attention Q·Kᵀ'], 4 * 8 * 4);
  assert.equal(units['attention scale'], 4 * 4);
  assert.equal(units['softmax statistics'], 3 * 4);
  assert.equal(units['attention ·V'], 4 * 8 * 4);
  assert.equal(units['softmax normalise'], 4 * 3 * 4);
  assert.equal(units['LayerNorm (×2 instances) statistics'], 2 * 2 * 8 * 4);
  assert.equal(units['LayerNorm (×2 instances) normalise'], 2 * 8 * 4);
  assert.equal(units['LayerNorm (×2 instances) affine'], 2 * 8 * 2);
  assert.equal(units['LayerNorm (×2 instances) mean²'], 2 * 4);
  assert.equal(units['MoE score combine'], 8 * 4);
  assert.equal(units['gate unit'], 16 * 8 * 2); // moe.cpp l.188, both loops unrolled
  assert.equal(units['router softmax'], 4);
  assert.equal(r.targets[0].resources.dsp, 512 + 32 + 256 + 128 + 16 + 12 + 128 + 48 + 128 + 64 + 32 + 8 + 32 + 256 + 4);
});

test('INT8 packing: two 8-bit products sharing an input take one DSP48E2 (WP486); attention does not share one', () => {
  const text = sampleText('edge-moe-zcu102.m3v').replace('weights       fixed<16,2>', 'weights       int8').replace('acts          fixed<32,10>', 'acts          int8');
  const units = Object.fromEntries(analyze(text).targets[0].resources.dspByUnit.map((u) => [u.unit, u]));
  assert.equal(units['linear arrays'].dsp, (16 * 16) / 2);
  assert.equal(units['gate unit'].count, 16 * 8);
  assert.equal(units['attention Q·Kᵀ'].dsp, 4 * 8); // int8 × int8 without a shared operand: one DSP each
});

test('experts 16 → 1,024 with M3ViT reordering (compact queues, no gate unit): on-chip flat, DSPs flat; all_resident linear', () => {
  const base = sampleText('edge-moe-zcu102.m3v').replace(/^\s*gate_unit.*$/m, '').replace('queues        full', 'queues        compact');
  const at = (e: number) => analyze(base.replace('experts 16', `experts ${e}`));
  const reports = [16, 64, 256, 1024].map((e) => ({ e, r: at(e) }));
  const ebe0 = strategyOf(reports[0].r, 'expert_by_expert').onchip;
  for (const { e, r } of reports) {
    const ebe = strategyOf(r, 'expert_by_expert').onchip;
    assert.ok(ebe.bytes <= 1.25 * ebe0.bytes, `E=${e}: ${ebe.bytes} vs ${ebe0.bytes}`);
    assert.ok(ebe.bram36 <= 1.25 * ebe0.bram36, `E=${e}: BRAM36 ${ebe.bram36} vs ${ebe0.bram36}`);
    assert.equal(r.targets[0].resources.dsp, reports[0].r.targets[0].resources.dsp);
  }
  // all_resident holds E experts: its bytes are affine in E, so the increments scale with the added experts.
  const all = reports.map(({ r }) => strategyOf(r, 'all_resident').onchip.bytes);
  const perExpert = (all[3] - all[2]) / (1024 - 256);
  assert.ok(Math.abs((all[2] - all[1]) / (256 - 64) / perExpert - 1) < 0.01);
  // One expert at fixed<16,2>: (192·384 + 384 + 384·192 + 192) weights × 2 B on chip, plus the router's share.
  assert.ok(perExpert >= 2 * (192 * 384 * 2 + 384 + 192));
  // The report names what grows: at 1,024 experts only the E queue offsets under expert_by_expert.
  assert.deepEqual(strategyOf(reports[3].r, 'expert_by_expert').growsWithExperts, ['expert_queue_offsets']);
  // With Edge-MoE's choices (a 16 × 8 gate unit and [E][N] queues) the growing buffers are named.
  const edge = strategyOf(analyze(sampleText('edge-moe-zcu102.m3v')), 'expert_by_expert').growsWithExperts;
  for (const name of ['gate_weights', 'expert_queues', 'expert_scores']) assert.ok(edge.includes(name), `${name} in ${edge.join(', ')}`);
});

test('linear 16 x 16 units 3: the linear MAC time shrinks to a third (the ports keep pace exactly), for 3× the array DSPs', () => {
  const text = sampleText('edge-moe-zcu102.m3v');
  const one = designOf(text);
  const three = designOf(text.replace('linear        16 x 16 ', 'linear        16 x 16 units 3'));
  const req = { task: 'semseg', target: 'zcu102', strategy: 'expert_by_expert' } as const;
  const saved = frameSummary({ design: one, ...req }).makespanCycles - frameSummary({ design: three, ...req }).makespanCycles;
  // By hand, per op: rows × ⌈in/16⌉ × ⌈out/16⌉ MAC cycles become rows × ⌈in/16⌉ × ⌈⌈out/16⌉/3⌉, and every one of
  // them then equals its slowest activation stream through a 16 B port (Q: 129·192·4 B / 16 = 6,192 = 129·12·4).
  const qkvp = 4 * (129 * 12 * 12 - 129 * 12 * 4);
  const mlp = 129 * 12 * 48 - 129 * 12 * 16 + (129 * 48 * 12 - 129 * 48 * 4);
  const experts = 2 * 129 * 2 * (12 * 24 - 12 * 8); // 258 routed rows through fc1 and fc2 per MoE layer
  const head = 0; // 7 classes: one output tile either way
  assert.equal(saved, 12 * qkvp + 6 * mlp + 6 * experts + head);
  const dsp = (d: Design) => analyzeDesign(d, { skipSwitch: true }).targets[0].resources.dspByUnit.find((u) => u.unit === 'linear arrays')!.dsp;
  assert.equal(dsp(three), 3 * dsp(one));
});

test('M3ViT-small on its ZCU104 fits under expert_by_expert with weight tiling, not under all_resident', () => {
  const r = analyze(sampleText('m3vit-small-pascal-zcu104.m3v'));
  assert.ok(strategyOf(r, 'expert_by_expert').onchip.onchipPercent <= 100);
  assert.ok(strategyOf(r, 'all_resident').onchip.onchipPercent > 100);
  // The 1536 × 384 dense FCs (1.1 MiB at 16 bit) stream through 288 KiB buffers: 4 tiles of 384 outputs each.
  const s = simulateFrame({ design: designOf(sampleText('m3vit-small-pascal-zcu104.m3v')), task: 'semseg', target: 'zcu104', strategy: 'expert_by_expert' });
  const fc1 = s.events.filter((e) => e.layer === 0 && e.lane === 'load' && e.what === 'fc1');
  assert.deepEqual(fc1.map((e) => e.bytes), new Array(4).fill((384 * 384 + 384) * 2));
});

test('a latency budget below the lower bound gets the "no schedule can meet" diagnostic, with the factor', () => {
  const text = sampleText('m3vit-small-pascal-zcu104.m3v').replace('latency semseg < 4 s', 'latency semseg < 5 ms');
  const r = analyze(text);
  const b = r.budgets.find((x) => x.metric === 'latency')!;
  assert.equal(b.ok, false);
  assert.ok(b.impossible);
  const bound = r.targets[0].bounds.find((x) => x.task === 'semseg')!.bound;
  assert.equal(b.impossible.boundSeconds, bound.seconds);
  assert.ok(Math.abs(b.impossible.factor - bound.seconds / 0.005) < 1e-9);
  assert.match(b.summary, /^no schedule can meet this on zcu104: the (compute|memory) lower bound of semseg is [\d.]+ ms, [\d.]+× the 5\.00 ms budget/);
  // The compute bound by hand: M3ViT-small's linear MACs at 2 DSPs each and attention MACs at 4, on 1,728 DSPs.
  const c = r.counts.tasks[0].count;
  const att = c.byOp.qk + c.byOp.av;
  assert.ok(Math.abs(bound.computeSeconds - ((c.macs - att) * 2 + att * 4) / 1728 / 300e6) < 1e-12);
});

test('every estimate is at least its lower bound, on every sample, target, strategy and task', () => {
  for (const name of ['edge-moe-zcu102.m3v', 'm3vit-small-pascal-zcu104.m3v', 'task-conditioned-gate.m3v', 'dense-vit-baseline.m3v']) {
    const r = analyzeDesign(designOf(sampleText(name)), { skipSwitch: true });
    for (const t of r.targets)
      for (const s of t.strategies)
        for (const task of s.tasks) {
          const bound = t.bounds.find((b) => b.task === task.task)!.bound;
          assert.ok(task.latency.seconds >= bound.seconds, `${name} ${t.name} ${s.strategy} ${task.task}`);
        }
  }
});

test('docs/fidelity.md holds the table npm run fidelity prints', () => {
  const doc = readFileSync(join(root, 'docs', 'fidelity.md'), 'utf8');
  assert.equal(withTable(doc, fidelityTable()), doc, 'run npm run fidelity -- --write');
});

test('the Resources panel and the task code lens show the lower bound beside the latency', async () => {
  const { resourcesView } = await import('../../webviews/host/views');
  const { codeLensFacts } = await import('../../engine/codeLens');
  const design = designOf(sampleText('edge-moe-zcu102.m3v'));
  const report = analyzeDesign(design, { skipSwitch: true });
  const bound = report.targets[0].bounds.find((b) => b.task === 'semseg')!.bound;
  const view = resourcesView(design, report, 'semseg', 'zcu102', 'file:///edge.m3v')!;
  assert.deepEqual(view.bound, { seconds: bound.seconds, computeSeconds: bound.computeSeconds, memorySeconds: bound.memorySeconds, kind: bound.bound });
  const lens = codeLensFacts(design, report).tasks.find((t) => t.task === 'semseg')!;
  assert.equal(lens.boundSeconds, bound.seconds);
  assert.match(lens.text, /\(bound [\d.]+ ms, memory\)/);
});

test('the editor shows an unmeetable budget as budget-impossible on its line', async () => {
  const { budgetDiagnostics } = await import('../../language/src/budgetDiagnostics');
  const text = sampleText('m3vit-small-pascal-zcu104.m3v').replace('latency semseg < 4 s', 'latency semseg < 5 ms');
  const d = budgetDiagnostics(analyze(text).budgets).find((x) => x.code === 'budget-impossible')!;
  assert.equal(d.severity, 'error');
  assert.equal(text.slice(d.span.start, d.span.end).trim().startsWith('latency semseg < 5 ms'), true);
});
