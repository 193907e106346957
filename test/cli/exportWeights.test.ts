/**
 * `m3v export-weights` and `--weights FILE.safetensors` end to end, in-process: the exported seeded weights, under
 * either naming, make `m3v run` route and predict exactly as `m3v run --seed N` does, and `m3v export-onnx` write the
 * same bytes; a truncated file, a mis-shaped tensor and a missing tensor are each one line with exit code 2.
 * (`m3v run` uses dist/runtime-worker.js, built by `npm test` before the tests.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors } from '../../model/weights/safetensors';
import { runCli } from '../fixtures/runCli';

const model = (gate: string) => `model tiny {
  input 3 x 32 x 32
  patch 16
  dim   16
  heads 2
  depth 2
  moe {
    layers  [1]
    experts 4
    top_k   2
    hidden  8${gate}
  }
}
task a { head linear classes 3 }
task b { head linear channels 1 }
`;

const dir = mkdtempSync(join(tmpdir(), 'm3v-weights-'));
const perTask = join(dir, 'tiny.m3v');
writeFileSync(perTask, model(''));
const shared = join(dir, 'shared.m3v');
// Two MoE layers sharing one task embedding.
writeFileSync(shared, model('\n    gate    shared embed 4').replace('layers  [1]', 'layers  [0, 1]'));

/** What a run computed, without the parts that name where the weights came from or how long it took. */
async function runResult(design: string, task: string, weights: string[]) {
  const r = await runCli(['run', design, '--task', task, '--json', ...weights]);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  return { layers: json.trace.layers, counts: json.expert_counts, prediction: json.prediction, png: json.output_png };
}

const oneLine = (r: { code: number; err: string }) => {
  assert.equal(r.code, 2);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.doesNotMatch(r.err, /\n\s+at /);
};

for (const names of ['internal', 'm3vit'] as const) {
  test(`export-weights --names ${names}, then run --weights gives exactly the seeded run's routing and prediction`, async () => {
    const out = join(dir, `seed3-${names}.safetensors`);
    const r = await runCli(['export-weights', perTask, '-o', out, '--seed', '3', '--names', names]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`seed3-${names}\\.safetensors: \\d+ tensors, \\d+ float32 values \\(\\d+\\.\\d\\d MiB\\), ${names === 'm3vit' ? 'M3ViT state-dict' : 'internal'} names, seeded weights \\(seed 3\\)`));
    const file = readSafetensors(new Uint8Array(readFileSync(out)));
    assert.equal(file.metadata['m3v.names'], names);
    assert.equal(file.tensors.has(names === 'm3vit' ? 'backbone.blocks.1.mlp.gate.1.w_gate' : 'l1_w_gate_T_task1'), true);

    for (const task of ['a', 'b']) {
      const seeded = await runResult(perTask, task, ['--seed', '3']);
      const fromFile = await runResult(perTask, task, ['--weights', out]);
      assert.deepEqual(fromFile, seeded);
      assert.ok(seeded.png, 'the linear head predicts');
    }
    // A different seed routes differently, so the equality above is not vacuous.
    assert.notDeepEqual((await runResult(perTask, 'a', ['--seed', '4'])).layers, (await runResult(perTask, 'a', ['--weights', out])).layers);
  });
}

test('export-onnx with --weights FILE.safetensors writes the same model bytes as with --seed', async () => {
  const weights = join(dir, 'seed5.safetensors');
  assert.equal((await runCli(['export-weights', perTask, '-o', weights, '--seed', '5', '--names', 'm3vit'])).code, 0);
  const a = join(dir, 'a.onnx');
  const b = join(dir, 'b.onnx');
  assert.equal((await runCli(['export-onnx', perTask, '-o', a, '--seed', '5'])).code, 0);
  const r = await runCli(['export-onnx', perTask, '-o', b, '--weights', weights]);
  assert.equal(r.code, 0, r.err);
  assert.ok(readFileSync(a).equals(readFileSync(b)));
});

