import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- plain .mjs helper of the e2e suite, without type declarations
import { lensNumbersInReport } from '../../e2e/lens-vs-report.mjs';

const report = { tasks: [{ macs: 1_234_000_000, flops: 2_468_000_000, latency_s: 0.0184, energy_j: 0.0421, reduction: 0.6245 }], onchip_bytes: 955_392 };

test('every lens figure found in the report passes, to display precision', () => {
  const lenses = ['1.23 GMAC (2.47 GFLOP) · 18.4 ms on zcu102 · 42.1 mJ · 62.5 % fewer MACs than dense MTL', 'on-chip 933 KiB'];
  assert.deepEqual(lensNumbersInReport(lenses, report), []);
});

test('a figure the report does not contain is reported', () => {
  const missing = lensNumbersInReport(['1.24 GMAC · 18.9 ms'], report);
  assert.equal(missing.length, 2);
  assert.match(missing[0], /^1\.24 G/);
  assert.match(missing[1], /^18\.9 ms/);
});

test('a negative reduction shown as "% more" matches its magnitude', () => {
  const more = { tasks: [{ reduction: -0.00301 }] };
  assert.deepEqual(lensNumbersInReport(['0.301 % more MACs than dense MTL'], more), []);
  assert.equal(lensNumbersInReport(['0.402 % more MACs than dense MTL'], more).length, 1);
});

test('µs, T prefixes and thousands separators (engine/units.ts since issue 15) are read, not skipped', () => {
  const r = { latency_s: 512e-6, macs: 4.34e12, cycles: 12_300 };
  assert.deepEqual(lensNumbersInReport(['512 µs · 4.34 TMAC · 12,300 s'], r), []);
  assert.deepEqual(lensNumbersInReport(['513 µs · 4.35 TMAC · 12,400 s'], r).map((m: string) => m.split(' (')[0]), ['513 µs', '4.35 T', '12,400 s']);
});
