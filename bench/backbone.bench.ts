/**
 * The whole backbone in onnxruntime-node (1 intra-op thread, in this process) beside a plain GEMM of the same MAC
 * count, for the Edge-MoE and M3ViT-small samples (seeded weights). Goal: the backbone within 2.5× of the GEMM — what
 * remains is attention, element-wise work and the sparse dispatch's gathers and scatters. Beside it the same backbone with
 * dense-masked MoE dispatch (every expert on every token, masked by the top-k scores): the sparse dispatch's gain.
 * The head tensors are left out, so the graphs have no task head (onnxruntime runs every node, fetched or not).
 * Prints a table; no asserts.
 * Run: node --import tsx bench/backbone.bench.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../language/src/analyze';
import { countDesign } from '../engine/costs/taskCounts';
import { buildBackboneModel } from '../model/onnx/backbone';
import { DataType, encodeModel, floatTensor } from '../model/onnx/proto';
import { IR_VERSION, OPSET } from '../model/onnx/moeLayer';
import { headTensorSpecs } from '../model/weights/headSpecs';
import { seededDesignWeights } from '../model/weights/seeded';

const options = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 } as const;

async function median(run: () => Promise<unknown>, reps: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** One MatMul [M, K] × [K, N] with M·K·N ≈ `macs` (K = N = 512, M rounded). */
function gemmModel(macs: number) {
  const K = 512;
  const N = 512;
  const M = Math.max(1, Math.round(macs / (K * N)));
  const b = floatTensor('b', [K, N], new Float32Array(K * N).fill(0.001));
  const model = encodeModel({
    graph: { name: 'gemm', nodes: [{ opType: 'MatMul', inputs: ['a', 'b'], outputs: ['y'], name: 'mm' }], initializers: [b], inputs: [{ name: 'a', elemType: DataType.FLOAT, shape: [M, K] }], outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [M, N] }] },
    opset: OPSET,
    irVersion: IR_VERSION,
    producer: 'm3v-bench',
  });
  return { model, M, K, macs: M * K * N };
}

async function main() {
  console.log('| design | backbone MACs (task 0) | sparse ms | dense-masked ms | dense/sparse | MAC ratio | GEMM of the same MACs ms | sparse/GEMM (goal ≤ 2.5) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const sample of ['edge-moe-zcu102.m3v', 'm3vit-small-pascal-zcu104.m3v']) {
    const design = analyzeDocument(readFileSync(join(__dirname, '..', 'samples', sample), 'utf8')).design!;
    const { count: counts, allExperts } = countDesign(design).tasks[0];
    // No head in the graph: compare against the backbone's MACs only.
    const macs = counts.macs - counts.byOp.head;
    // What dense-masked dispatch computes: every expert on every token (the engine's all-experts count).
    const denseMacs = allExperts.macs - allExperts.byOp.head;
    const weights = seededDesignWeights(design, 1);
    for (const spec of headTensorSpecs(design)) weights.delete(spec.name);
    const { channels: C, height: H, width: W } = design.model.input;
    const image = new ort.Tensor('float32', new Float32Array(C * H * W).fill(0.5), [C, H, W]);
    const task = new ort.Tensor('int64', BigInt64Array.from([0n]), []);
    const reps = macs > 5e9 ? 3 : 9;
    const backboneMs = async (dispatch: 'sparse' | 'dense-masked') => {
      const session = await ort.InferenceSession.create(encodeModel(buildBackboneModel(design, weights, { dispatch })), options);
      const ms = await median(() => session.run({ image, task }), reps);
      await session.release();
      return ms;
    };
    const sparseMs = await backboneMs('sparse');
    const denseMs = await backboneMs('dense-masked');
    const g = gemmModel(macs);
    const gemm = await ort.InferenceSession.create(g.model, options);
    const a = new ort.Tensor('float32', new Float32Array(g.M * g.K).fill(0.5), [g.M, g.K]);
    const gemmMs = await median(() => gemm.run({ a }), reps);
    await gemm.release();
    console.log(
      `| ${sample} | ${(macs / 1e9).toFixed(3)} G | ${sparseMs.toFixed(1)} | ${denseMs.toFixed(1)} | ${(denseMs / sparseMs).toFixed(2)}× | ${(denseMacs / macs).toFixed(2)}× | ${gemmMs.toFixed(1)} | ${(sparseMs / gemmMs).toFixed(2)}× |`,
    );
  }
}

main().catch((error: unknown) => {
  // A failed benchmark must fail the run (exit 1), with its message, rather than an unhandled rejection.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
