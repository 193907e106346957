/**
 * Task heads in the backbone graph: the PUP head (M3ViT VisionTransformerUpHead), the cls head with its LayerNorm and
 * the linear head, run in onnxruntime-node against the float64 reference on seeded weights; the graph's structure and
 * its convolution MACs / element counts against the cost model's `headLayer`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOnnxFile, onnxCheckerSkip } from '../fixtures/onnxChecker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../../language/src/analyze';
import type { Design } from '../../engine/design';
import { headLayer } from '../../engine/costs/counts';
import { buildBackboneModel, MissingWeightsError } from '../../model/onnx/backbone';
import { DataType, encodeModel, type Model } from '../../model/onnx/proto';
import { runBackbone } from '../../model/reference/backbone';
import { runHead } from '../../model/reference/heads';
import { conv2d, resizeBilinear } from '../../model/reference/pupHead';
import { mulberry32 } from '../../engine/random';
import { headTensorSpecs } from '../../model/weights/headSpecs';
import { seededDesignWeights } from '../../model/weights/seeded';
import { relL2 } from '../fixtures/relL2';

// 32 × 48 input, 16 × 16 patches: a 2 × 3 grid, PUP convs at 2×3, 4×6, 8×12, 16×24, then a real ×2 resize to 32×48.
const TINY = `model tiny {
  input 3 x 32 x 48
  patch 16
  dim   16
  heads 2
  depth 2
  mlp   2x
  moe {
    layers  [1]
    experts 4
    top_k   2
    hidden  24
  }
}
task seg   { head pup classes 3 width 8 }
task label { head cls classes 5 }
task depth { head linear channels 1 }
`;

// No cls token and patch 8: the PUP head sees every token, and its 8·rows × 8·cols output already is the input size.
const NO_CLS = `model nocls {
  input 3 x 32 x 32
  patch 8
  dim   16
  heads 2
  depth 1
  mlp   2x
  cls   off
}
task normals { head pup channels 3 width 4 }
`;

function design(text: string): Design {
  const analysis = analyzeDocument(text);
  assert.ok(analysis.design, analysis.diagnostics.map((d) => d.message).join('\n'));
  return analysis.design;
}

const feeds = (d: Design, image: Float32Array, task: number) => {
  const { channels: C, height: H, width: W } = d.model.input;
  return { image: new ort.Tensor('float32', image, [C, H, W]), task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []) };
};

function randomImage(d: Design, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const { channels: C, height: H, width: W } = d.model.input;
  return Float32Array.from({ length: C * H * W }, () => rand());
}

for (const [label, text] of [['cls token, patch 16', TINY], ['no cls token, patch 8', NO_CLS]] as const) {
  test(`every head of the graph equals the float64 reference (${label})`, async () => {
    const d = design(text);
    const weights = seededDesignWeights(d, 21);
    const image = randomImage(d, 4);
    const session = await ort.InferenceSession.create(encodeModel(buildBackboneModel(d, weights)), { intraOpNumThreads: 1, logSeverityLevel: 3 });
    try {
      for (const [selected, selectedTask] of d.tasks.entries()) {
        const out = await session.run(feeds(d, image, selected));
        const ref = runBackbone(d, weights, image, selected);
        assert.equal(ref.stoppedAt, d.model.depth);
        for (const task of d.tasks) {
          const logits = out[`head_${task.name}`];
          const prediction = out[`prediction_${task.name}`];
          // A pup head runs only for the selected task; its outputs are empty for the others.
          if (task.head.kind === 'pup' && task !== selectedTask) {
            assert.deepEqual(logits.dims, [0, ...logits.dims.slice(1)]);
            assert.deepEqual(prediction.dims, [0, d.model.input.height, d.model.input.width]);
            continue;
          }
          const expected = runHead(d, weights, ref.features, task);
          assert.deepEqual(logits.dims, expected.logitsShape, `head_${task.name} shape`);
          const err = relL2(logits.data as Float32Array, expected.logits);
          assert.ok(err < 1e-5, `head_${task.name} (task ${selected} selected): relative L2 ${err}`);
          if (!expected.prediction) {
            assert.equal(prediction, undefined, 'a cls head has no map');
            continue;
          }
          assert.deepEqual(prediction.dims, [task.head.count, d.model.input.height, d.model.input.width]);
          const perr = relL2(prediction.data as Float32Array, expected.prediction.data);
          assert.ok(perr < 1e-5, `prediction_${task.name} (task ${selected} selected): relative L2 ${perr}`);
          // Not a degenerate comparison: the maps vary over the image.
          const values = Array.from(prediction.data as Float32Array);
          assert.ok(Math.max(...values) - Math.min(...values) > 1e-3, `prediction_${task.name} is not flat`);
        }
      }
    } finally {
      await session.release();
    }
  });
}

test('the pup head shapes follow M3ViT: logits at 8·rows × 8·cols, prediction at the input size; empty for another task', async () => {
  const d = design(TINY);
  const session = await ort.InferenceSession.create(encodeModel(buildBackboneModel(d, seededDesignWeights(d, 2))), { intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const out = await session.run(feeds(d, randomImage(d, 1), 0));
    assert.deepEqual(out.head_seg.dims, [3, 16, 24]); // 2 × 3 grid upsampled ×2 three times
    assert.deepEqual(out.prediction_seg.dims, [3, 32, 48]);
    assert.deepEqual(out.head_label.dims, [1, 5]);
    const other = await session.run(feeds(d, randomImage(d, 1), 1));
    assert.deepEqual(other.head_seg.dims, [0, 16, 24]);
    assert.deepEqual(other.prediction_seg.dims, [0, 32, 48]);
    assert.deepEqual(other.head_label.dims, [1, 5]);
  } finally {
    await session.release();
  }
});

test('bilinear resize is align_corners=False (ONNX half_pixel), worked by hand on a 1 × 2 row', () => {
  // in = [0, 4] → out width 4: src = (d + 0.5)·0.5 − 0.5 = −0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1)
  const up = resizeBilinear({ channels: 1, height: 1, width: 2, data: Float64Array.from([0, 4]) }, 1, 4);
  assert.deepEqual(Array.from(up.data), [0, 1, 3, 4]);
});

test('the reference conv3x3 pads with zeros, worked by hand on a 2 × 2 map', () => {
  // Input channel 0 = [[1, 2], [3, 4]]; an all-ones 3×3 kernel with zero padding sums every in-range neighbour:
  // each output sees the whole 2 × 2 map (10), plus the bias 0.5.
  const x = { channels: 1, height: 2, width: 2, data: Float64Array.from([1, 2, 3, 4]) };
  assert.deepEqual(Array.from(conv2d(x, new Float32Array(9).fill(1), Float32Array.from([0.5]), 1, 3).data), [10.5, 10.5, 10.5, 10.5]);
  // A kernel with only its top-left tap reads the up-left neighbour: out[y][x] = in[y − 1][x − 1] (0 off the map).
  const topLeft = new Float32Array(9);
  topLeft[0] = 1;
  assert.deepEqual(Array.from(conv2d(x, topLeft, Float32Array.from([0]), 1, 3).data), [0, 0, 0, 1]);
});

const count = (model: Model, opType: string) => model.graph.nodes.filter((n) => n.opType === opType).length;

test('the graph has the heads’ structure: 5 Conv, 4 BatchNormalization, 4 Resize per pup head; 1 Resize per linear head', () => {
  const d = design(TINY);
  const model = buildBackboneModel(d, seededDesignWeights(d, 2));
  assert.equal(count(model, 'Conv'), 5);
  assert.equal(count(model, 'BatchNormalization'), 4);
  assert.equal(count(model, 'Relu'), 4);
  assert.equal(count(model, 'Resize'), 4 + 1);
  // 2 per block + the pup head's norm + the cls head's norm (the linear head has none, as counted).
  assert.equal(count(model, 'LayerNormalization'), 2 * 2 + 1 + 1);
  const outputs = model.graph.outputs.map((o) => o.name);
  for (const name of ['head_seg', 'prediction_seg', 'head_label', 'head_depth', 'prediction_depth']) assert.ok(outputs.includes(name), name);
  assert.ok(!outputs.includes('prediction_label'));
});

test('conv MACs and BatchNorm/upsample element counts read off the running graph equal headLayer', async () => {
  const d = design(TINY);
  const model = buildBackboneModel(d, seededDesignWeights(d, 2));
  const dims = new Map(model.graph.initializers.map((t) => [t.name, t.dims]));
  // The final resize of each dense head (its output feeds the node that makes `prediction_<task>`) is counted apart, as
  // outPixels·count; the others are the pup head's three ×2 upsamplings.
  const finalResizes = new Set(model.graph.nodes.filter((n) => n.outputs[0].startsWith('prediction_')).map((n) => n.inputs[0]));
  const watched = model.graph.nodes.filter((n) => ['Conv', 'BatchNormalization', 'Resize'].includes(n.opType) && !finalResizes.has(n.outputs[0]));
  assert.equal(watched.length, 5 + 4 + 3);
  // Expose them as graph outputs so that their real shapes come from the run, not from the builder's arithmetic.
  const probe: Model = {
    ...model,
    graph: { ...model.graph, outputs: [...model.graph.outputs, ...watched.map((n) => ({ name: n.outputs[0], elemType: DataType.FLOAT, shape: [0, 1, 2, 3].map((i) => `${n.outputs[0]}_${i}`) }))] },
  };
  const session = await ort.InferenceSession.create(encodeModel(probe), { intraOpNumThreads: 1, logSeverityLevel: 3 });
  let macs = 0;
  let batchnorm = 0;
  let upsample = 0;
  try {
    const out = await session.run(feeds(d, randomImage(d, 3), 0), watched.map((n) => n.outputs[0]));
    const size = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);
    for (const node of watched) {
      const shape = out[node.outputs[0]].dims;
      assert.equal(shape[0], 1, 'the selected task’s pup head runs on a batch of one');
      if (node.opType === 'Conv') {
        const [outC, inC, kh, kw] = dims.get(node.inputs[1])!;
        assert.equal(shape[1], outC);
        macs += shape[2] * shape[3] * outC * inC * kh * kw;
      } else if (node.opType === 'BatchNormalization') batchnorm += size(shape);
      else upsample += size(shape);
    }
  } finally {
    await session.release();
  }
  const seg = d.tasks[0];
  const counted = headLayer(d.model, seg.name, seg.head);
  // By hand: grid 6 positions, D 16, width 8, 3 classes: 9·8·(6·16 + 24·8 + 96·8 + 384·8) + 384·8·3 = 87,552.
  assert.equal(counted.macs, 9 * 8 * (6 * 16 + 24 * 8 + 96 * 8 + 384 * 8) + 384 * 8 * 3);
  assert.equal(macs, counted.macs);
  assert.equal(batchnorm, counted.elementwise.batchnorm);
  assert.equal(upsample + 32 * 48 * 3, counted.elementwise.upsample);
});

test('head tensors: every spec is seeded with its shape; a partly given head names what is missing', () => {
  const d = design(TINY);
  const weights = seededDesignWeights(d, 1);
  for (const spec of headTensorSpecs(d)) {
    assert.equal(weights.get(spec.name)?.length, spec.shape.reduce((a, b) => a * b, 1), spec.name);
    if (/_bn\d_var$/.test(spec.name)) assert.ok(weights.get(spec.name)!.every((v) => v >= 1), `${spec.name} is a positive variance`);
  }
  assert.deepEqual(
    headTensorSpecs(d).filter((s) => s.name.startsWith('head_seg_conv0') || s.name.startsWith('head_seg_out')),
    [
      { name: 'head_seg_conv0_weight', shape: [8, 16, 3, 3] },
      { name: 'head_seg_conv0_bias', shape: [8] },
      { name: 'head_seg_out_weight', shape: [3, 8, 1, 1] },
      { name: 'head_seg_out_bias', shape: [3] },
    ],
  );
  weights.delete('head_seg_bn2_var');
  weights.delete('head_label_norm_bias');
  assert.throws(() => buildBackboneModel(d, weights), (e: unknown) => e instanceof MissingWeightsError && e.names.join() === 'head_seg_bn2_var,head_label_norm_bias');
  // A head with none of its tensors (the Edge-MoE folder has no heads) is simply left out.
  for (const spec of headTensorSpecs(d)) weights.delete(spec.name);
  const model = buildBackboneModel(d, weights);
  assert.deepEqual(model.graph.outputs.map((o) => o.name), ['features', 'topk_experts_1', 'topk_scores_1']);
});


test('onnx.checker (full_check) accepts the graphs with pup, cls and linear heads', { skip: onnxCheckerSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-heads-'));
  for (const [i, text] of [TINY, NO_CLS].entries()) {
    const d = design(text);
    const file = join(dir, `heads${i}.onnx`);
    writeFileSync(file, encodeModel(buildBackboneModel(d, seededDesignWeights(d, 3))));
    checkOnnxFile(file);
  }
});
