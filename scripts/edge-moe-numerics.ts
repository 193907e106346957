/**
 * What Edge-MoE's number formats do to the real model on the real frame: the Edge-MoE weights fixture
 * (../shared/fixtures/edge-moe, complete through layer 1's gate) run as the float32 graph and as the graph with
 * `--numerics declared` (the sample's weights fixed<16,2>, acts fixed<32,10>) and `--numerics edge-moe` (Edge-MoE's
 * per-tensor types, include/datatypes.hpp), for both task gates. Reported: the relative L2 of layer 0's output tokens
 * (complete), of layer 1's router inputs' result — its top-2 scores — and the layer-1 routing flips (tokens whose
 * top-2 expert set changed). Layer 1's expert matrices are missing from the fixture, so the graph runs the first two
 * blocks with them set to zero: the routing (computed before the experts) is real, layer 1's output tokens are not and
 * are not reported. Writes samples/traces/edge-moe-frame0-numerics.json (`--check` compares instead).
 * Run: node --import tsx scripts/edge-moe-numerics.ts [--check]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../language/src/analyze';
import { buildBackboneModel } from '../model/onnx/backbone';
import { relativeL2, routingFlips } from '../model/onnx/compareRuns';
import { numericsPlan } from '../model/onnx/numerics';
import { encodeModel } from '../model/onnx/proto';
import { edgeMoeTensorSpecs, loadEdgeMoeFolder } from '../model/weights/edgeMoeFolder';

const root = resolve(__dirname, '..');
const fixture = resolve(root, '..', 'shared', 'fixtures', 'edge-moe', 'weights');
export const resultPath = join(root, 'samples', 'traces', 'edge-moe-frame0-numerics.json');

export interface EdgeMoeNumerics {
  mode: string;
  formats: string;
  task: string;
  layer0_tokens_rel_l2: number;
  layer1_topk_scores_rel_l2: number;
  layer1_flips: number;
  tokens: number;
}

export async function measureEdgeMoeNumerics(): Promise<EdgeMoeNumerics[]> {
  const design = analyzeDocument(readFileSync(join(root, 'samples', 'edge-moe-zcu102.m3v'), 'utf8')).design;
  if (!design) throw new Error('samples/edge-moe-zcu102.m3v does not check clean');
  // The first two blocks only (layer 0 dense, layer 1 MoE): what the fixture holds.
  design.model.depth = 2;
  design.model.moe!.layers = [1];
  const load = loadEdgeMoeFolder(design, (name) => {
    const path = join(fixture, name);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  });
  const missing = load.missing.map((m) => m.name).sort();
  if (missing.join() !== 'l1_h4toh_weight,l1_htoh4_weight') throw new Error(`unexpected missing tensors: ${missing.join(', ')}`);
  for (const spec of edgeMoeTensorSpecs(design)) if (!load.tensors.has(spec.name)) load.tensors.set(spec.name, new Float32Array(spec.shape.reduce((a, b) => a * b, 1)));
  const image = new Float32Array(new Uint8Array(readFileSync(join(fixture, 'image.float32.bin'))).buffer);
  const session = async (mode?: string) =>
    ort.InferenceSession.create(
      encodeModel(buildBackboneModel(design, load.tensors, { numerics: mode ? numericsPlan(mode, design.targets[0]) : undefined, layerOutputs: true })),
      { intraOpNumThreads: 1, logSeverityLevel: 3 },
    );
  const run = async (s: ort.InferenceSession, task: number) =>
    s.run({ image: new ort.Tensor('float32', image, [3, 128, 256]), task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []) });
  const float32 = await session();
  const results: EdgeMoeNumerics[] = [];
  for (const mode of ['declared', 'edge-moe']) {
    const quantised = await session(mode);
    for (const [t, task] of design.tasks.entries()) {
      const [f, q] = [await run(float32, t), await run(quantised, t)];
      const experts = (o: ort.InferenceSession.OnnxValueMapType) => ({ dims: [...o.topk_experts_1.dims], data: o.topk_experts_1.data as BigInt64Array });
      results.push({
        mode,
        formats: numericsPlan(mode, design.targets[0]).summary,
        task: task.name,
        layer0_tokens_rel_l2: Number(relativeL2(q.tokens_0.data as Float32Array, f.tokens_0.data as Float32Array).toPrecision(4)),
        layer1_topk_scores_rel_l2: Number(relativeL2(q.topk_scores_1.data as Float32Array, f.topk_scores_1.data as Float32Array).toPrecision(4)),
        layer1_flips: routingFlips(experts(q), experts(f)),
        tokens: f.topk_experts_1.dims[0],
      });
    }
  }
  return results;
}

if (require.main === module) {
  if (!existsSync(fixture)) {
    console.error(`edge-moe-numerics: the fixture folder ${fixture} is absent; nothing to measure`);
    process.exit(2);
  }
  void measureEdgeMoeNumerics().then((results) => {
    for (const r of results) console.log(`${r.mode} ${r.task}: layer 0 tokens rel L2 ${r.layer0_tokens_rel_l2}, layer 1 top-2 scores rel L2 ${r.layer1_topk_scores_rel_l2}, layer 1 flips ${r.layer1_flips} of ${r.tokens} (${r.formats})`);
    const text = JSON.stringify(results, null, 1) + '\n';
    if (process.argv.includes('--check')) {
      const same = existsSync(resultPath) && readFileSync(resultPath, 'utf8') === text;
      console.log(same ? 'matches the committed results' : `differs from ${resultPath}`);
      process.exit(same ? 0 : 1);
    }
    writeFileSync(resultPath, text);
    console.log(`written to ${resultPath}`);
  });
}
