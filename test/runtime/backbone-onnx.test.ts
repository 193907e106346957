/**
 * The whole backbone as one ONNX graph, run in onnxruntime-node, against the float64 reference backbone on seeded
 * weights: features within relative L2 1e-5, the same routing per MoE layer, one session for every task.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOnnxFile, onnxCheckerSkip } from '../fixtures/onnxChecker';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../../language/src/analyze';
import { buildBackboneModel, MissingWeightsError } from '../../model/onnx/backbone';
import { encodeModel } from '../../model/onnx/proto';
import { runBackbone } from '../../model/reference/backbone';
import { mulberry32 } from '../../engine/random';
import { seededDesignWeights } from '../../model/weights/seeded';
import { relL2 } from '../fixtures/relL2';

const TINY = `model tiny {
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
  }
}
task a { head linear classes 3 }
task b { head linear channels 1 }
`;

function design(text = TINY) {
  const analysis = analyzeDocument(text);
  assert.ok(analysis.design, analysis.diagnostics.map((d) => d.message).join('\n'));
  return analysis.design;
}


// Both gating designs, and the dense baseline (the same ViT with no MoE block: every layer a dense MLP).
const DENSE = TINY.replace(/  moe \{[^}]*\}\n/, '');
for (const [label, text] of [
  ['gate per_task', TINY.replace('    hidden  24\n', '    hidden  24\n    gate    per_task\n')],
  ['gate shared embed 8', TINY.replace('    hidden  24\n', '    hidden  24\n    gate    shared embed 8\n')],
  ['dense baseline', DENSE],
]) {
test(`the backbone graph (${label}) matches the float64 reference, features and routing, for every task in one session`, async () => {
  const d = design(text);
  const weights = seededDesignWeights(d, 11);
  const rand = mulberry32(5);
  const image = Float32Array.from({ length: 3 * 32 * 48 }, () => rand());
  const session = await ort.InferenceSession.create(encodeModel(buildBackboneModel(d, weights)), { intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const routings: string[] = [];
    for (const task of [0, 1]) {
      const out = await session.run({ image: new ort.Tensor('float32', image, [3, 32, 48]), task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []) });
      const ref = runBackbone(d, weights, image, task);
      assert.equal(ref.stoppedAt, 3);
      const features = out.features.data as Float32Array;
      assert.equal(features.length, 7 * 16); // 6 patches + cls
      const err = relL2(features, ref.features.flatMap((r) => Array.from(r)));
      assert.ok(err < 1e-5, `task ${task}: relative L2 ${err}`);
      for (const layer of ref.layers) {
        const experts = Array.from(out[`topk_experts_${layer.layer}`].data as BigInt64Array, Number);
        assert.deepEqual(experts, layer.experts.flat(), `task ${task} layer ${layer.layer}`);
        const scores = out[`topk_scores_${layer.layer}`].data as Float32Array;
        assert.ok(relL2(scores, layer.scores.flat()) < 1e-5);
      }
      // The task's linear head on the patch tokens, then bilinear upsampling to the input size.
      const taskName = d.tasks[task].name;
      const N = d.tasks[task].head.count;
      const hw = weights.get(`head_${taskName}_weight`)!;
      const hb = weights.get(`head_${taskName}_bias`)!;
      const expected = ref.features.slice(1).flatMap((row) => Array.from({ length: N }, (_, n) => hb[n] + row.reduce((acc, v, k) => acc + v * hw[n * 16 + k], 0)));
      assert.ok(relL2(out[`head_${taskName}`].data as Float32Array, expected) < 1e-5, `head of ${taskName}`);
      assert.deepEqual(out[`prediction_${taskName}`].dims, [N, 32, 48]);
      routings.push(JSON.stringify(ref.layers.map((l) => l.experts)));
    }
    if (d.model.moe) assert.notEqual(routings[0], routings[1], 'the two tasks route differently through their own gates');
    else assert.deepEqual(routings, ['[]', '[]'], 'a dense model routes nothing');
  } finally {
    await session.release();
  }
});
}

test('missing weights are named, all of them', () => {
  const d = design();
  const weights = seededDesignWeights(d, 1);
  weights.delete('l1_htoh4_weight');
  weights.delete('l2_w_gate_T_task1');
  assert.throws(() => buildBackboneModel(d, weights), (e: unknown) => e instanceof MissingWeightsError && e.names.join() === 'l1_htoh4_weight,l2_w_gate_T_task1');
});


test('onnx.checker (full_check) accepts the backbone graphs of the samples', { skip: onnxCheckerSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-onnx-'));
  const root = join(__dirname, '..', '..');
  for (const sample of ['edge-moe-zcu102.m3v', 'dense-vit-baseline.m3v', 'task-conditioned-gate.m3v']) {
    const d = design(readFileSync(join(root, 'samples', sample), 'utf8'));
    const file = join(dir, sample.replace('.m3v', '.onnx'));
    writeFileSync(file, encodeModel(buildBackboneModel(d, seededDesignWeights(d, 3))));
    checkOnnxFile(file);
  }
});
