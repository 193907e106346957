import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../language/src/analyze';
import { analyzeDesign } from '../../../engine/analyze';
import { simulateFrame } from '../../../engine/schedule/index';
import { PhaseCache } from '../../../language/src/phases';
import { resourcesView, scheduleView, statusFigures } from '../../../webviews/host/views';
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

test('the phase cache: one check and one report per text however many consumers ask; the design is frozen', () => {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'samples', 'edge-moe-zcu102.m3v'), 'utf8');
  const cache = new PhaseCache();
  const a = cache.of(text);
  assert.equal(cache.stats.checks, 0, 'nothing runs before it is asked for');
  const design = a.analysis().design!;
  assert.equal(cache.of(text), a, 'the same text gives the same phases');
  const r1 = a.report();
  const r2 = cache.of(text).report();
  assert.equal(r1, r2);
  assert.deepEqual(cache.stats, { checks: 1, reports: 1 });
  // A different text is a different entry (keyed by content, not by a mutable object).
  cache.of(text + '\n').report();
  assert.deepEqual(cache.stats, { checks: 2, reports: 2 });
  // Frozen all the way down: a consumer cannot change what other consumers (and engine caches keyed on it) see.
  assert.ok(Object.isFrozen(design) && Object.isFrozen(design.targets) && Object.isFrozen(design.targets[0]) && Object.isFrozen(design.model.moe!.layers));
  assert.throws(() => {
    'use strict';
    (design.targets[0] as { schedule: string }).schedule = 'token_by_token';
  }, TypeError);
  assert.equal(cache.of(text).analysis().design!.targets[0].schedule, design.targets[0].schedule);
});

test('the Resources view and status figures from the editor report (no switch simulation) equal the full report, on every sample', () => {
  for (const file of readdirSync(join(__dirname, '..', '..', '..', 'samples')).filter((f) => f.endsWith('.m3v'))) {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'samples', file), 'utf8');
    const phases = new PhaseCache().of(text);
    const design = phases.analysis().design!;
    const editor = phases.report()!;
    const full = analyzeDesign(analyzeDocument(text).design!);
    for (const target of design.targets)
      for (const task of design.tasks) {
        assert.deepEqual(resourcesView(design, editor, task.name, target.name, URI), resourcesView(design, full, task.name, target.name, URI), `${file}: ${task.name} on ${target.name}`);
        assert.deepEqual(statusFigures(editor, task.name, target.name), statusFigures(full, task.name, target.name));
      }
  }
});
