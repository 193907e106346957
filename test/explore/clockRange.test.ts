/**
 * The explorer simulates a frame at the two ends of a `clock` axis and, when the makespans in cycles agree, reuses
 * that makespan for every clock between (engine/explore/evaluate.ts clockRangeCyclesOf). That rests on one lemma: the
 * makespan in cycles is non-increasing in the DDR's bytes per cycle (bandwidth / clock), i.e. non-decreasing in the
 * clock. These tests check the lemma against the simulator itself (frameLatency, whose latency is simulateFrame's
 * makespan) on every sample's targets under every strategy, with DDR rates from starved to ample, and check the
 * explorer's latency against analyzeDesign at every point of spaces whose DDR binds at some clocks and not others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDesign } from '../../engine/analyze';
import { STRATEGIES, type Design, type HardwareTarget } from '../../engine/design';
import { frameLatency, simulateFrame } from '../../engine/schedule/index';
import { applyPoint, digitsOf, explore, makeSpace, settingsOf } from '../../engine/explore/index';
import { loadSample, loadText, SAMPLES } from './helpers';

const MHZ = 1e6;
const CLOCKS = Array.from({ length: 23 }, (_, i) => (50 + 25 * i) * MHZ); // 50 … 600 MHz
const BANDWIDTHS = [0.5e9, 2e9, 6e9, 17.07e9, 100e9];

function cyclesAt(design: Design, target: HardwareTarget, clockHz: number, bandwidth: number, task: string, strategy: (typeof STRATEGIES)[number], traces: ReadonlyMap<string, never> | Map<string, unknown>) {
  const t: HardwareTarget = { ...target, clockHz, bandwidthBytesPerSec: bandwidth };
  const d: Design = { ...design, targets: [t] };
  return frameLatency({ design: d, task, target: t.name, strategy, traces: traces as never }).cycles;
}

for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.m3v')).sort()) {
  if (file === 'stress.m3v') continue; // thousands of tasks: the same code paths, minutes of simulation
  test(`${file}: the makespan in cycles never falls as the clock rises (every target, strategy, DDR rate)`, () => {
    const { design, traces } = loadSample(file);
    let sweeps = 0;
    let bound = 0;
    for (const target of design.targets)
      for (const strategy of STRATEGIES)
        for (const bandwidth of BANDWIDTHS)
          for (const task of design.tasks.slice(0, 2)) {
            const cycles = CLOCKS.map((c) => cyclesAt(design, target, c, bandwidth, task.name, strategy, traces));
            for (let i = 1; i < cycles.length; i++)
              assert.ok(cycles[i] >= cycles[i - 1], `${target.name} ${strategy} ${bandwidth / 1e9} GB/s ${task.name}: ${cycles[i - 1]} cycles at ${CLOCKS[i - 1] / MHZ} MHz, ${cycles[i]} at ${CLOCKS[i] / MHZ} MHz`);
            if (cycles[0] !== cycles[cycles.length - 1]) bound++;
            sweeps++;
          }
    assert.ok(sweeps > 0);
    // The sweeps must include DDR-bound clocks, or the lemma would be tested only where it is trivial.
    assert.ok(bound > 0, `${file}: some sweep has the DDR binding at high clocks`);
  });
}

test('frameLatency is simulateFrame\'s makespan at the clocks the explorer reuses (one source of truth)', () => {
  const { design } = loadSample('edge-moe-zcu102.m3v');
  const target = design.targets[0];
  for (const clockHz of [150 * MHZ, 300 * MHZ])
    for (const bandwidth of [2e9, 17.07e9]) {
      const t = { ...target, clockHz, bandwidthBytesPerSec: bandwidth };
      const d = { ...design, targets: [t] };
      for (const task of design.tasks) {
        const req = { design: d, task: task.name, target: t.name };
        assert.equal(frameLatency(req).cycles, simulateFrame(req).makespan_cycles);
      }
    }
});

test('explore over a clock axis where the DDR binds at some clocks: every point\'s latency equals analyzeDesign', () => {
  // No budgets: every point is then on its own one-point front, so each point's figures can be read back.
  const base = readFileSync(join(SAMPLES, 'edge-moe-zcu102.m3v'), 'utf8').replace(/\nexplore [\s\S]*$/, '\n').replace(/\nbudget zcu102 \{[\s\S]*?\n\}\n/, '\n');
  let reused = 0;
  let simulated = 0;
  for (const bandwidth of ['2 GB/s', '6 GB/s', '17.07 GB/s']) {
    const text = base.replace(/bandwidth\s+17\.07 GB\/s/, `bandwidth ${bandwidth}`) +
      'explore c {\n  vary clock 100 MHz .. 400 MHz step 50 MHz\n  vary schedule [expert_by_expert, token_by_token, all_resident]\n  vary linear [8 x 8, 32 x 32]\n  minimize latency semseg\n  minimize latency depth\n}\n';
    const { design } = loadText(text);
    assert.equal(design.budgets.length, 0);
    const spec = design.explores![0];
    const space = makeSpace(spec);
    for (let i = 0; i < space.size; i++) {
      const applied = applyPoint(design, spec, settingsOf(space, digitsOf(space, i)));
      assert.ok(applied.ok);
      const report = analyzeDesign(applied.design, { targets: [spec.target] });
      const own = report.targets[0].strategies.find((s) => s.strategy === report.targets[0].target.schedule)!;
      const expected = own.tasks.map((t) => t.latency.seconds);
      // One point per run, through the explorer's evaluator (which still reads the whole clock axis).
      const one = explore(design, { shard: { index: i, count: space.size } });
      assert.equal(one.front.length, 1);
      assert.deepEqual([one.front[0].objectives['latency semseg'], one.front[0].objectives['latency depth']], expected, `${bandwidth} ${JSON.stringify(one.front[0].values)}`);
    }
    // Which points took the reuse path: the axis ends agree (both ways must be exercised).
    for (let i = 0; i < space.size; i += 7) {
      const t = applied(design, spec, space, i);
      const ends = [100 * MHZ, 400 * MHZ].map((c) => cyclesAt(design, t, c, t.bandwidthBytesPerSec, 'semseg', t.schedule, new Map()));
      if (ends[0] === ends[1]) reused++;
      else simulated++;
    }
  }
  assert.ok(reused > 0 && simulated > 0, `both paths exercised (reused ${reused}, simulated ${simulated})`);
});

function applied(design: Design, spec: NonNullable<Design['explores']>[number], space: ReturnType<typeof makeSpace>, i: number): HardwareTarget {
  const a = applyPoint(design, spec, settingsOf(space, digitsOf(space, i)));
  assert.ok(a.ok);
  return a.design.targets.find((t) => t.name === spec.target)!;
}
