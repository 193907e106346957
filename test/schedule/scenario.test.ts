import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STRATEGIES } from '../../engine/design';
import { frameLatency, simulateScenario, ScheduleRequestError } from '../../engine/schedule/index';
import { designArb, edgeMoeDesign } from './fixtures';

// Edge-MoE 'drive' = repeat 10 { semseg depth semseg } at 30 fps: 30 frames, 20 task switches
// (semseg→depth and depth→semseg ten times each; semseg→semseg across repeats is no switch).

test('expert_by_expert and token_by_token switch tasks with zero overhead (M3ViT zero-overhead switching)', () => {
  const r = simulateScenario(edgeMoeDesign(), 'drive');
  assert.deepEqual(r.runs.map((x) => x.strategy), [...STRATEGIES]);
  for (const run of r.runs.filter((x) => x.strategy !== 'all_resident')) {
    assert.equal(run.totals.switches, 20);
    assert.equal(run.totals.switchOverheadCycles, 0);
    assert.equal(run.totals.switchOverheadBytes, 0);
    assert.equal(run.totals.coldStartBytes, 0);
    assert.match(run.switchModel, /20 switches cost 0 cycles \(0\.000 ms\) and 0 B beyond normal frames/);
  }
  assert.equal(r.runs.find((x) => x.strategy === 'expert_by_expert')!.declared, true);
});

test('all_resident pays the new task routers + head at each switch, by hand', () => {
  const run = simulateScenario(edgeMoeDesign(), 'drive', { strategy: 'all_resident' }).runs[0];
  const routers = 6 * 192 * 16 * 2; // 6 MoE layers × [192 → 16] at 16 bit = 36,864 B
  const semsegHead = (192 * 7 + 7) * 2; // 2,702 B
  const depthHead = (192 * 1 + 1) * 2; // 386 B
  const toDepth = run.frames.filter((f) => f.previousTask === 'semseg' && f.task === 'depth');
  const toSemseg = run.frames.filter((f) => f.previousTask === 'depth' && f.task === 'semseg');
  assert.equal(toDepth.length, 10);
  assert.equal(toSemseg.length, 10);
  for (const f of toDepth) assert.equal(f.switchOverheadBytes, routers + depthHead);
  for (const f of toSemseg) assert.equal(f.switchOverheadBytes, routers + semsegHead);
  assert.equal(run.totals.coldStartBytes, routers + semsegHead);
  assert.equal(run.totals.switchOverheadBytes, 10 * (routers + depthHead) + 10 * (routers + semsegHead));
  // The switch loads sit in front of the frame's first weight loads on the one port: they cost time.
  for (const f of toDepth) assert.ok(f.switchOverheadCycles > 0);
  const same = run.frames.filter((f) => f.previousTask === f.task);
  assert.equal(same.length, 9);
  for (const f of same) assert.deepEqual([f.switchOverheadCycles, f.switchOverheadBytes], [0, 0]);
  // Overhead cycles are exactly the difference to the task's steady-state frame.
  const steady = frameLatency({ design: edgeMoeDesign(), task: 'depth', target: 'zcu102', strategy: 'all_resident' }).cycles;
  const switched = frameLatency({ design: edgeMoeDesign(), task: 'depth', target: 'zcu102', strategy: 'all_resident', previousTask: 'semseg' }).cycles;
  assert.equal(toDepth[0].switchOverheadCycles, switched - steady);
});

test('frames release at i/fps, start when released and the previous frame is done, and meet or miss 1/fps', () => {
  const d = edgeMoeDesign();
  const r = simulateScenario(d, 'drive');
  const period = 1 / 25;
  const ebe = r.runs.find((x) => x.strategy === 'expert_by_expert')!;
  const latency = frameLatency({ design: d, task: 'semseg', target: 'zcu102', strategy: 'expert_by_expert' }).seconds;
  assert.ok(latency < period, 'Edge-MoE at ~35 ms (measured 34.64 ms) fits a 40 ms frame');
  ebe.frames.forEach((f, i) => {
    assert.ok(Math.abs(f.release - i * period) < 1e-12);
    assert.equal(f.start, f.release);
    assert.ok(f.met);
  });
  assert.equal(ebe.totals.missed, 0);
  // token_by_token (~125 ms) is slower than a frame period: from frame 1 on, frames run back to back and all miss.
  const tbt = r.runs.find((x) => x.strategy === 'token_by_token')!;
  assert.ok(tbt.frames[0].latency > period);
  for (let i = 1; i < tbt.frames.length; i++) assert.equal(tbt.frames[i].start, tbt.frames[i - 1].end);
  assert.equal(tbt.totals.missed, 30);
});

test('scenario energy: frames cost their analytical energy, idle time static power; switches add only under all_resident', () => {
  const d = edgeMoeDesign();
  const r = simulateScenario(d, 'drive');
  for (const run of r.runs) {
    const e = run.energy;
    assert.equal(e.frameJ.length, 30);
    assert.ok(Math.abs(e.activeJ - e.frameJ.reduce((a, b) => a + b, 0)) < 1e-12);
    const busy = run.frames.reduce((a, f) => a + f.latency, 0);
    const span = Math.max(run.totals.endSeconds, 30 / 25);
    assert.ok(Math.abs(e.idleJ - 2.5 * (span - busy)) < 1e-9);
    if (run.strategy === 'all_resident') assert.ok(e.switchJ > 0);
    else assert.equal(e.switchJ, 0);
  }
});

test('unknown scenario, target or strategy and a scenario naming an unknown task are clear errors', () => {
  const d = edgeMoeDesign();
  assert.throws(() => simulateScenario(d, 'city'), (e: unknown) => e instanceof ScheduleRequestError && /unknown scenario 'city'; scenarios: drive/.test(e.message));
  assert.throws(() => simulateScenario(d, 'drive', { target: 'u50' }), /unknown target 'u50'; targets: zcu102/);
  assert.throws(() => simulateScenario(d, 'drive', { strategy: 'lazy' as never }), /strategies: all_resident, token_by_token, expert_by_expert/);
  d.scenarios[0].frames.push('normals');
  assert.throws(() => simulateScenario(d, 'drive'), /names unknown task 'normals'; tasks: semseg, depth/);
});

test('property: on random designs, overhead is zero without a switch and zero for the streaming strategies', () => {
  fc.assert(
    fc.property(designArb, (design) => {
      const r = simulateScenario(design, 'mix', { target: 'fpga' });
      for (const run of r.runs) {
        for (const f of run.frames) {
          if (f.previousTask === f.task || run.strategy !== 'all_resident') assert.deepEqual([f.switchOverheadCycles, f.switchOverheadBytes], [0, 0]);
          else assert.ok(f.switchOverheadBytes > 0 && f.switchOverheadCycles >= 0);
          assert.ok(f.start >= f.release && f.end > f.start);
          assert.equal(f.met, f.end <= f.deadline + 1e-12);
        }
      }
    }),
    { numRuns: 60 },
  );
});
