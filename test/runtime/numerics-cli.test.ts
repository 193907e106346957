/**
 * `m3v run --numerics`: the JSON the Run panel reads (its numerics toggle), the text report, and the bad-input errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runViewFromCliJson } from '../../extension/runResult';
import { runCli } from '../fixtures/runCli';
import { smallMoeDesignText } from '../fixtures/smallMoeText';

const design = (weights: string) => smallMoeDesignText({ name: 'tiny', input: '3 x 32 x 32', dim: 16, depth: 2, layers: '[1]', hidden: 8, classes: 3, weights, acts: 'fixed<32,10>' });
const dir = mkdtempSync(join(tmpdir(), 'm3v-numerics-'));
const file = join(dir, 'tiny.m3v');
writeFileSync(file, design('fixed<8,2>'));

test('m3v run --numerics declared --json: the comparison beside the float32 run, read by the Run panel', async () => {
  const r = await runCli(['run', file, '--task', 'seg', '--numerics', 'declared', '--json']);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.numerics.mode, 'declared');
  assert.equal(json.numerics.formats, 'target board: weights fixed<8,2>, acts fixed<32,10>');
  assert.deepEqual(json.numerics.layers.map((l: { layer: number }) => l.layer), [0, 1]);
  assert.ok(json.numerics.layers.every((l: { rel_l2: number }) => l.rel_l2 > 0));
  assert.deepEqual(json.numerics.routing.map((l: { layer: number; tokens: number }) => [l.layer, l.tokens]), [[1, 5]]);
  assert.equal(json.numerics.prediction.kind, 'argmax');
  assert.equal(json.numerics.prediction.pixels, 32 * 32);
  const view = runViewFromCliJson(r.out);
  assert.ok(typeof view !== 'string');
  assert.equal(view.numericsMode, 'declared');
  assert.equal(view.numerics!.layers.length, 2);
  assert.match(view.numerics!.prediction!, /^arg-max class agrees on \d+\.\d\d% of pixels$/);
  // A regression head: relative error.
  const depth = JSON.parse((await runCli(['run', file, '--task', 'depth', '--numerics', 'declared', '--json'])).out);
  assert.equal(depth.numerics.prediction.kind, 'regression');
  assert.ok(depth.numerics.prediction.rel_error > 0);
  // Float32 (the default): no comparison, and the panel shows its toggle off.
  const plain = await runCli(['run', file, '--task', 'seg', '--json']);
  assert.equal(JSON.parse(plain.out).numerics, undefined);
  const plainView = runViewFromCliJson(plain.out);
  assert.ok(typeof plainView !== 'string' && plainView.numericsMode === 'float32' && plainView.numerics === undefined);
});

test('m3v run --numerics: the text report names the formats, the per-block error and the flips', async () => {
  const r = await runCli(['run', file, '--task', 'seg', '--numerics', 'edge-moe']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /numerics: Edge-MoE's types \(datatypes\.hpp\)/);
  assert.match(r.out, /tokens, relative L2 per block: 0: \d\.\d\de-\d+, 1: /);
  assert.match(r.out, /layer 1: \d+ of 5 tokens changed their top-k expert set/);
});

test('bad numerics input: an unknown mode, a format the runtime cannot emulate, an unknown target, one line each, exit 2', async () => {
  const oneLine = (r: { code: number; err: string }, pattern: RegExp) => {
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, pattern);
  };
  oneLine(await runCli(['run', file, '--task', 'seg', '--numerics', 'fixed']), /^m3v run: --numerics must be one of float32, declared, edge-moe, got 'fixed'$/m);
  const wide = join(dir, 'wide.m3v');
  writeFileSync(wide, design('fixed<64,8>'));
  oneLine(await runCli(['run', wide, '--task', 'seg', '--numerics', 'declared']), /cannot emulate the weights format fixed<64,8>: the runtime emulates fixed<W,I> for 1 ≤ W ≤ 53 bits/);
  oneLine(await runCli(['run', file, '--task', 'seg', '--numerics', 'declared', '--target', 'zcu9']), /unknown target 'zcu9'; targets: board/);
  oneLine(await runCli(['run', file, '--task', 'seg', '--numerics', 'declared', '--int8-scales', 'row']), /--int8-scales must be 'per-channel' or 'per-tensor', got 'row'/);
});
