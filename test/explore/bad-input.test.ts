/**
 * Bad explore blocks get one located message each (file text offsets → the word at fault); documented behaviours:
 * a space over 10^6 points is searched (an info diagnostic says so, the result says mode 'search' with the points
 * evaluated), one over 10^12 is refused with the count and a suggestion, a target with no budget gives the front over
 * every point.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { explore } from '../../engine/explore/index';
import { SAMPLES } from './helpers';

const BASE = readFileSync(join(SAMPLES, 'edge-moe-zcu102.m3v'), 'utf8').replace(/\nexplore [\s\S]*$/, '\n');

function problems(block: string) {
  const text = BASE + block;
  return analyzeDocument(text).diagnostics.map((d) => ({ code: d.code, severity: d.severity, at: text.slice(d.span.start, d.span.end), message: d.message }));
}

const cases: [string, string, string, RegExp][] = [
  ['an empty list', 'explore e { vary experts []; minimize latency }', '[]', /'vary experts' gives no value \(the list is empty\)/],
  ['an empty range', 'explore e { vary dim 384 .. 192; minimize latency }', '384 .. 192', /low end 384 is above the high end 192/],
  ['nothing varied', 'explore e { minimize latency }', 'e', /varies nothing/],
  ['a key that cannot vary', 'explore e { vary bandwidth [10 GB/s]; minimize latency }', 'bandwidth', /'bandwidth' cannot vary: it is not a key of the design space; keys that can: experts/],
  ['an unknown key', 'explore e { vary expertz [4]; minimize latency }', 'expertz', /'expertz' cannot vary/],
  ['a value of the wrong unit', 'explore e { vary clock [200 MHz, 19.2 GB/s]; minimize latency }', '19.2 GB/s', /expected a frequency, got 19.2 GB\/s/],
  ['a missing unit', 'explore e { vary clock [200]; minimize latency }', '200', /needs a unit/],
  ['a duplicate vary', 'explore e { vary experts [4]; vary experts [8]; minimize latency }', 'experts', /'experts' is already varied on line/],
  ['a duplicate value', 'explore e { vary linear [16 x 16, 16x16]; minimize latency }', '16x16', /lists '16x16' twice/],
  ['an unknown task in an objective', 'explore e { vary experts [4]; minimize latency semsge }', 'semsge', /unknown task 'semsge' \(did you mean 'semseg'\?\)/],
  ['an unknown target', 'explore e { target zcu104; vary experts [4]; minimize latency }', 'zcu104', /unknown hardware target 'zcu104'/],
  ['a task on a whole-frame objective', 'explore e { vary experts [4]; minimize onchip semseg }', 'semseg', /whole-frame figure/],
  ['fps minimized', 'explore e { vary experts [4]; minimize fps }', 'fps', /'minimize' expects one of latency, energy, onchip, dsp, traffic, got 'fps'/],
  ['no objective', 'explore e { vary experts [4] }', 'e', /has no objective/],
  ['a range of a non-numeric key', 'explore e { vary linear 8 x 8 .. 32 x 32; minimize latency }', '..', /only a number or a clock takes a range/],
  ['a clock range without step', 'explore e { vary clock 100 MHz .. 300 MHz; minimize latency }', '100 MHz .. 300 MHz', /needs a step/],
  ['a huge range', 'explore e { vary clock 1 Hz .. 300 MHz step 1 Hz; minimize latency }', '1 Hz .. 300 MHz step 1 Hz', /300000000 values \(at most 100000\)/],
  ['a space over 10^12 points', 'explore e { vary clock 100 MHz .. 300 MHz step 10 kHz; vary experts 1 .. 1000; vary dim 1 .. 1000; vary heads 1 .. 100; maximize fps }', 'e', /has 2\.00e12 points, more than 10\^12: narrow a range or drop a key \(the largest is 'clock' with 20001 values\)/],
  ['a board key that is not part of the space', 'explore e { vary prefetch [on, off]; minimize latency }', 'prefetch', /'prefetch' cannot vary: it is not a key of the design space/],
  ['a weight buffer of the wrong unit', 'explore e { vary weight_buffer [whole, 64 MHz]; minimize latency }', '64 MHz', /expected a size, got 64 MHz/],
];

for (const [what, block, at, message] of cases) {
  test(`explore: ${what} gets one located error`, () => {
    const errors = problems(block).filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].at, at);
    assert.match(errors[0].message, message);
  });
}

test('a space of 10^12 points runs by search: an info diagnostic, then NSGA-II with the points evaluated', () => {
  // 80,000 clocks × 100 experts × 100 top_k × 10 depths × 5 × 5 × 5 = exactly 10^12 points.
  const block =
    'explore big { vary clock 100 MHz .. 299.9975 MHz step 2.5 kHz; vary experts 1 .. 100; vary top_k 1 .. 100; vary depth 1 .. 10; vary linear [8 x 8, 16 x 16, 32 x 16, 32 x 32, 64 x 32]; vary attention [2 x 8, 4 x 8, 8 x 8, 4 x 16, 8 x 16]; vary weights [fixed<16,2>, fixed<8,2>, int8, float16, fixed<12,2>]; maximize fps; minimize dsp }';
  const a = analyzeDocument(BASE + block);
  const info = a.diagnostics.filter((d) => d.code === 'explore-searched');
  assert.equal(info.length, 1);
  assert.match(info[0].message, /has 1\.00e12 points \(more than 10\^6\): it runs a seeded evolutionary search \(NSGA-II\)/);
  const r = explore(a.design!, { search: { evaluations: 600, population: 32 } });
  assert.equal(r.mode, 'search');
  assert.equal(r.search?.algorithm, 'NSGA-II');
  assert.ok(r.search!.evaluated <= 600 && r.search!.evaluated > 100);
  assert.equal(r.evaluated + r.skipped, r.search!.evaluated);
  assert.ok(r.skipped > 0, 'top_k > experts points are skipped and counted');
  assert.ok(r.notes.some((n) => n.includes('searched with NSGA-II')));
  const again = explore(a.design!, { search: { evaluations: 600, population: 32 } });
  assert.deepEqual(again.front, r.front, 'the same seed gives the same front');
});

test('a target with no budget: the front is over every evaluated point, and the result says so', () => {
  const text = BASE.replace(/budget zcu102 \{[^}]*\}/, '') + 'explore free { vary linear [8 x 8, 16 x 16, 32 x 32]; vary clock [200 MHz, 300 MHz]; minimize latency semseg; minimize dsp }';
  const a = analyzeDocument(text);
  assert.ok(a.design, JSON.stringify(a.diagnostics));
  const r = explore(a.design!);
  assert.equal(r.budgets.length, 0);
  assert.equal(r.failed_budgets, 0);
  assert.equal(r.feasible, r.evaluated);
  assert.ok(r.notes.some((n) => n.includes('has no budget')));
  // 300 MHz is faster at equal DSPs, so the front is the three arrays at 300 MHz.
  assert.deepEqual(r.front.map((p) => p.values), ['8 x 8', '16 x 16', '32 x 32'].map((l) => ({ linear: l, clock: '300 MHz' })));
});

test('points breaking a model rule are skipped and counted by rule', () => {
  const a = analyzeDocument(BASE + 'explore k { vary experts [2, 4]; vary top_k [1, 3]; vary heads [3, 5]; minimize latency }');
  const r = explore(a.design!);
  // experts 2 & top_k 3 breaks top_k ≤ experts; heads 5 breaks 192 % 5; both rules apply to 5 of the 8 points.
  assert.equal(r.points, 8);
  assert.equal(r.skipped, 5);
  assert.deepEqual(Object.fromEntries(r.skipped_by_rule.map((s) => [s.rule, s.points])), { 'dim-heads': 4, 'top-k-range': 1 });
});

test('mangled explore blocks never throw: the checker reports, and a block that checks runs', () => {
  const block = 'explore m {\n  vary linear [8 x 8, 16 x 16]\n  vary clock 200 MHz .. 300 MHz step 50 MHz\n  vary weights [fixed<16,2>, int8]\n  vary layers [odd, [1, 3]]\n  minimize latency semseg\n  maximize fps\n}\n';
  let state = 7;
  const rnd = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const alphabet = ' \n[],.<>x0123456789MHzfixedvarymin_';
  let ran = 0;
  for (let i = 0; i < 300; i++) {
    let text = block;
    for (let k = 0; k < 1; k++) {
      const at = Math.floor(rnd() * text.length);
      text = rnd() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + text.slice(at);
    }
    const a = analyzeDocument(BASE + text);
    for (const d of a.diagnostics) assert.ok(d.span.start >= 0 && d.span.end <= a.text.length && d.span.start <= d.span.end);
    const spec = a.design?.explores?.[0];
    if (spec && spec.axes.reduce((n, x) => n * x.choices.length, 1) <= 64) {
      explore(a.design!);
      ran++;
    }
  }
  assert.ok(ran > 5, `${ran} mangled blocks still checked and ran`);
});

test('units and weight_buffer vary; a buffer smaller than one tile of the arrays is skipped by its rule', () => {
  const a = analyzeDocument(BASE + 'explore w { vary linear [16 x 16, 32 x 32]; vary units [1, 2]; vary weight_buffer [whole, 1 KiB, 64 KiB]; minimize latency semseg; minimize onchip }');
  assert.ok(a.design, JSON.stringify(a.diagnostics.map((d) => d.message)));
  const r = explore(a.design!);
  assert.equal(r.points, 12);
  // One tile = inputs × outputs × units × 16 bit: 16·16·1·2 = 512 B, ·2 = 1 KiB, 32·32 = 2 KiB, ·2 = 4 KiB; so 1 KiB is
  // too small for the two 32 x 32 points (64 KiB and whole always fit).
  assert.deepEqual(Object.fromEntries(r.skipped_by_rule.map((s) => [s.rule, s.points])), { 'weight-buffer-small': 2 });
  assert.ok(r.front.length > 0);
});
