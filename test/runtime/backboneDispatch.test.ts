/**
 * The whole backbone with dense-masked MoE dispatch (every expert on every token, masked by the top-k gate scores)
 * against the sparse graph and the float64 reference: same features and routing, E/k times the expert work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOnnxFile, onnxCheckerSkip } from '../fixtures/onnxChecker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../../language/src/analyze';
import { buildBackboneModel } from '../../model/onnx/backbone';
import { encodeModel } from '../../model/onnx/proto';
import { runBackbone } from '../../model/reference/backbone';
import { mulberry32 } from '../../engine/random';
import { seededDesignWeights } from '../../model/weights/seeded';
import { relL2 } from '../fixtures/relL2';

const TINY = (gate: string) => `model tiny {
  input 3 x 32 x 48
  patch 16
  dim   16
  heads 2
  depth 3
  mlp   2x
  moe {
    layers  [1, 2]
    experts 4
    top_k   2
    hidden  24
    gate    ${gate}
  }
}
task a { head linear classes 3 }
task b { head pup channels 1 width 4 }
`;

function design(text: string) {
  const analysis = analyzeDocument(text);
  assert.ok(analysis.design, analysis.diagnostics.map((d) => d.message).join('\n'));
  return analysis.design;
}

for (const gate of ['per_task', 'shared embed 8']) {
  test(`dense-masked and sparse dispatch give the same features, routing and heads (gate ${gate})`, async () => {
    const d = design(TINY(gate));
    const weights = seededDesignWeights(d, 7);
    const rand = mulberry32(9);
    const image = Float32Array.from({ length: 3 * 32 * 48 }, () => rand());
    const sparse = buildBackboneModel(d, weights);
    const dense = buildBackboneModel(d, weights, { dispatch: 'dense-masked' });
    // Structure: the sparse graph gathers and scatters per expert; the dense one runs every expert on all tokens.
    const ops = (m: typeof sparse, t: string) => m.graph.nodes.filter((n) => n.opType === t).length;
    assert.equal(ops(sparse, 'ScatterND'), 2 * 4);
    assert.equal(ops(dense, 'ScatterND'), 0);
    assert.equal(ops(dense, 'ScatterElements'), 2, 'one [tokens, E] score mask per MoE layer');
    assert.equal(ops(dense, 'NonZero'), 0);
    assert.deepEqual(dense.graph.outputs.map((o) => o.name), sparse.graph.outputs.map((o) => o.name));
    const options = { intraOpNumThreads: 1, logSeverityLevel: 3 } as const;
    const sessions = [await ort.InferenceSession.create(encodeModel(sparse), options), await ort.InferenceSession.create(encodeModel(dense), options)];
    try {
      for (const task of [0, 1]) {
        const feeds = { image: new ort.Tensor('float32', image, [3, 32, 48]), task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []) };
        const [s, m] = [await sessions[0].run(feeds), await sessions[1].run(feeds)];
        const ref = runBackbone(d, weights, image, task);
        const err = relL2(m.features.data as Float32Array, s.features.data as Float32Array);
        assert.ok(err < 1e-6, `task ${task}: dense-masked vs sparse relative L2 ${err}`);
        assert.ok(relL2(m.features.data as Float32Array, ref.features.flatMap((r) => Array.from(r))) < 1e-5, 'dense-masked vs reference');
        for (const l of [1, 2]) assert.deepEqual(m[`topk_experts_${l}`].data, s[`topk_experts_${l}`].data, `task ${task} layer ${l}`);
        // The pup head of task b runs only when b is selected (empty outputs otherwise); the linear head always.
        for (const name of ['head_a', 'prediction_a', ...(task === 1 ? ['head_b', 'prediction_b'] : [])]) {
          assert.deepEqual(m[name].dims, s[name].dims);
          assert.ok(relL2(m[name].data as Float32Array, s[name].data as Float32Array) < 1e-5, `${name}, task ${task}`);
        }
        if (task === 0) assert.equal(m.prediction_b.dims[0], 0);
      }
    } finally {
      for (const session of sessions) await session.release();
    }
  });
}


test('onnx.checker (full_check) accepts the dense-masked backbone', { skip: onnxCheckerSkip }, () => {
  const d = design(TINY('per_task'));
  const file = join(mkdtempSync(join(tmpdir(), 'm3v-dense-')), 'dense.onnx');
  writeFileSync(file, encodeModel(buildBackboneModel(d, seededDesignWeights(d, 3), { dispatch: 'dense-masked' })));
  checkOnnxFile(file);
});
