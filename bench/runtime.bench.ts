/**
 * MoE layer, sparse dispatch vs dense-masked, in onnxruntime-node (1 intra-op thread), at the Edge-MoE layer size
 * (129 tokens, dim 192, 16 experts, top-2, hidden 384) and the M3ViT-small sample size (1025 tokens, dim 384, 16 experts,
 * top-2, hidden 768, 5 tasks — samples/m3vit-small-pascal-zcu104.m3v). Prints a table; no asserts.
 * Run: npx tsx bench/runtime.bench.ts
 */
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../model/onnx/proto';
import { buildMoeLayerModel, type MoeLayerWeights } from '../model/onnx/moeLayer';
import { seededRandom, seededUniform } from '../model/weights/seeded';

const sizes = [
  { name: 'Edge-MoE layer', tokens: 129, dim: 192, experts: 16, topK: 2, hidden: 384, tasks: 2 },
  { name: 'M3ViT-small layer', tokens: 1025, dim: 384, experts: 16, topK: 2, hidden: 768, tasks: 5 },
];

async function timeIt(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, reps: number): Promise<number> {
  await session.run(feeds);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await session.run(feeds);
  return (performance.now() - t0) / reps;
}

async function main() {
  console.log('| layer | sparse ms | dense-masked ms | speed-up | FLOP ratio E/k | switch in session ms | new session ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of sizes) {
    const r = seededRandom(1);
    const per = (n: number) => Array.from({ length: s.experts }, () => seededUniform(r, n, 0.05));
    const w: MoeLayerWeights = {
      ...s, eps: 1e-6,
      lnGamma: new Float32Array(s.dim).fill(1), lnBeta: new Float32Array(s.dim),
      gate: seededUniform(r, s.tasks * s.dim * s.experts, 0.5),
      fc1: per(s.dim * s.hidden), b1: per(s.hidden), fc2: per(s.hidden * s.dim), b2: per(s.dim),
    };
    const opts = { intraOpNumThreads: 1, logSeverityLevel: 3 as const };
    const sparseBytes = encodeModel(buildMoeLayerModel(w, 'sparse'));
    const sparse = await ort.InferenceSession.create(sparseBytes, opts);
    const dense = await ort.InferenceSession.create(encodeModel(buildMoeLayerModel(w, 'dense')), opts);
    const feeds = (task: number) => ({
      x: new ort.Tensor('float32', seededUniform(seededRandom(2), s.tokens * s.dim, 1), [s.tokens, s.dim]),
      task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []),
    });
    const reps = 20;
    const tSparse = await timeIt(sparse, feeds(0), reps);
    const tDense = await timeIt(dense, feeds(0), reps);
    // Task switch: alternate the task input in one session vs building a session per switch (the naive way).
    let t0 = performance.now();
    for (let i = 0; i < 10; i++) await sparse.run(feeds(i % 2));
    const tSwitch = (performance.now() - t0) / 10;
    t0 = performance.now();
    for (let i = 0; i < 5; i++) {
      const fresh = await ort.InferenceSession.create(sparseBytes, opts);
      await fresh.run(feeds(i % 2));
      await fresh.release();
    }
    const tNew = (performance.now() - t0) / 5;
    console.log(`| ${s.name} | ${tSparse.toFixed(2)} | ${tDense.toFixed(2)} | ${(tDense / tSparse).toFixed(2)}× | ${s.experts / s.topK} | ${tSwitch.toFixed(2)} | ${tNew.toFixed(2)} |`);
    await sparse.release();
    await dense.release();
  }
}
main().catch((error: unknown) => {
  // A failed benchmark must fail the run (exit 1), with its message, rather than an unhandled rejection.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
