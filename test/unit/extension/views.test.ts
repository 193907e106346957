import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../language/src/analyze';
import { analyzeDesign } from '../../../engine/analyze';
import { simulateFrame } from '../../../engine/schedule/index';
import { createEngineAnalyzer } from '../../../webviews/host/engineAnalyzer';
import { resourcesView, scheduleView, statusFigures } from '../../../webviews/host/views';
import type { DocumentAnalysis } from '../../../language/src/types';
import { edgeMoeDesign } from '../../schedule/fixtures';

const URI = 'file:///w/edge.m3v';

test('Resources view copies the engine report: buffers, traffic, counts, capacity of the ZCU102', () => {
  const design = edgeMoeDesign();
  const task = design.tasks[0].name;
  const target = design.targets[0].name;
  const report = analyzeDesign(design);
  const view = resourcesView(design, report, task, target, URI)!;
  const tr = report.targets[0];
  assert.equal(view.selectedStrategy, tr.target.schedule);
  assert.deepEqual(view.strategies.map((s) => s.strategy), tr.strategies.map((s) => s.strategy));
  for (const s of view.strategies) {
    const r = tr.strategies.find((x) => x.strategy === s.strategy)!;
    assert.equal(s.onchipBytes, r.onchip.bytes);
    assert.equal(s.onchipPercent, r.onchip.onchipPercent);
    assert.equal(s.buffers.reduce((n, b) => n + b.bytes, 0), r.onchip.buffers.reduce((n, b) => n + b.bytes, 0));
    assert.equal(s.trafficBytes, r.tasks.find((t) => t.task === task)!.traffic.total);
  }
  // xczu9eg: 912 BRAM36 × 4608 B, no URAM (catalog).
  assert.equal(view.capacity.bramBytes, 912 * 4608);
  assert.equal(view.capacity.uramBytes, 0);
  assert.equal(view.capacity.onchipBytes, 912 * 4608);
  const tc = report.counts.tasks.find((t) => t.task === task)!;
  const row = view.tasks.find((t) => t.task === task)!;
  assert.deepEqual([row.macs, row.denseMacs, row.allExpertsMacs, row.params], [tc.count.macs, tc.denseMtl.macs, tc.allExperts.macs, tc.paramsActive]);
  // The sparse design does fewer MACs than running every expert.
  assert.ok(row.macs < row.allExpertsMacs);
  assert.equal(view.use.dspPercent, tr.resources.dspPercent);
  assert.equal(view.use.lut, undefined, 'LUT is not estimated by the engine, so it must not be shown as a number');
  assert.equal(resourcesView(design, report, task, 'nope', URI), undefined);
});

test('status figures are the target strategy latency and on-chip share', () => {
  const design = edgeMoeDesign();
  const report = analyzeDesign(design);
  const tr = report.targets[0];
  const own = tr.strategies.find((s) => s.strategy === tr.target.schedule)!;
  const f = statusFigures(report, design.tasks[0].name, tr.name)!;
  assert.equal(f.latencySeconds, own.tasks[0].latency.seconds);
  assert.equal(f.onchipPercent, own.onchip.onchipPercent);
});

test('Schedule view: one run per strategy, the selected first, events equal to simulateFrame', () => {
  const design = edgeMoeDesign();
  const t = design.targets[0];
  const task = design.tasks[0].name;
  const view = scheduleView(design, task, t.name, URI, undefined)!;
  assert.equal(view.runs[0].strategy, t.schedule);
  assert.equal(view.runs.length, 3);
  const frame = simulateFrame({ design, task, target: t.name, strategy: t.schedule });
  assert.equal(view.runs[0].makespanCycles, frame.makespan_cycles);
  assert.equal(view.runs[0].events.length, frame.events.length);
  assert.ok(view.runs[0].events.every((e) => e.lane >= 0 && e.lane < view.lanes.length && e.end >= e.start));
  // MoE-layer events link to the moe block so a click reveals it.
  const moeLayer = design.model.moe!.layers[0];
  const ev = view.runs[0].events.find((e) => e.layer === moeLayer)!;
  assert.deepEqual(ev.link, { uri: URI, start: design.model.moe!.span.start, end: design.model.moe!.span.end });
});

test('engine analyzer: errors become one located line; a design becomes lazily computed views', () => {
  const design = edgeMoeDesign();
  const withError: DocumentAnalysis = {
    text: 'model m {\n  dim x\n}',
    tree: {} as DocumentAnalysis['tree'],
    diagnostics: [{ span: { start: 16, end: 17 }, severity: 'error', message: 'expected a number', code: 'x' }],
    symbols: [],
    references: [],
  };
  const bad = createEngineAnalyzer(() => withError)('ignored', URI);
  assert.equal(bad.problem, '2:7: expected a number');
  let parses = 0;
  const good = createEngineAnalyzer(() => {
    parses++;
    return { ...withError, diagnostics: [], design };
  })('text', URI);
  assert.equal(parses, 1);
  assert.equal(good.problem, undefined);
  assert.deepEqual(good.tasks, design.tasks.map((t) => t.name));
  const a = good.resources(good.tasks[0], good.targets[0]);
  assert.equal(good.resources(good.tasks[0], good.targets[0]), a, 'memoised per (task, target)');
});

test('the status bar figures from the narrow report equal those of the full report', () => {
  const design = edgeMoeDesign();
  design.targets[0].schedule = 'token_by_token';
  const analyzer = createEngineAnalyzer(() => ({ text: '', tree: {} as DocumentAnalysis['tree'], diagnostics: [], design, symbols: [], references: [] }));
  const narrow = analyzer('', URI).status('semseg', design.targets[0].name);
  const full = statusFigures(analyzeDesign(design), 'semseg', design.targets[0].name);
  assert.deepEqual(narrow, full);
});

test('the Resources view from a one-target report equals the one from the full report, on every sample and target', () => {
  for (const file of readdirSync(join(__dirname, '..', '..', '..', 'samples')).filter((f) => f.endsWith('.m3v'))) {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'samples', file), 'utf8');
    const doc = analyzeDocument(text);
    const design = doc.design!;
    const full = analyzeDesign(design, { skipSwitch: true });
    const analyzed = createEngineAnalyzer(() => doc)(text, URI);
    for (const target of design.targets)
      for (const task of design.tasks)
        assert.deepEqual(analyzed.resources(task.name, target.name), resourcesView(design, full, task.name, target.name, URI), `${file}: ${task.name} on ${target.name}`);
  }
});

test('an analyzer given an already computed full report uses it and shows the same views', () => {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'samples', 'edge-moe-zcu102.m3v'), 'utf8');
  const doc = analyzeDocument(text);
  const full = analyzeDesign(doc.design!);
  let asked = 0;
  const reused = createEngineAnalyzer(() => doc, undefined, (t) => (asked++, t === text ? full : undefined))(text, URI);
  const fresh = createEngineAnalyzer(() => doc)(text, URI);
  assert.equal(asked, 1);
  assert.deepEqual(reused.resources('semseg', 'zcu102'), fresh.resources('semseg', 'zcu102'));
  assert.deepEqual(reused.status('depth', 'zcu102'), fresh.status('depth', 'zcu102'));
});
