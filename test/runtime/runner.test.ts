/**
 * The model runner's child process (dist/runtime-worker.js, built by `npm test` before the tests): runs, task switches
 * in one session, a crash turned into a clear error and a restart, cancellation. And `m3v run` end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { analyzeDocument } from '../../language/src/analyze';
import { buildBackboneModel } from '../../model/onnx/backbone';
import { encodeModel } from '../../model/onnx/proto';
import { parseRoutingTrace } from '../../engine/schedule/trace-format';
import { ModelRunner } from '../../model/runtime/runner';
import { seededDesignWeights } from '../../model/weights/seeded';
import { runCli } from '../fixtures/runCli';
import { relL2 } from '../fixtures/relL2';
import { runBackbone } from '../../model/reference/backbone';

const TINY = `model tiny {
  input 3 x 32 x 32
  patch 16
  dim   16
  heads 2
  depth 2
  moe {
    layers  [1]
    experts 4
    top_k   2
    hidden  16
  }
}
task a { head linear classes 3 }
task b { head linear channels 1 }
`;
const design = analyzeDocument(TINY).design!;
const model = encodeModel(buildBackboneModel(design, seededDesignWeights(design, 2)));
const image = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => (i % 17) / 17);

test('runs in a child process; a task switch is an input of the same session', async () => {
  const runner = new ModelRunner(model, 1);
  try {
    const a = await runner.run(image, [3, 32, 32], 0);
    const pid = runner.pid;
    const b = await runner.run(image, [3, 32, 32], 1);
    assert.equal(runner.pid, pid, 'same worker process');
    assert.notEqual(pid, process.pid);
    assert.deepEqual(a.outputs.features.dims, [5, 16]);
    assert.notDeepEqual(Array.from(a.outputs.topk_experts_1.data as BigInt64Array), Array.from(b.outputs.topk_experts_1.data as BigInt64Array));
  } finally {
    runner.dispose();
  }
});

test('the worker reports progress: loading once, then running and collecting for each run', async () => {
  const runner = new ModelRunner(model, 1);
  const events: string[] = [];
  runner.onProgress = (stage, id) => void events.push(id === undefined ? stage : `${stage} ${id}`);
  try {
    await runner.run(image, [3, 32, 32], 0);
    await runner.run(image, [3, 32, 32], 1);
    assert.deepEqual(events, ['loading', 'running 0', 'collecting 0', 'running 1', 'collecting 1']);
  } finally {
    runner.dispose();
  }
});

test('a crashed worker is a clear error, and the next run restarts it', async () => {
  const runner = new ModelRunner(model, 1);
  try {
    await runner.load();
    const pid = runner.pid!;
    const pending = runner.run(image, [3, 32, 32], 0);
    process.kill(pid, 'SIGKILL');
    await assert.rejects(pending, /the model process stopped unexpectedly \(signal SIGKILL\); it restarts on the next run/);
    const again = await runner.run(image, [3, 32, 32], 0);
    assert.deepEqual(again.outputs.features.dims, [5, 16]);
    assert.notEqual(runner.pid, pid);
  } finally {
    runner.dispose();
  }
});

test('an aborted run is cancelled and the runner still works afterwards', async () => {
  const runner = new ModelRunner(model, 1);
  try {
    await runner.load();
    const controller = new AbortController();
    const pending = runner.run(image, [3, 32, 32], 0, controller.signal);
    controller.abort();
    await assert.rejects(pending, /cancelled/);
    assert.deepEqual((await runner.run(image, [3, 32, 32], 1)).outputs.features.dims, [5, 16]);
  } finally {
    runner.dispose();
  }
});

test('a model the runtime cannot load is a clear error', async () => {
  const runner = new ModelRunner(new Uint8Array([1, 2, 3]), 1);
  try {
    await assert.rejects(runner.run(image, [3, 32, 32], 0), /the model did not load|the model process stopped/);
  } finally {
    runner.dispose();
  }
});

test('m3v run on a PNG writes a routing trace that m3v analyze then uses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-run-'));
  const png = new PNG({ width: 40, height: 24 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) % 256;
  writeFileSync(join(dir, 'in.png'), PNG.sync.write(png));
  writeFileSync(join(dir, 'tiny.m3v'), TINY + 'hardware h { device zcu102; clock 200 MHz }\n');
  const r = await runCli(['run', join(dir, 'tiny.m3v'), '--task', 'b', '--image', join(dir, 'in.png'), '--trace', join(dir, 'trace.json'), '--json']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /progress 4\/4 done/);
  const out = JSON.parse(r.out);
  assert.equal(out.task, 'b');
  assert.ok(out.latency_ms > 0);
  assert.deepEqual(out.grid, { rows: 2, cols: 2 });
  assert.equal(out.expert_counts['1'].reduce((x: number, y: number) => x + y, 0), 5 * 2);
  assert.ok(typeof out.input_png === 'string' && out.input_png.length > 0);
  // Task b's linear head: 1 channel, upsampled to the 32 x 32 input, as a grey PNG of that size.
  assert.deepEqual({ ...out.prediction, key: undefined }, { output: 'channels', dims: [1, 32, 32], key: undefined });
  // The colour bar's range is the first channel's own min and max (the PNG's grey ramp runs between them).
  assert.equal(out.prediction.key.kind, 'channels');
  assert.ok(out.prediction.key.min <= out.prediction.key.max);
  const map = PNG.sync.read(Buffer.from(out.output_png, 'base64'));
  assert.deepEqual([map.width, map.height], [32, 32]);
  const parsed = parseRoutingTrace(readFileSync(join(dir, 'trace.json'), 'utf8'));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.trace.layers.map((l) => l.layer), [1]);

  writeFileSync(join(dir, 'traced.m3v'), TINY.replace('    hidden  16\n', '    hidden  16\n    routing trace "trace.json"\n') + 'hardware h { device zcu102; clock 200 MHz }\n');
  const analyzed = await runCli(['analyze', join(dir, 'traced.m3v')]);
  assert.equal(analyzed.code, 0, analyzed.err);
  assert.doesNotMatch(analyzed.out, /layer 1: .*assumed balanced/);
});

test('m3v run: a raw tensor of the wrong size and an unknown task are one-line errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-run-'));
  writeFileSync(join(dir, 'tiny.m3v'), TINY);
  writeFileSync(join(dir, 'x.bin'), Buffer.alloc(12));
  const raw = await runCli(['run', join(dir, 'tiny.m3v'), '--task', 'a', '--image', join(dir, 'x.bin')]);
  assert.equal(raw.code, 2);
  assert.match(raw.err, /^m3v run: input '.*x\.bin' has 12 bytes; a float32 tensor \[3, 32, 32\] has 12288\n$/);
  const task = await runCli(['run', join(dir, 'tiny.m3v'), '--task', 'zzz']);
  assert.match(task.err, /unknown task 'zzz'; tasks: a, b/);
});

test('m3v run --features writes the backbone output tokens, equal to the float64 reference; a cls head reports its class', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-run-'));
  const withCls = TINY.replace('task b { head linear channels 1 }', 'task b { head cls classes 5 }');
  writeFileSync(join(dir, 'tiny.m3v'), withCls);
  // A raw float32 input, so the reference sees exactly what the runner sees.
  writeFileSync(join(dir, 'x.bin'), Buffer.from(image.buffer));
  const r = await runCli(['run', join(dir, 'tiny.m3v'), '--task', 'b', '--image', join(dir, 'x.bin'), '--seed', '2', '--features', join(dir, 'f.bin'), '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const d = analyzeDocument(withCls).design!;
  const bytes = readFileSync(join(dir, 'f.bin'));
  const written = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  assert.deepEqual(out.features, { dims: [5, 16], path: join(dir, 'f.bin') });
  const reference = Float64Array.from(runBackbone(d, seededDesignWeights(d, 2), image, 1).features.flatMap((row) => Array.from(row)));
  assert.ok(relL2(written, reference) < 1e-5, `features vs reference: ${relL2(written, reference)}`);
  // The cls head: logits for 5 classes and the arg-max, with no map to write.
  assert.equal(out.prediction.output, 'classes');
  assert.equal(out.prediction.logits.length, 5);
  assert.equal(out.prediction.class, out.prediction.logits.indexOf(Math.max(...out.prediction.logits)));
  const noMap = await runCli(['run', join(dir, 'tiny.m3v'), '--task', 'b', '--output', join(dir, 'o.png')]);
  assert.equal(noMap.code, 2);
  assert.match(noMap.err, /a cls head gives class logits, not a map/);
});
