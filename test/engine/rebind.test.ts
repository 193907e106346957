/**
 * Rebinding arrays between BRAM and URAM when the largest-first binding overflows one kind (engine/memory/rebind.ts).
 * Expected values by hand from UG573 geometries, and against a brute force over every binding of small random sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rebindToFit, type BindableArray } from '../../engine/memory/rebind';
import { mapToBram, mapToUram } from '../../engine/memory/blocks';
import { mulberry32 } from '../../engine/random';

function inBram(depth: number, widthBits: number, banks = 1): BindableArray {
  const m = mapToBram(depth, widthBits);
  return { banks, depth, widthBits, mapping: { ...m, blocks: m.blocks * banks, capacityBits: m.capacityBits * banks } };
}

test('two 4096 × 72 arrays in 10 BRAM36 + 2 URAM: one moves to URAM (BRAM 8 of 10, URAM 1 of 2)', () => {
  // 4096 × 72 bit: BRAM 512×72 → ⌈4096/512⌉·1 = 8 blocks; URAM 4K×72 → 1 block. Both in BRAM need 16 > 10.
  const arrays = [inBram(4096, 72), inBram(4096, 72)];
  assert.equal(arrays[0].mapping.blocks, 8);
  const out = rebindToFit(arrays, { bram36: 10, uram: 2 })!;
  assert.ok(out);
  const kinds = out.map((m) => m.kind).sort();
  // One in each: max(8/10, 1/2) = 0.8 beats both in URAM: max(0, 2/2) = 1.
  assert.deepEqual(kinds, ['bram', 'uram']);
  assert.equal(out.find((m) => m.kind === 'uram')!.blocks, 1);
});

test('no binding fits: undefined (the greedy overflow stays visible); no URAM on the part: undefined', () => {
  assert.equal(rebindToFit([inBram(4096, 72), inBram(4096, 72)], { bram36: 4, uram: 1 }), undefined);
  assert.equal(rebindToFit([inBram(4096, 72)], { bram36: 4, uram: 0 }), undefined);
});

test('registers and LUTRAM are never rebound', () => {
  const lut: BindableArray = { banks: 1, depth: 32, widthBits: 64, mapping: { kind: 'lutram', blocks: 0, luts: 64, shape: 'LUTRAM 32×64', capacityBits: 0 } };
  const out = rebindToFit([lut, inBram(4096, 72), inBram(4096, 72)], { bram36: 10, uram: 2 })!;
  assert.equal(out[0], lut.mapping);
});

test('random sets: the rebinding fits and its larger utilisation equals the best of a brute force over all bindings', () => {
  const next = mulberry32(7);
  const rnd = { next };
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(rnd.next() * 8);
    const arrays: BindableArray[] = [];
    for (let i = 0; i < n; i++) {
      const depth = 65 + Math.floor(rnd.next() * 9000);
      const width = 1 + Math.floor(rnd.next() * 600);
      arrays.push(inBram(depth, width, 1 + Math.floor(rnd.next() * 3)));
    }
    const cap = { bram36: 5 + Math.floor(rnd.next() * 200), uram: 1 + Math.floor(rnd.next() * 20) };
    let best = Infinity;
    for (let mask = 0; mask < 1 << n; mask++) {
      let b = 0;
      let u = 0;
      arrays.forEach((a, i) => {
        if (mask & (1 << i)) u += mapToUram(a.depth, a.widthBits).blocks * a.banks;
        else b += mapToBram(a.depth, a.widthBits).blocks * a.banks;
      });
      if (b <= cap.bram36 && u <= cap.uram) best = Math.min(best, Math.max(b / cap.bram36, u / cap.uram));
    }
    const out = rebindToFit(arrays, cap);
    if (best === Infinity) {
      assert.equal(out, undefined, `trial ${trial}: nothing fits`);
      continue;
    }
    assert.ok(out, `trial ${trial}: a binding fits`);
    const b = out.filter((m) => m.kind === 'bram').reduce((s, m) => s + m.blocks, 0);
    const u = out.filter((m) => m.kind === 'uram').reduce((s, m) => s + m.blocks, 0);
    assert.ok(b <= cap.bram36 && u <= cap.uram, `trial ${trial}: fits`);
    assert.ok(Math.abs(Math.max(b / cap.bram36, u / cap.uram) - best) < 1e-12, `trial ${trial}: optimal`);
  }
});
