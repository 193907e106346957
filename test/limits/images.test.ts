/**
 * Images and tensors: a PNG whose header declares 100000 × 100000 pixels is refused before decoding; all-NaN weights
 * or input give a warning; the arg-max of a 125 k+ class head is a loop, not a spread; a scenario of 999,999 frames
 * is written in bounded pieces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { InputError, MAX_IMAGE_PIXELS, pngSize, readInputTensor } from '../../model/runtime/image';
import { nonFiniteWarnings } from '../../cli/commands/weights-input';
import { argMax } from '../../cli/commands/run';
import { scenarioJsonChunks, writeBatched } from '../../cli/commands/simulate-text';
import type { ScenarioResult } from '../../engine/schedule/index';

const dir = mkdtempSync(join(tmpdir(), 'm3v-images-'));

/** A PNG header declaring `width` × `height` RGBA, then a small compressed IDAT (a "decompression bomb" in shape). */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]); // CRC not checked before the cap
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1 << 20))), chunk('IEND', Buffer.alloc(0))]);
}

test('a PNG declaring 100000 × 100000 pixels is refused from its header, before decoding', () => {
  const file = join(dir, 'bomb.png');
  writeFileSync(file, bombPng(100_000, 100_000));
  assert.deepEqual(pngSize(bombPng(100_000, 100_000)), { width: 100_000, height: 100_000 });
  const before = process.memoryUsage().rss;
  assert.throws(() => readInputTensor(file, 3, 128, 256), (e: unknown) => e instanceof InputError && /100000 × 100000 PNG \(10000000000 pixels\), over the limit of 100000000 pixels/.test(e.message));
  assert.ok(process.memoryUsage().rss - before < 256 * 1024 ** 2);
  assert.equal(MAX_IMAGE_PIXELS, 100_000_000, 'the same cap as jpeg-js maxResolutionInMP 100');
});

test('a raw tensor larger than C × H × W float32 is refused before it is read', () => {
  const file = join(dir, 'big.bin');
  writeFileSync(file, Buffer.alloc(3 * 4 * 4 * 4 + 4));
  assert.throws(() => readInputTensor(file, 3, 4, 4), /over the limit .*a float32 tensor \[3, 4, 4\] has 192 bytes/);
});

test('all-NaN weights or input give one warning line naming the tensor; finite ones none', () => {
  const nan = new Float32Array(10).fill(NaN);
  const some = Float32Array.from([1, Infinity, 2]);
  const fine = Float32Array.from([1, 2, 3]);
  const lines = nonFiniteWarnings(new Map([['l0_fc1_w', nan], ['l1_fc1_w', some], ['ok', fine]]));
  assert.deepEqual(lines, [
    'warning: weights: 1 tensor(s) are all NaN: l0_fc1_w; the outputs will be NaN',
    'warning: weights: 1 tensor(s) hold NaN or infinite values: l1_fc1_w (1 of 3)',
  ]);
  assert.deepEqual(nonFiniteWarnings(new Map([['ok', fine]])), []);
  assert.match(nonFiniteWarnings(new Map([['x.bin', nan]]), 'input')[0], /^warning: input: .*x\.bin/);
});

test('the top class of a 200,000-class head is found without spreading the logits', () => {
  const logits = new Float32Array(200_000).map((_, i) => Math.sin(i));
  logits[123_456] = 5;
  assert.equal(argMax(logits), 123_456);
  assert.throws(() => Math.max(...Array.from(new Float32Array(2_000_000))), RangeError, 'the spread it replaces overflows');
  assert.equal(argMax([NaN, 1, 3, 2]), 2, 'a NaN first does not win');
});

test('simulate --json of 999,999 frames is written in pieces of about 1 MB that join to valid JSON', () => {
  const frames = Array.from({ length: 999_999 }, (_, index) => ({ index, task: index % 2 ? 'depth' : 'semseg', start: index / 30, latency: 0.01, switchOverheadCycles: 0, switchOverheadBytes: 0, deadline: 0.033, met: true }));
  const result = { scenario: 'long', target: 'zcu102', fps: 30, clockHz: 3e8, routingNotes: [], runs: [{ strategy: 'expert_by_expert', declared: true, switchModel: 'none', frames, totals: {}, energy: {} }] } as unknown as ScenarioResult;
  let pieces = 0;
  let longest = 0;
  let total = 0;
  let tail = '';
  writeBatched(scenarioJsonChunks(result), (t) => {
    pieces++;
    longest = Math.max(longest, t.length);
    total += t.length + 1;
    tail = t.slice(-200);
  }, '\n');
  assert.ok(total > 100e6, `${total} characters in all`);
  assert.ok(longest < 2 * 1024 * 1024, `longest piece ${longest}`);
  assert.ok(pieces > 50);
  assert.match(tail, /"index":999998,.*\]\}\n?\]\}$/s);
  // The same pieces, for a small scenario, parse to exactly what JSON.stringify gives.
  const small = { ...result, runs: [{ ...result.runs[0], frames: frames.slice(0, 3) }] } as ScenarioResult;
  let text = '';
  writeBatched(scenarioJsonChunks(small), (t) => (text += t + '\n'), '\n');
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify({ clock_mhz: 300, ...small })));
});
