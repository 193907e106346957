/** `m3v export-onnx` in-process: a seeded export runs in onnxruntime-node; weights problems are named, nothing written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { runCli } from '../fixtures/runCli';

const root = resolve(__dirname, '..', '..');
const sample = join(root, 'samples', 'edge-moe-zcu102.m3v');
const fixture = resolve(root, '..', 'shared', 'fixtures', 'edge-moe', 'weights');

test('a seeded export of the Edge-MoE sample loads in onnxruntime with its routing and head outputs', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'm3v-export-')), 'edge.onnx');
  const r = await runCli(['export-onnx', sample, '-o', out, '--seed', '3']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /edge\.onnx: \d+\.\d\d MiB, ONNX opset 17, inputs image \[3, 128, 256\] and task \(0\.\.1: semseg, depth\)/);
  const session = await ort.InferenceSession.create(readFileSync(out), { intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    assert.deepEqual(
      session.outputNames,
      [
        'features',
        ...[1, 3, 5, 7, 9, 11].flatMap((l) => [`topk_experts_${l}`, `topk_scores_${l}`]),
        ...['semseg', 'depth'].flatMap((t) => [`head_${t}`, `prediction_${t}`]),
      ],
    );
  } finally {
    await session.release();
  }
});

test('export-onnx: usage errors are one line with exit 2', async () => {
  assert.equal((await runCli(['export-onnx', sample])).code, 2);
  const notFolder = await runCli(['export-onnx', sample, '-o', join(tmpdir(), 'x.onnx'), '--weights', sample]);
  assert.equal(notFolder.code, 2);
  assert.match(notFolder.err, /^m3v export-onnx: --weights '.*' is not a folder\n$/);
  const badSeed = await runCli(['export-onnx', sample, '-o', join(tmpdir(), 'x.onnx'), '--seed', '-1']);
  assert.match(badSeed.err, /--seed must be a whole number/);
});

test('the partial Edge-MoE weights are refused by name: the 12 missing expert matrices, and nothing is written', { skip: !existsSync(fixture) }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'm3v-export-')), 'real.onnx');
  const r = await runCli(['export-onnx', sample, '-o', out, '--weights', fixture]);
  assert.equal(r.code, 2);
  assert.match(r.err, /lack 12 tensor\(s\) the design needs: l1_htoh4_weight, l1_h4toh_weight, l3_htoh4_weight/);
  assert.equal(existsSync(out), false);
});
