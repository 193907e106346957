/**
 * The cost of `m3v run --numerics declared` beside a plain float32 run: the same backbone (seeded weights, heads left
 * out as in backbone.bench.ts) with every weight and activation quantised as the design declares, in onnxruntime-node
 * (1 intra-op thread, this process). Goal: the quantised run within 2× of the float32 run. Also prints the session
 * load times. The two sessions are timed alternately (the machine is shared). Prints a table; no asserts.
 * Run: node --import tsx bench/numerics.bench.ts
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../language/src/analyze';
import { buildBackboneModel } from '../model/onnx/backbone';
import { numericsPlan } from '../model/onnx/numerics';
import { encodeModel } from '../model/onnx/proto';
import { headTensorSpecs } from '../model/weights/headSpecs';
import { seededDesignWeights } from '../model/weights/seeded';

const options = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 } as const;

/**
 * Median and fastest times of runs measured alternately (one of each per round), so a load change on the shared
 * machine hits both. The fastest run is the one least disturbed by other processes: its ratio is the cost of the
 * quantisation itself; the median's ratio says what a user sees on a busy machine.
 */
async function alternating(runs: (() => Promise<unknown>)[], reps: number): Promise<{ median: number; min: number }[]> {
  for (const run of runs) await run();
  const times = runs.map(() => [] as number[]);
  for (let i = 0; i < reps; i++) {
    for (const [j, run] of runs.entries()) {
      const t0 = performance.now();
      await run();
      times[j].push(performance.now() - t0);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { median: t[Math.floor(reps / 2)], min: t[0] };
  });
}

async function main() {
  console.log('| design | formats | nodes f32 / declared | load f32 / declared ms | float32 ms median (min) | declared ms median (min) | declared/float32 median (min) (goal ≤ 2) |');
  console.log('|---|---|---|---|---|---|---|');
  const samples = process.argv.includes('--small') ? ['edge-moe-zcu102.m3v'] : ['edge-moe-zcu102.m3v', 'm3vit-small-pascal-zcu104.m3v'];
  for (const sample of samples) {
    const design = analyzeDocument(readFileSync(join(__dirname, '..', 'samples', sample), 'utf8')).design!;
    const weights = seededDesignWeights(design, 0);
    for (const spec of headTensorSpecs(design)) weights.delete(spec.name);
    const { channels: C, height: H, width: W } = design.model.input;
    const image = new ort.Tensor('float32', new Float32Array(C * H * W).fill(0.5), [C, H, W]);
    const task = new ort.Tensor('int64', BigInt64Array.from([0n]), []);
    const plan = numericsPlan('declared', design.targets[0]);
    const nodes: number[] = [];
    const loads: number[] = [];
    const sessions: ort.InferenceSession[] = [];
    for (const numerics of [undefined, plan]) {
      const model = buildBackboneModel(design, weights, { numerics });
      nodes.push(model.graph.nodes.length);
      const t0 = performance.now();
      sessions.push(await ort.InferenceSession.create(encodeModel(model), options));
      loads.push(performance.now() - t0);
    }
    const [f32, declared] = await alternating(sessions.map((s) => () => s.run({ image, task })), sample.startsWith('m3vit') ? 7 : 15);
    for (const s of sessions) await s.release();
    console.log(`| ${sample} | ${plan.summary} | ${nodes.join(' / ')} | ${loads.map((v) => v.toFixed(0)).join(' / ')} | ${f32.median.toFixed(1)} (${f32.min.toFixed(1)}) | ${declared.median.toFixed(1)} (${declared.min.toFixed(1)}) | ${(declared.median / f32.median).toFixed(2)}× (${(declared.min / f32.min).toFixed(2)}×) |`);
  }
  // The machine is shared: the load says how far these figures can be trusted.
  console.log(`\nload average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min) on ${cpus().length} cores`);
}

void main();
