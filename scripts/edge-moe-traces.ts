/**
 * Computes the real routing of the real Edge-MoE frame: loads the Edge-MoE weights fixture (../shared/fixtures/edge-moe,
 * partial: layers 0 and 1 complete, expert matrices missing) against samples/edge-moe-zcu102.m3v, runs the float64
 * reference backbone for each task (gate task0 = semseg, task1 = depth) as far as the weights allow — through layer 1's
 * gate — and writes samples/traces/edge-moe-frame0-<task>.json. Prints the missing tensors and the per-expert loads.
 * Run: node --import tsx scripts/edge-moe-traces.ts [--check]   (--check compares with the committed traces instead)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../language/src/analyze';
import { expertCounts, type RoutingTrace } from '../engine/routing-trace';
import { loadEdgeMoeFolder } from '../model/weights/edgeMoeFolder';
import { runBackbone } from '../model/reference/backbone';

const root = resolve(__dirname, '..');
const fixture = resolve(root, '..', 'shared', 'fixtures', 'edge-moe', 'weights');

export function computeEdgeMoeTraces(): { traces: Map<string, RoutingTrace>; missing: string[] } {
  const design = analyzeDocument(readFileSync(join(root, 'samples', 'edge-moe-zcu102.m3v'), 'utf8')).design;
  if (!design) throw new Error('samples/edge-moe-zcu102.m3v does not check clean');
  const load = loadEdgeMoeFolder(design, (name) => {
    const path = join(fixture, name);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  });
  if (load.misshaped.length > 0) throw new Error(`mis-shaped: ${load.misshaped.map((m) => m.name).join(', ')}`);
  const image = new Float32Array(new Uint8Array(readFileSync(join(fixture, 'image.float32.bin'))).buffer);
  const traces = new Map<string, RoutingTrace>();
  design.tasks.forEach((task, index) => {
    const run = runBackbone(design, load.tensors, image, index);
    traces.set(task.name, {
      format: 'm3v-routing-trace',
      version: 1,
      model: design.model.name,
      task: task.name,
      tokens: run.layers[0]?.experts.length,
      experts: design.model.moe!.experts,
      top_k: design.model.moe!.topK,
      source: `float64 reference backbone (model/reference/backbone.ts) on the Edge-MoE weights fixture and its frame image.float32.bin, gate l*_w_gate_T_task${index}; stopped at block ${run.stoppedAt}: ${run.reason ?? 'complete'}`,
      layers: run.layers.map((l) => ({ layer: l.layer, experts: l.experts, scores: l.scores.map((s) => s.map((v) => Number(v.toPrecision(7)))) })),
    });
  });
  return { traces, missing: load.missing.map((m) => `${m.name} [${m.shape.join(', ')}]`) };
}

const tracePath = (task: string) => join(root, 'samples', 'traces', `edge-moe-frame0-${task}.json`);

if (require.main === module) {
  if (!existsSync(fixture)) {
    console.error(`edge-moe-traces: the fixture folder ${fixture} is absent; nothing to compute`);
    process.exit(2);
  }
  const { traces, missing } = computeEdgeMoeTraces();
  console.log(`missing tensors (${missing.length}): ${missing.join(', ')}`);
  const check = process.argv.includes('--check');
  let differ = 0;
  for (const [task, trace] of traces) {
    const text = JSON.stringify(trace) + '\n';
    for (const l of trace.layers) console.log(`${task} layer ${l.layer}: tokens per expert ${expertCounts(l, trace.experts!).join(' ')}`);
    if (check) {
      const same = existsSync(tracePath(task)) && readFileSync(tracePath(task), 'utf8') === text;
      if (!same) differ++;
      console.log(`${tracePath(task)}: ${same ? 'up to date' : 'DIFFERS'}`);
    } else {
      writeFileSync(tracePath(task), text);
      console.log(`wrote ${tracePath(task)}`);
    }
  }
  process.exit(differ === 0 ? 0 : 1);
}
