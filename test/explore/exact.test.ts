/**
 * The front is exact and its figures are the cost model's: every front point of every sample's explore block is
 * written into the .m3v text, parsed and checked again, and analysed by `analyzeDesign` (the full report, not the
 * explorer's evaluator); its objectives must be equal to the digit and it must meet every budget. Random small spaces
 * are compared with brute force: every point evaluated by `analyzeDesign` and the front taken by pairwise comparison.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { analyzeDesign } from '../../engine/analyze';
import { mulberry32 } from '../../engine/random';
import { applyPoint, bruteForceFront, explore, makeSpace, digitsOf, settingsOf, signsOf, valuesOf, type FrontEntry } from '../../engine/explore/index';
import { loadSample, loadText, reEvaluate, SAMPLES } from './helpers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.m3v')).sort()) {
  test(`${file}: every front point equals analyzeDesign on the re-written, re-parsed design`, () => {
    const { text, design, traces } = loadSample(file);
    assert.ok(design.explores && design.explores.length > 0, `${file} has an explore block`);
    for (const spec of design.explores!) {
      const r = explore(design, { name: spec.name, traces });
      assert.equal(r.evaluated + r.skipped, r.points);
      assert.equal(r.feasible + r.failed_budgets, r.evaluated);
      for (const p of r.front) {
        const again = reEvaluate(text, spec, p.values, traces);
        assert.ok(again.objectives, `${file} ${JSON.stringify(p.values)}: ${again.error}`);
        assert.deepEqual(p.objectives, again.objectives, `${file} ${JSON.stringify(p.values)}`);
        assert.equal(again.meetsBudgets, true, `${file} ${JSON.stringify(p.values)} meets every budget`);
      }
    }
  });
}

/** A random sub-space of the Edge-MoE design: 2–4 keys, 1–3 values each, model and hardware keys mixed. */
function randomBlock(seed: number): string {
  const rnd = mulberry32(seed);
  const pool: [string, string[]][] = [
    ['experts', ['1', '2', '4', '8', '16']],
    ['top_k', ['1', '2', '3', '4']],
    ['dim', ['96', '192', '288']],
    ['heads', ['2', '3', '4']],
    ['depth', ['2', '4', '12']],
    ['hidden', ['192', '384', '2x']],
    ['linear', ['8 x 8', '16 x 16', '32 x 16']],
    ['attention', ['2 x 8', '4 x 8']],
    ['clock', ['150 MHz', '200 MHz', '300 MHz']],
    ['weights', ['fixed<16,2>', 'int8', 'float16']],
    ['schedule', ['expert_by_expert', 'token_by_token', 'all_resident']],
    ['units', ['1', '2', '4']],
    ['weight_buffer', ['whole', '8 KiB', '64 KiB']],
  ];
  const keys = [...pool].sort(() => rnd() - 0.5).slice(0, 2 + Math.floor(rnd() * 3));
  const lines = keys.map(([k, vs]) => {
    const picked = vs.filter(() => rnd() < 0.6);
    return `  vary ${k} [${(picked.length ? picked : [vs[0]]).join(', ')}]`;
  });
  const objectives = [['minimize latency semseg', 'minimize onchip'], ['minimize dsp', 'maximize fps', 'minimize energy'], ['minimize traffic', 'minimize latency']][Math.floor(rnd() * 3)];
  return `explore r {\n${lines.join('\n')}\n${objectives.map((o) => `  ${o}`).join('\n')}\n}\n`;
}

test('random small spaces: the front equals brute force over analyzeDesign, and its points re-evaluate from text', () => {
  const base = readFileSync(join(SAMPLES, 'edge-moe-zcu102.m3v'), 'utf8').replace(/\nexplore [\s\S]*$/, '\n');
  let fronts = 0;
  let skippedSeen = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const { text, design } = loadText(base + randomBlock(seed));
    const spec = design.explores![0];
    const r = explore(design);
    const space = makeSpace(spec);
    const signs = signsOf(spec);
    // Brute force: every point through analyzeDesign (the full report) on the point's design.
    const feasible: FrontEntry[] = [];
    let skipped = 0;
    let failed = 0;
    for (let i = 0; i < space.size; i++) {
      const applied = applyPoint(design, spec, settingsOf(space, digitsOf(space, i)));
      if (!applied.ok) {
        skipped++;
        continue;
      }
      const report = analyzeDesign(applied.design, { targets: [spec.target], strategies: undefined });
      const t = report.targets[0];
      const own = t.strategies.find((s) => s.strategy === t.target.schedule)!;
      const worst = (f: (x: (typeof own.tasks)[number]) => number) => Math.max(...own.tasks.map(f));
      const objectives = spec.objectives.map((o) =>
        o.metric === 'latency' ? (o.task ? own.tasks.find((x) => x.task === o.task)!.latency.seconds : worst((x) => x.latency.seconds))
        : o.metric === 'energy' ? worst((x) => x.energy.totalJ)
        : o.metric === 'traffic' ? worst((x) => x.traffic.total)
        : o.metric === 'fps' ? 1 / worst((x) => x.latency.seconds)
        : o.metric === 'onchip' ? own.onchip.bytes
        : t.resources.dsp,
      );
      if (report.budgets.some((b) => b.ok === false)) failed++;
      else feasible.push({ index: i, objectives });
    }
    const expected = bruteForceFront(feasible, signs);
    assert.equal(r.skipped, skipped, `seed ${seed}: skipped`);
    assert.equal(r.failed_budgets, failed, `seed ${seed}: failed budgets`);
    assert.deepEqual(r.front.map((p) => p.index), expected.map((e) => e.index), `seed ${seed}: front indices`);
    assert.deepEqual(r.front.map((p) => spec.objectives.map((o) => p.objectives[o.label])), expected.map((e) => e.objectives), `seed ${seed}: front values`);
    for (const p of r.front) {
      assert.deepEqual(p.values, valuesOf(space, p.index));
      const again = reEvaluate(text, spec, p.values, new Map());
      assert.deepEqual(p.objectives, again.objectives, `seed ${seed} ${JSON.stringify(p.values)}: re-parsed`);
    }
    fronts += r.front.length;
    skippedSeen += skipped;
  }
  assert.ok(fronts >= 6, `the random spaces have non-trivial fronts (${fronts} points)`);
  assert.ok(skippedSeen > 0, 'some random points break a model rule and are skipped');
});