test('the task-conditioned router: internal and M3ViT names both round-trip (one shared task embedding)', async () => {
  for (const names of ['internal', 'm3vit']) {
    const out = join(dir, `shared-${names}.safetensors`);
    assert.equal((await runCli(['export-weights', shared, '-o', out, '--seed', '2', '--names', names])).code, 0);
    assert.deepEqual(await runResult(shared, 'b', ['--weights', out]), await runResult(shared, 'b', ['--seed', '2']));
  }
});

test('a truncated file, a mis-shaped tensor and a missing tensor: one line each, exit 2', async () => {
  const good = join(dir, 'good.safetensors');
  assert.equal((await runCli(['export-weights', perTask, '-o', good, '--names', 'm3vit'])).code, 0);
  const bytes = new Uint8Array(readFileSync(good));

  const truncated = join(dir, 'truncated.safetensors');
  writeFileSync(truncated, bytes.subarray(0, bytes.byteLength - 100));
  const t = await runCli(['run', perTask, '--task', 'a', '--weights', truncated]);
  oneLine(t);
  assert.match(t.err, /^m3v run: '.*truncated\.safetensors' is not a usable safetensors file: tensor '[\w.]+': data_offsets \[\d+, \d+\] lie outside the \d+-byte data buffer \(truncated file\?\)\n$/);

  const stored = readSafetensors(bytes).tensors;
  const rewrite = (path: string, edit: (name: string, shape: number[]) => number[] | undefined) => {
    const list = [...stored].flatMap(([name, t]) => {
      const shape = edit(name, t.shape);
      return shape ? [{ name, shape, data: t.data! }] : [];
    });
    writeFileSync(path, writeSafetensors(list));
  };
  const misshaped = join(dir, 'misshaped.safetensors');
  rewrite(misshaped, (name, shape) => (name === 'backbone.blocks.1.mlp.gate.0.w_gate' ? [...shape].reverse() : shape));
  const m = await runCli(['run', perTask, '--task', 'a', '--weights', misshaped]);
  oneLine(m);
  assert.match(m.err, /^m3v run: weights in '.*misshaped\.safetensors' \(M3ViT state-dict names\) do not fit the design: backbone\.blocks\.1\.mlp\.gate\.0\.w_gate \(expected \[16, 4\], found \[4, 16\]\)\n$/);

  const missing = join(dir, 'missing.safetensors');
  rewrite(missing, (name, shape) => (name === 'backbone.blocks.1.mlp.experts.htoh4.weight' ? undefined : shape));
  const x = await runCli(['export-onnx', perTask, '-o', join(dir, 'x.onnx'), '--weights', missing]);
  oneLine(x);
  assert.match(x.err, /lack 1 tensor\(s\) the design needs: backbone\.blocks\.1\.mlp\.experts\.htoh4\.weight \[4, 8, 16\]\n$/);
  assert.equal(existsSync(join(dir, 'x.onnx')), false);
});

test('export-weights usage errors are one line with exit 2', async () => {
  const noOut = await runCli(['export-weights', perTask]);
  oneLine(noOut);
  assert.match(noOut.err, /-o OUT is required/);
  const badNames = await runCli(['export-weights', perTask, '-o', join(dir, 'y.safetensors'), '--names', 'torch']);
  oneLine(badNames);
  assert.match(badNames.err, /--names must be 'internal' or 'm3vit', got 'torch'/);
  const nowhere = await runCli(['run', perTask, '--task', 'a', '--weights', join(dir, 'absent.safetensors')]);
  oneLine(nowhere);
  assert.match(nowhere.err, /--weights '.*absent\.safetensors' does not exist/);
});

