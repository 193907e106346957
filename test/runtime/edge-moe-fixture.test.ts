/**
 * The Edge-MoE weights folder loader, the float64 reference backbone and the real routing traces it produced
 * (samples/traces/edge-moe-frame0-*.json). Tests that read ../shared skip cleanly when it is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { expertCounts } from '../../engine/routing-trace';
import { parseRoutingTrace } from '../../engine/schedule/trace-format';
import { simulateFrame } from '../../engine/schedule/index';
import { edgeMoeTensorSpecs, loadEdgeMoeFolder } from '../../model/weights/edgeMoeFolder';
import { computeEdgeMoeTraces } from '../../scripts/edge-moe-traces';

const root = resolve(__dirname, '..', '..');
const shared = resolve(root, '..', 'shared', 'fixtures', 'edge-moe', 'weights');
const haveShared = existsSync(shared);
const design = analyzeDocument(readFileSync(join(root, 'samples', 'edge-moe-zcu102.m3v'), 'utf8')).design!;

test('the loader names missing tensors with their shape and mis-shaped ones with expected and found sizes', () => {
  const specs = edgeMoeTensorSpecs(design);
  // 3 embedding tensors + 12 blocks × 8 + 6 dense × 4 + 6 MoE × (4 + 2 task gates)
  assert.equal(specs.length, 3 + 12 * 8 + 6 * 4 + 6 * 6);
  const load = loadEdgeMoeFolder(design, (name) => {
    if (name === 'pos_embed.float32.bin') return new Uint8Array(4 * 10); // wrong size
    if (name === 'patch_embed_bias.float32.bin') {
      const bytes = new Uint8Array(192 * 4);
      new DataView(bytes.buffer).setFloat32(4, 1.5, true);
      return bytes;
    }
    return undefined;
  });
  assert.deepEqual(load.misshaped, [{ name: 'pos_embed', expected: [129, 192], foundValues: 10 }]);
  assert.equal(load.tensors.get('patch_embed_bias')![1], 1.5);
  assert.equal(load.missing.length, specs.length - 2);
  assert.deepEqual(load.missing.find((m) => m.name === 'l1_htoh4_weight'), { name: 'l1_htoh4_weight', shape: [16, 384, 192] });
});

test('the real Edge-MoE folder loads everything present and names exactly the 12 missing expert matrices', { skip: !haveShared }, () => {
  const load = loadEdgeMoeFolder(design, (name) => (existsSync(join(shared, name)) ? new Uint8Array(readFileSync(join(shared, name))) : undefined));
  assert.deepEqual(load.misshaped, []);
  assert.deepEqual(
    load.missing.map((m) => m.name).sort(),
    [1, 3, 5, 7, 9, 11].flatMap((l) => [`l${l}_h4toh_weight`, `l${l}_htoh4_weight`]).sort(),
  );
});

test('the committed traces are what the reference computes from the fixture today', { skip: !haveShared }, () => {
  const { traces } = computeEdgeMoeTraces();
  for (const task of ['semseg', 'depth']) {
    const committed = readFileSync(join(root, 'samples', 'traces', `edge-moe-frame0-${task}.json`), 'utf8');
    assert.equal(JSON.stringify(traces.get(task)) + '\n', committed, task);
  }
});

for (const task of ['semseg', 'depth']) {
  test(`the ${task} trace is a valid layer-1 routing: 129 tokens × 2 distinct experts, M3ViT scores`, () => {
    const parsed = parseRoutingTrace(readFileSync(join(root, 'samples', 'traces', `edge-moe-frame0-${task}.json`), 'utf8'));
    assert.ok(parsed.ok);
    const trace = parsed.trace;
    assert.deepEqual(trace.layers.map((l) => l.layer), [1]);
    const layer = trace.layers[0];
    assert.equal(layer.experts.length, 129);
    for (let t = 0; t < 129; t++) {
      const [a, b] = layer.experts[t];
      assert.notEqual(a, b);
      const [sa, sb] = layer.scores[t];
      // Softmax over all 16 logits, top-2 not renormalised: descending, and their sum below 1.
      assert.ok(sa >= sb && sb > 0 && sa + sb < 1, `token ${t}: ${sa}, ${sb}`);
    }
    assert.equal(expertCounts(layer, 16).reduce((x, y) => x + y, 0), 258);
  });
}

test('the two tasks load the experts of layer 1 differently, and the schedule follows the trace', () => {
  const read = (task: string) => parseRoutingTrace(readFileSync(join(root, 'samples', 'traces', `edge-moe-frame0-${task}.json`), 'utf8'));
  const semseg = read('semseg');
  const depth = read('depth');
  assert.ok(semseg.ok && depth.ok);
  const countsS = expertCounts(semseg.trace.layers[0], 16);
  const countsD = expertCounts(depth.trace.layers[0], 16);
  assert.notDeepEqual(countsS, countsD);

  const traced = analyzeDocument(readFileSync(join(root, 'samples', 'edge-moe-traced.m3v'), 'utf8')).design!;
  const traces = new Map([['traces/edge-moe-frame0-semseg.json', semseg.trace]]);
  const schedule = simulateFrame({ design: traced, task: 'semseg', target: 'zcu102', strategy: 'expert_by_expert', traces });
  const loaded = new Set(schedule.events.filter((e) => e.layer === 1 && e.op === 'load' && e.expert !== undefined).map((e) => e.expert));
  assert.deepEqual([...loaded].sort((a, b) => a! - b!), countsS.flatMap((c, e) => (c > 0 ? [e] : [])));
});
