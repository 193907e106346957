/** Budget evaluation: values, limits, pass/fail, the within-10 % warning and the numbers a message needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appliesTo, budgetVerdict, evaluateBudgets, type TargetFacts } from '../../engine/budgets';
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

test('budgetVerdict (the explorer\'s text-free path) gives evaluateBudget\'s verdict and value for every metric, op and edge', () => {
  // Every metric in each unit it accepts, every comparison, limits below, at and above the facts' values, a named task
  // that is missing, and a lower bound that makes a latency/fps budget impossible.
  const withBound: TargetFacts = { ...facts, tasks: facts.tasks.map((t) => ({ ...t, boundSeconds: t.seconds * 0.8, boundKind: 'memory' as const })) };
  const limits: [Budget['metric'], Budget['limit']['kind'], number[], string?][] = [
    ['latency', 'seconds', [0.02, 0.03, 0.036, 0.045, 0.05]],
    ['latency', 'seconds', [0.03, 0.05], 'semseg'],
    ['latency', 'seconds', [0.03], 'missing'],
    ['fps', 'fps', [20, 22.222222222222225, 30, 40]],
    ['energy', 'joules', [0.1, 0.12, 0.2], undefined],
    ['energy', 'joules', [0.1], 'depth'],
    ['traffic', 'bytes', [140e6, 150e6, 160e6]],
    ['onchip', 'percent', [75, 81.2, 90]],
    ['onchip', 'bytes', [2e6, 3e6, 4e6]],
    ['dsp', 'percent', [30, 35.5, 40]],
    ['bram', 'percent', [81.2, 90]],
    ['uram', 'percent', [0, 1]],
    ['lut', 'percent', [50]],
  ];
  let compared = 0;
  for (const f of [facts, withBound]) {
    for (const [metric, kind, values, task] of limits) {
      for (const value of values) {
        for (const op of ['<', '<=', '>', '>='] as const) {
          const b = budget({ metric, op, limit: { kind, value }, task });
          const [full] = evaluateBudgets([b], [f]);
          const fast = budgetVerdict(b, f);
          assert.equal(fast.ok, full.ok, `${metric} ${op} ${value} ${task ?? ''}: ok`);
          assert.equal(fast.value, full.value, `${metric} ${op} ${value} ${task ?? ''}: value`);
          compared++;
        }
      }
    }
  }
  // The bound case really is exercised: with the bound, a latency limit below 0.8 × 45 ms is impossible, and an
  // evaluation that would pass without it (none here: it is below the value too) fails either way.
  const impossible = evaluateBudgets([budget({ metric: 'latency', op: '<', limit: { kind: 'seconds', value: 0.02 } })], [withBound])[0];
  assert.ok(impossible.impossible, 'the bound makes 20 ms impossible');
  assert.ok(compared > 200, `${compared} comparisons`);
});

test('appliesTo: a budget with no target constrains every target; one with a target only that one', () => {
  const b = budget({ metric: 'dsp', op: '<', limit: { kind: 'percent', value: 90 } });
  assert.equal(appliesTo(b, 'zcu102'), true);
  assert.equal(appliesTo({ ...b, target: 'zcu102' }, 'zcu102'), true);
  assert.equal(appliesTo({ ...b, target: 'zcu104' }, 'zcu102'), false);
});
