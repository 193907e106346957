// The one formatter every face uses (engine/units.ts): IEC sizes, the micro sign, SI prefixes with thousands
// separators. Expected strings are written by hand from the definitions (1 MiB = 2^20 B, 1 T = 10^12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAxisSeconds, formatBlocks, formatBytes, formatCount, formatCycles, formatInteger, formatJoules, formatPercent, formatSeconds, sig3 } from '../../../engine/units';

test('times use s, ms, µs and ns — never "us"', () => {
  assert.equal(formatSeconds(512e-6), '512 µs');
  assert.equal(formatSeconds(3.5e-6), '3.50 µs');
  assert.equal(formatSeconds(0.0125), '12.5 ms');
  assert.equal(formatSeconds(40e-9), '40.0 ns');
  assert.equal(formatSeconds(3.06), '3.06 s');
  assert.equal(formatJoules(2e-6), '2.00 µJ');
  for (const s of [1e-7, 1e-6, 5e-5, 1e-4]) assert.doesNotMatch(formatSeconds(s), /\bus\b/);
});

test('counts take the next SI prefix instead of "4340 G"; past the last prefix they get thousands separators', () => {
  assert.equal(formatCount(4.34e12), '4.34 T');
  assert.equal(formatCount(83.8e9), '83.8 G');
  assert.equal(formatCount(296_000), '296 k');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(2.5e15), '2.50 P');
  assert.equal(formatCount(12_345e15), '12,345 P');
  assert.equal(sig3(12_300), '12,300');
});

test('binary sizes are IEC (KiB, MiB, GiB, TiB): 2^20 B is 1.00 MiB, not 1.05 MB', () => {
  assert.equal(formatBytes(2 ** 20), '1.00 MiB');
  assert.equal(formatBytes(1449032), '1.38 MiB'); // 1,449,032 / 1,048,576 = 1.3819
  assert.equal(formatBytes(11.2 * 2 ** 30), '11.2 GiB');
  assert.equal(formatBytes(3 * 2 ** 40), '3.00 TiB');
  assert.equal(formatBytes(512), '512 B');
});

test('integers and cycles are grouped by thousands', () => {
  assert.equal(formatInteger(222655), '222,655');
  assert.equal(formatCycles(918393224), '918,393,224 cycles');
  assert.equal(formatInteger(12.6), '13');
  assert.equal(formatBlocks(320.5), '320.5');
  assert.equal(formatBlocks(3509), '3,509');
});

test('thousands separators by hand agree with en-US grouping: negatives, decimals, huge values', () => {
  for (const n of [0, 7, 999, 1000, -1000, 65_536, -1_234_567, 9_007_199_254_740_991]) assert.equal(formatInteger(n), n.toLocaleString('en-US'));
  for (const p of [0, 12.34, 1783.66, -2500.04, 123_456.7]) assert.equal(formatPercent(p), `${p.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`);
  for (const b of [0.5, 320.5, 3509, 12_345.5]) assert.equal(formatBlocks(b), b.toLocaleString('en-US', { maximumFractionDigits: 1 }));
  // Past 1e21 String() writes an exponent; it is left whole rather than split by commas.
  assert.equal(formatInteger(1e21), '1e+21');
});

test('formatAxisSeconds: the unit and decimals follow the ticks spacing, so ticks of a narrow window stay distinct', () => {
  // A 13 µs window 4.42 ms into a frame, ticks 2 µs apart: µs with one decimal, thousands separated.
  assert.equal(formatAxisSeconds(4.4205e-3, 2e-6), '4,420.5 µs');
  assert.equal(formatAxisSeconds(4.4225e-3, 2e-6), '4,422.5 µs');
  // The whole Edge-MoE frame, ticks 6.67 ms apart: ms with one decimal (the step to two significant digits).
  assert.equal(formatAxisSeconds(6.6667e-3, 6.6667e-3), '6.7 ms');
  assert.equal(formatAxisSeconds(0.02, 6.6667e-3), '20.0 ms');
  // Ticks 50 ms apart: no decimals; ticks 0.25 s apart: seconds with two; 0.5 ns apart: ns with two (0.50 to two digits).
  assert.equal(formatAxisSeconds(0.15, 0.05), '150 ms');
  assert.equal(formatAxisSeconds(1.25, 0.25), '1.25 s');
  assert.equal(formatAxisSeconds(12.5e-9, 0.5e-9), '12.50 ns');
  // One tick (no spacing): the plain three-significant-digit form.
  assert.equal(formatAxisSeconds(4.42e-3, 0), formatSeconds(4.42e-3));
});