test('checkpoints by task name: a swapped task order is refused naming both orders; heads carry the names', async () => {
  const out = join(dir, 'ab.safetensors');
  assert.equal((await runCli(['export-weights', perTask, '-o', out, '--seed', '5', '--names', 'm3vit'])).code, 0);
  const swapped = join(dir, 'ba.m3v');
  writeFileSync(swapped, model('').replace(/task a \{ head linear classes 3 \}\ntask b \{ head linear channels 1 \}/, 'task b { head linear channels 1 }\ntask a { head linear classes 3 }'));
  const r = await runCli(['run', swapped, '--task', 'a', '--weights', out]);
  oneLine(r);
  assert.match(r.err, /do not match the design's tasks: its routers are in the task order a, b, the design's tasks are b, a; list the design's tasks in the checkpoint's order \(a, b\)/);
  // Other names: the fix is to rename.
  const renamed = join(dir, 'xy.m3v');
  writeFileSync(renamed, model('').replace('task a {', 'task x {').replace('task b {', 'task y {'));
  const n = await runCli(['run', renamed, '--task', 'x', '--weights', out]);
  oneLine(n);
  assert.match(n.err, /its routers are in the task order a, b, the design's tasks are x, y; name the design's tasks as the checkpoint does, in its order \(a, b\)/);

  // Without the m3v.tasks metadata the order comes from the decoders' order in the header (M3ViT's ModuleDict order).
  const file = readSafetensors(new Uint8Array(readFileSync(out)));
  const tensors = [...file.tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data! }));
  const reordered = join(dir, 'no-metadata.safetensors');
  const heads = tensors.filter((t) => t.name.startsWith('decoders.'));
  const bFirst = [...tensors.filter((t) => !t.name.startsWith('decoders.')), ...heads.filter((t) => t.name.startsWith('decoders.b.')), ...heads.filter((t) => t.name.startsWith('decoders.a.'))];
  writeFileSync(reordered, writeSafetensors(bFirst, { format: 'pt' }));
  assert.equal((await runCli(['run', swapped, '--task', 'a', '--weights', reordered])).code, 0);
  assert.match((await runCli(['run', perTask, '--task', 'a', '--weights', reordered])).err, /its routers are in the task order b, a, the design's tasks are a, b/);

  // A checkpoint without task heads cannot say whose router is whose.
  const headless = join(dir, 'headless.safetensors');
  writeFileSync(headless, writeSafetensors(tensors.filter((t) => !t.name.startsWith('decoders.')), { format: 'pt' }));
  const h = await runCli(['run', perTask, '--task', 'a', '--weights', headless]);
  oneLine(h);
  assert.match(h.err, /it has no task heads \(decoders\.<task>\.…\), so nothing says which of its routers belongs to which of the design's tasks \(a, b\)/);
});

test('round trip safetensors → Edge-MoE folder → run is bit-identical; the folder has model.hpp and the testbench names', async () => {
  const st = join(dir, 'trained.safetensors');
  assert.equal((await runCli(['export-weights', perTask, '-o', st, '--seed', '8', '--names', 'm3vit'])).code, 0);
  const folder = join(dir, 'edge-moe-out');
  const r = await runCli(['export-weights', perTask, '--weights', st, '--layout', 'edge-moe', '-o', folder]);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(join(folder, 'l1_w_gate_T_task1.float32.bin')) && existsSync(join(folder, 'pos_embed.float32.bin')));
  const header = readFileSync(join(folder, 'model.hpp'), 'utf8');
  // The tiny design: 3 × 32 × 32 input, patch 16 → 4 patches (+ cls), dim 16, mlp 4 × 16 = 64, expert hidden 8.
  for (const line of ['INPUT_WIDTH = 32;', 'FEATURE_DIM = 16;', 'VIT_HIDDEN_DIM = 64;', 'EXPERT_HIDDEN_DIM = 8;', 'NUM_PATCHES = (INPUT_WIDTH / PATCH_WIDTH) * (INPUT_HEIGHT / PATCH_HEIGHT) + 1;', 'NUM_LAYERS = 2;', 'NUM_EXPERTS = 4;', 'NUM_SELECTED_EXPERTS = 2;']) {
    assert.ok(header.includes(`constexpr unsigned int ${line}`), line);
  }
  // patch_embed_bias is [16] float32: 64 bytes.
  assert.equal(readFileSync(join(folder, 'patch_embed_bias.float32.bin')).byteLength, 16 * 4);
  for (const task of ['a', 'b']) assert.deepEqual(await runResult(perTask, task, ['--weights', folder]), await runResult(perTask, task, ['--weights', st]));
  const bad = await runCli(['export-weights', perTask, '--layout', 'hls', '-o', folder]);
  oneLine(bad);
  assert.match(bad.err, /--layout must be 'safetensors' or 'edge-moe', got 'hls'/);
});
