/** Budget evaluation: values, limits, pass/fail, the within-10 % warning and the numbers a message needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBudgets, type TargetFacts } from '../../engine/budgets';
import type { Budget } from '../../engine/design';

const span = { start: 0, end: 0 };
const facts: TargetFacts = {
  target: 'zcu102',
  strategy: 'expert_by_expert',
  onchipPercent: 81.2,
  onchipBytes: 3_000_000,
  dspPercent: 35.5,
  bramPercent: 81.2,
  uramPercent: 0,
  tasks: [
    { task: 'semseg', seconds: 0.045, energyJ: 0.1, trafficBytes: 150e6 },
    { task: 'depth', seconds: 0.03, energyJ: 0.12, trafficBytes: 140e6 },
  ],
};

function budget(b: Partial<Budget> & Pick<Budget, 'metric' | 'op' | 'limit'>): Budget {
  return { text: `${b.metric} …`, span, ...b };
}

test('on-chip share over the limit fails with the message numbers', () => {
  const [r] = evaluateBudgets([budget({ metric: 'onchip', op: '<', limit: { kind: 'percent', value: 75 } })], [facts]);
  assert.equal(r.ok, false);
  assert.equal(r.value, 81.2);
  assert.equal(r.limit, 75);
  assert.equal(r.summary, 'on-chip 81.2 % of BRAM+URAM exceeds the 75 % budget');
});

test('within 10 % of an upper limit warns; far below does not', () => {
  const near = evaluateBudgets([budget({ metric: 'onchip', op: '<', limit: { kind: 'percent', value: 85 } })], [facts])[0];
  assert.equal(near.ok, true);
  assert.equal(near.warning, true); // 81.2 ≥ 0.9 × 85 = 76.5
  const far = evaluateBudgets([budget({ metric: 'dsp', op: '<', limit: { kind: 'percent', value: 90 } })], [facts])[0];
  assert.equal(far.ok, true);
  assert.equal(far.warning, false);
});

test('latency of a named task, of the worst task, and fps of the slowest task', () => {
  const [named, worst, fps] = evaluateBudgets(
    [
      budget({ metric: 'latency', task: 'depth', op: '<', limit: { kind: 'seconds', value: 0.04 } }),
      budget({ metric: 'latency', op: '<', limit: { kind: 'seconds', value: 0.04 } }),
      budget({ metric: 'fps', op: '>=', limit: { kind: 'fps', value: 25 } }),
    ],
    [facts],
  );
  assert.equal(named.task, 'depth');
  assert.equal(named.ok, true);
  assert.equal(named.warning, false); // 30 ms < 36 ms
  assert.equal(worst.task, 'semseg');
  assert.equal(worst.ok, false);
  assert.equal(worst.summary, 'latency of semseg 45.0 ms exceeds the 40.0 ms budget');
  assert.ok(Math.abs(fps.value! - 1 / 0.045) < 1e-9); // 22.2 FPS
  assert.equal(fps.ok, false);
  assert.match(fps.summary, /is below the 25\.0 FPS budget/);
});

test('a lower bound met within 10 % warns', () => {
  const [r] = evaluateBudgets([budget({ metric: 'fps', op: '>=', limit: { kind: 'fps', value: 21 } })], [facts]);
  assert.equal(r.ok, true);
  assert.equal(r.warning, true); // 22.2 ≤ 1.1 × 21 = 23.1
});

test('energy picks the worst task; traffic and on-chip bytes; LUT is not estimated', () => {
  const [energy, traffic, bytes, lut] = evaluateBudgets(
    [
      budget({ metric: 'energy', op: '<', limit: { kind: 'joules', value: 0.15 } }),
      budget({ metric: 'traffic', op: '<', limit: { kind: 'bytes', value: 100e6 } }),
      budget({ metric: 'onchip', op: '<', limit: { kind: 'bytes', value: 4e6 } }),
      budget({ metric: 'lut', op: '<', limit: { kind: 'percent', value: 80 } }),
    ],
    [facts],
  );
  assert.equal(energy.task, 'depth');
  assert.equal(energy.value, 0.12);
  assert.equal(energy.ok, true);
  assert.equal(traffic.ok, false);
  assert.equal(bytes.value, 3_000_000);
  assert.equal(bytes.ok, true);
  assert.equal(lut.ok, undefined);
  assert.equal(lut.value, undefined);
});

test('a budget for one target is evaluated only against that target', () => {
  const other: TargetFacts = { ...facts, target: 'kv260' };
  const results = evaluateBudgets(
    [budget({ metric: 'dsp', target: 'kv260', op: '<', limit: { kind: 'percent', value: 50 } }), budget({ metric: 'dsp', op: '<', limit: { kind: 'percent', value: 50 } })],
    [facts, other],
  );
  assert.deepEqual(results.map((r) => r.target), ['kv260', 'zcu102', 'kv260']);
});

test('byte budgets are reported in the decimal units they are written in', () => {
  const [r] = evaluateBudgets([budget({ metric: 'traffic', op: '<', limit: { kind: 'bytes', value: 64e6 } })], [facts]);
  assert.equal(r.summary, 'off-chip traffic per frame (semseg) 150 MB exceeds the 64.0 MB budget');
});
