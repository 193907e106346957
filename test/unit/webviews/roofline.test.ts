// The Resources roofline as the panel gets it (webviews/host/views.ts → engine/roofline.ts) and the chart's geometry
// (webviews/resources/rooflineGeometry.ts): every operation of the MACs-by-op chart is on it, heads included, with the
// same MACs; every point and roof lies inside the axes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../language/src/analyze';
import { analyzeDesign } from '../../../engine/analyze';
import { resourcesView } from '../../../webviews/host/views';
import { parseRoutingTrace } from '../../../engine/schedule/trace-format';
import { labelGroups, rooflineGeometry, rooflineUnitColour } from '../../../webviews/resources/rooflineGeometry';
import { contrast, DEFAULT_BACKGROUNDS, MIN_CONTRAST, paletteFor } from '../../../webviews/shared/palette';

const root = join(__dirname, '..', '..', '..');
const URI = 'file:///w/sample.m3v';

function sample(name: string) {
  const design = analyzeDocument(readFileSync(join(root, 'samples', name), 'utf8')).design;
  assert.ok(design, `${name} checks`);
  return design;
}

// stress.m3v's tasks t00–t03 cover the three head kinds (linear, pup, cls); task-conditioned-gate.m3v the shared
// gate's task embedding; the PASCAL sample a router on the linear arrays and pup heads.
const CASES: [string, string[] | undefined][] = [
  ['edge-moe-zcu102.m3v', undefined],
  ['m3vit-small-pascal-zcu104.m3v', undefined],
  ['task-conditioned-gate.m3v', undefined],
  ['dense-vit-baseline.m3v', undefined],
  ['stress.m3v', ['t00', 't01', 't03']],
];

test('Roofline: every operation of MACs by op is on it (heads included), with the same MACs', () => {
  for (const [name, only] of CASES) {
    const design = sample(name);
    const report = analyzeDesign(design, { skipSwitch: true });
    for (const target of design.targets)
      for (const task of design.tasks.filter((t) => !only || only.includes(t.name))) {
        const what = `${name} ${target.name} ${task.name}`;
        const view = resourcesView(design, report, task.name, target.name, URI)!;
        const r = view.roofline!;
        assert.ok(r, `${what}: a roofline`);
        for (const m of view.macsByOp!) {
          const points = r.points.filter((p) => p.family === m.op);
          assert.ok(points.length > 0, `${what}: ${m.op} is on the roofline`);
          assert.equal(points.reduce((n, p) => n + p.macs, 0), m.macs, `${what}: ${m.op} MACs`);
        }
        assert.ok(r.points.some((p) => p.family === 'head'), `${what}: the head is on it`);
        const head = design.tasks.find((t) => t.name === task.name)!.head.kind;
        if (head === 'pup') assert.deepEqual(r.points.filter((p) => p.family === 'head').map((p) => p.op), ['conv1', 'conv2', 'conv3', 'conv4', 'conv_out'], `${what}: every pup conv`);
        for (const p of r.points) {
          assert.equal(p.ddrBytes, p.weightBytes + p.actInBytes + p.actOutBytes, `${what}: ${p.op} bytes`);
          assert.equal(p.bound, p.boundBy === 'compute' ? 'compute' : 'memory');
        }
        const g = rooflineGeometry(r);
        for (const { point, at, roof } of g.points) {
          assert.ok(at.x >= g.xMin && at.x <= g.xMax, `${what}: ${point.op} x inside the axis`);
          for (const y of [at.y, roof.y]) assert.ok(y >= g.yMin && y <= g.yMax, `${what}: ${point.op} y ${y} inside [${g.yMin}, ${g.yMax}]`);
        }
        for (const l of g.lines) for (const pt of l.points) assert.ok(pt.x >= g.xMin && pt.x <= g.xMax && pt.y <= g.yMax, `${what}: ${l.id} roof inside`);
      }
  }
});

test('Roofline geometry: each unit’s flat roof starts at its ridge on the off-chip slope', () => {
  const design = sample('edge-moe-zcu102.m3v');
  const view = resourcesView(design, analyzeDesign(design, { skipSwitch: true }), 'semseg', 'zcu102', URI)!;
  const g = rooflineGeometry(view.roofline!);
  const linear = g.lines.find((l) => l.id === 'linear')!;
  // 76.8 GMAC/s ÷ 17.07 GB/s = 4.50 MAC/B.
  assert.ok(Math.abs(linear.points[0].x - 76.8e9 / 17.07e9) < 1e-9);
  assert.equal(linear.points[0].y, 76.8e9);
  const slope = g.lines.find((l) => l.id === 'offchip')!;
  for (const pt of slope.points) assert.ok(Math.abs(pt.y / pt.x - 17.07e9) < 1e-3);
  // q, k, v and proj sit on one pixel: one label.
  assert.deepEqual(labelGroups([{ x: 10, y: 10 }, { x: 12, y: 11 }, { x: 40, y: 10 }]), [[0, 1], [2]]);
});

test('Roofline colours: the four units keep 3:1 against every theme background and stay distinct', () => {
  for (const [theme, background] of Object.entries(DEFAULT_BACKGROUNDS)) {
    const palette = paletteFor(background);
    const colours = ['linear', 'attention', 'gate_unit', 'patch_embed'].map((u) => rooflineUnitColour(u, palette));
    for (const c of colours) assert.ok(contrast(c, background) >= MIN_CONTRAST, `${theme}: ${c} on ${background}`);
    assert.equal(new Set(colours).size, 4, `${theme}: four different colours`);
    // The linear unit is the schedule's linear lane: one colour for one unit across panels.
    assert.equal(colours[0], palette.lane('linear'));
  }
});

test('Roofline follows the routing trace the report used: real layer-1 routing of Edge-MoE loads only the experts it picks', () => {
  const design = sample('edge-moe-traced.m3v');
  const text = readFileSync(join(root, 'samples', 'traces', 'edge-moe-frame0-semseg.json'), 'utf8');
  const parsed = parseRoutingTrace(text);
  assert.ok(parsed.ok);
  const routing = design.model.moe!.routing;
  assert.equal(routing.kind, 'trace');
  const traces = new Map([[routing.kind === 'trace' ? routing.path : '', parsed.trace]]);
  // Distinct experts of layer 1, read from the JSON itself: 12 of 16 are picked by some token.
  const picked = new Set((JSON.parse(text) as { layers: { layer: number; experts: number[][] }[] }).layers.find((l) => l.layer === 1)!.experts.flat());
  assert.equal(picked.size, 12);
  const report = analyzeDesign(design, { traces, skipSwitch: true });
  const view = resourcesView(design, report, 'semseg', design.targets[0].name, URI, traces)!;
  const fc1 = view.roofline!.points.find((p) => p.op === 'expert_fc1')!;
  // expert_by_expert loads each picked expert's fc1 (192 → 384 + bias, 2 B a weight) once in layer 1.
  assert.equal(fc1.perLayer.find((l) => l.layer === 1)!.weightBytes, picked.size * (192 * 384 + 384) * 2);
  // The other MoE layers have no trace: balanced routing, all 16.
  assert.equal(fc1.perLayer.find((l) => l.layer === 3)!.weightBytes, 16 * (192 * 384 + 384) * 2);
});
