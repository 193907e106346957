/** The scatter's point sample (language/src/server/exploreSample.ts): bottom-k by hash, order-free, bounded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashIndex, PointSampler, pointColumns, writtenChoices } from '../../language/src/server/exploreSample';
import { makeSpace } from '../../engine/explore/space';
import type { ExploreSpec } from '../../engine/explore/spec';
import type { PointOutcome } from '../../engine/explore/evaluate';

const evaluated = (i: number, failed: number[] = []): PointOutcome => ({ kind: 'evaluated', objectives: [i, -i], failed, violation: failed.length });

/** A seeded shuffle (mulberry32), so the test is the same every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('hashIndex is a deterministic 32-bit hash that mixes both words of large indices', () => {
  assert.equal(hashIndex(12345), hashIndex(12345));
  for (const i of [0, 1, 2, 2 ** 32, 2 ** 32 + 1, 1e12]) {
    const h = hashIndex(i);
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32, `hash of ${i} in [0, 2^32)`);
  }
  assert.notEqual(hashIndex(5), hashIndex(2 ** 32 + 5), 'the high word changes the hash');
  const distinct = new Set(Array.from({ length: 10_000 }, (_, i) => hashIndex(i)));
  assert.ok(distinct.size > 9_990, `few collisions among 10,000 consecutive indices (${distinct.size} distinct)`);
});

test('the sample is the k lowest (hash, index) points, whatever order the points arrive in', () => {
  const n = 3_000;
  const k = 200;
  // From the definition: sort every index by (hash, index) and take the first k.
  const expected = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => hashIndex(a) - hashIndex(b) || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
  for (const seed of [1, 2, 3]) {
    const sampler = new PointSampler(k);
    for (const i of shuffled(Array.from({ length: n }, (_, i) => i), seed)) sampler.offer(i, evaluated(i));
    assert.deepEqual(sampler.kept().map((p) => p.index), expected, `arrival order ${seed}`);
    assert.equal(sampler.evaluated, n);
  }
});

test('fewer points than k keeps them all; skipped points are neither kept nor counted', () => {
  const sampler = new PointSampler(100);
  for (let i = 0; i < 30; i++) sampler.offer(i, i % 3 === 0 ? { kind: 'skipped', rule: 'top_k' as never } : evaluated(i));
  assert.equal(sampler.evaluated, 20);
  assert.deepEqual(sampler.kept().map((p) => p.index), Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 !== 0));
  const none = new PointSampler(0);
  none.offer(1, evaluated(1));
  assert.equal(none.kept().length, 0);
});

test('pointColumns: the front first (exact, status 0), then the sample without front points, failing ones with their budgets', () => {
  const spec = {
    name: 's',
    target: 't',
    axes: [
      { key: 'clock', choices: [{ text: '100 MHz' }, { text: '200 MHz' }] },
      { key: 'experts', choices: [{ text: '8' }, { text: '16' }, { text: '32' }] },
    ],
    objectives: [{ label: 'a' }, { label: 'b' }],
  } as unknown as ExploreSpec;
  const space = makeSpace(spec);
  // Enumeration order: the model key (experts) slowest, clock fastest: index = experts * 2 + clock.
  assert.deepEqual(writtenChoices(space, 5), [1, 2], 'index 5 = experts 32 (choice 2), clock 200 MHz (choice 1), written order clock first');
  const sampler = new PointSampler(10);
  for (let i = 0; i < 6; i++) sampler.offer(i, evaluated(i + 0.123456789, i === 4 ? [1] : []));
  const cols = pointColumns(space, [{ index: 2, objectives: [2.123456789, -2.123456789] }], sampler);
  assert.equal(cols.stride, 2 + 2 + 2);
  assert.equal(cols.shown, 6);
  assert.deepEqual(cols.rows.slice(0, 6), [2, 0, 0, 1, 2.123456789, -2.123456789], 'front row: exact objectives');
  const rowOf = (n: number) => cols.rows.slice(n * 6, n * 6 + 6);
  assert.deepEqual(rowOf(1), [0, 1, 0, 0, 0.123457, -0.123457], 'sampled row: 6 significant digits');
  const failingRow = [1, 2, 3, 4, 5].findIndex((n) => rowOf(n)[0] === 4) + 1;
  assert.equal(rowOf(failingRow)[1], 2, 'point 4 fails a budget');
  assert.deepEqual(cols.failed[failingRow], [1]);
  assert.ok(![1, 2, 3, 4, 5].some((n) => rowOf(n)[0] === 2), 'the front point is not repeated in the sample');
});
