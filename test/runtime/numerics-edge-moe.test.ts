/**
 * The committed measurement of Edge-MoE's number formats on the real frame (samples/traces/edge-moe-frame0-numerics.json,
 * written by scripts/edge-moe-numerics.ts) is what the fixture gives today. Skips, saying why, without ../shared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureEdgeMoeNumerics, resultPath } from '../../scripts/edge-moe-numerics';

const fixture = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'edge-moe', 'weights');
const skip = existsSync(fixture) ? false : `the Edge-MoE fixture ${fixture} is absent`;

test('Edge-MoE numerics on the real frame: recomputed equal to the committed figures; its own types keep the routing', { skip }, async () => {
  const results = await measureEdgeMoeNumerics();
  assert.deepEqual(results, JSON.parse(readFileSync(resultPath, 'utf8')));
  for (const r of results.filter((r) => r.mode === 'edge-moe')) {
    // Edge-MoE's per-tensor types: a few flips at most, sub-percent token error.
    assert.ok(r.layer1_flips <= 5 && r.layer0_tokens_rel_l2 < 0.01, JSON.stringify(r));
  }
  for (const r of results.filter((r) => r.mode === 'declared')) {
    // Every weight fixed<16,2> (range ±2): the real biases (up to 7.4) wrap, and the model is lost.
    assert.ok(r.layer1_flips > 64, JSON.stringify(r));
  }
});
