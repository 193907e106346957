import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOnnxFile, onnxCheckerSkip } from '../fixtures/onnxChecker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../model/onnx/proto';
import { buildMoeLayerModel, type MoeLayerWeights } from '../../model/onnx/moeLayer';
import { seededRandom, seededUniform } from '../../model/weights/seeded';
import { referenceMoeLayer } from '../../model/reference/moeLayer';
import { traceLayerFromTopK } from '../../model/onnx/traceFromOutputs';
import { expertCounts } from '../../engine/routing-trace';
import { relL2 } from '../fixtures/relL2';

function randomLayer(seed: number, shape: { tokens: number; dim: number; experts: number; topK: number; hidden: number; tasks: number }): MoeLayerWeights {
  const r = seededRandom(seed);
  const { dim: D, experts: E, hidden: H } = shape;
  const per = (n: number, s: number) => Array.from({ length: E }, () => seededUniform(r, n, s));
  return {
    ...shape,
    eps: 1e-6,
    lnGamma: Float32Array.from(seededUniform(r, D, 0.5), (v) => 1 + v),
    lnBeta: seededUniform(r, D, 0.1),
    gate: seededUniform(r, shape.tasks * D * E, 1),
    fc1: per(D * H, 0.5),
    b1: per(H, 0.1),
    fc2: per(H * D, 0.5),
    b2: per(D, 0.1),
  };
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, tokens: number, dim: number, task: number) {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const out = await session.run({
    x: new ort.Tensor('float32', x, [tokens, dim]),
    task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []),
  });
  await session.release();
  return {
    y: out.y.data as Float32Array,
    experts: Array.from(out.topk_experts.data as BigInt64Array, Number),
    scores: out.topk_scores.data as Float32Array,
  };
}


const shapes = [
  { tokens: 9, dim: 8, experts: 4, topK: 2, hidden: 16, tasks: 2 },
  { tokens: 17, dim: 12, experts: 8, topK: 2, hidden: 24, tasks: 3 },
  { tokens: 5, dim: 6, experts: 3, topK: 1, hidden: 10, tasks: 2 },
];

for (const [i, shape] of shapes.entries()) {
  test(`MoE layer ONNX (sparse and dense-masked) matches float64 reference: shape ${i}`, async () => {
    const w = randomLayer(100 + i, shape);
    const x = seededUniform(seededRandom(7 + i), shape.tokens * shape.dim, 2);
    for (let task = 0; task < shape.tasks; task++) {
      const ref = referenceMoeLayer(w, x, task);
      const sparse = await runOnnx(encodeModel(buildMoeLayerModel(w, 'sparse')), x, shape.tokens, shape.dim, task);
      const dense = await runOnnx(encodeModel(buildMoeLayerModel(w, 'dense')), x, shape.tokens, shape.dim, task);
      assert.ok(relL2(sparse.y, ref.y) < 1e-5, `sparse rel L2 ${relL2(sparse.y, ref.y)}`);
      assert.ok(relL2(dense.y, ref.y) < 1e-5, `dense rel L2 ${relL2(dense.y, ref.y)}`);
      assert.ok(relL2(sparse.y, dense.y) < 1e-6, 'sparse vs dense-masked');
      assert.deepEqual(sparse.experts, ref.experts.flat(), 'routing trace equals the reference top-k');
    }
  });
}

test('one session, task switch by input: different tasks route differently', async () => {
  const shape = shapes[1];
  const w = randomLayer(200, shape);
  const x = seededUniform(seededRandom(3), shape.tokens * shape.dim, 2);
  const bytes = encodeModel(buildMoeLayerModel(w, 'sparse'));
  const a = await runOnnx(bytes, x, shape.tokens, shape.dim, 0);
  const b = await runOnnx(bytes, x, shape.tokens, shape.dim, 1);
  assert.notDeepEqual(a.experts, b.experts);
  assert.deepEqual(b.experts, referenceMoeLayer(w, x, 1).experts.flat());
});


test('python onnx checker (full_check) accepts both variants', { skip: onnxCheckerSkip }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'm3v-onnx-'));
  for (const dispatch of ['sparse', 'dense'] as const) {
    const p = path.join(dir, `${dispatch}.onnx`);
    writeFileSync(p, encodeModel(buildMoeLayerModel(randomLayer(1, shapes[0]), dispatch)));
    checkOnnxFile(p);
  }
});

test('ONNX top-k outputs become a routing-trace layer whose expert counts match the reference', async () => {
  const shape = shapes[1];
  const w = randomLayer(300, shape);
  const x = seededUniform(seededRandom(5), shape.tokens * shape.dim, 2);
  const run = await runOnnx(encodeModel(buildMoeLayerModel(w, 'sparse')), x, shape.tokens, shape.dim, 0);
  const layer = traceLayerFromTopK(1, shape.topK, run.experts, run.scores);
  const ref = referenceMoeLayer(w, x, 0);
  assert.equal(layer.experts.length, shape.tokens);
  assert.deepEqual(layer.experts, ref.experts);
  for (let t = 0; t < shape.tokens; t++) {
    for (let j = 0; j < shape.topK; j++) assert.ok(Math.abs(layer.scores[t][j] - ref.scores[t][j]) < 1e-6);
  }
  const refCounts = new Array(shape.experts).fill(0);
  for (const choice of ref.experts) for (const e of choice) refCounts[e]++;
  assert.deepEqual(expertCounts(layer, shape.experts), refCounts);
  assert.equal(refCounts.reduce((a: number, b: number) => a + b, 0), shape.tokens * shape.topK);
});
