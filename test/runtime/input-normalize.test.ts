/**
 * readInputTensor normalises decoded pixels as the design's `normalize` says. A uniform image at the design's own
 * size (no resampling) with pixel values (128, 64, 255) gives hand-computed values per channel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { presetNormalization } from '../../engine/design';
import { InputError, readInputTensor } from '../../model/runtime/image';

const PIXEL = [128, 64, 255];

function withImage(run: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-norm-'));
  try {
    const png = new PNG({ width: 4, height: 2 });
    for (let i = 0; i < 8; i++) png.data.set([...PIXEL, 255], i * 4);
    const path = join(dir, 'uniform.png');
    writeFileSync(path, PNG.sync.write(png));
    run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value of channel c at every position (they are all equal in a uniform image). */
function channelValues(data: Float32Array, c: number): number[] {
  return Array.from(data.subarray(c * 8, (c + 1) * 8));
}

function assertChannel(data: Float32Array, c: number, expected: number): void {
  for (const v of channelValues(data, c)) assert.ok(Math.abs(v - expected) < 1e-6, `channel ${c}: ${v} vs ${expected}`);
}

test('input normalize pixel_256 (default): 128 → 0.5, 64 → 0.25, 255 → 0.99609375', () => {
  withImage((path) => {
    for (const t of [readInputTensor(path, 3, 2, 4), readInputTensor(path, 3, 2, 4, presetNormalization('pixel_256', 3))]) {
      assertChannel(t.data, 0, 0.5);
      assertChannel(t.data, 1, 0.25);
      assertChannel(t.data, 2, 255 / 256);
    }
  });
});

test('input normalize unit: 128 → 0.50196…, 255 → 1', () => {
  withImage((path) => {
    const t = readInputTensor(path, 3, 2, 4, presetNormalization('unit', 3));
    assertChannel(t.data, 0, 0.5019607843);
    assertChannel(t.data, 1, 0.2509803922);
    assertChannel(t.data, 2, 1);
  });
});

test('input normalize imagenet: (128/255 − 0.485)/0.229 = 0.074064…, (64/255 − 0.456)/0.224, (1 − 0.406)/0.225', () => {
  withImage((path) => {
    const t = readInputTensor(path, 3, 2, 4, presetNormalization('imagenet', 3));
    assertChannel(t.data, 0, 0.0740645);
    assertChannel(t.data, 1, -0.9152661);
    assertChannel(t.data, 2, 2.64);
  });
});

test('input normalize custom on a grey input: mean of the channels, then (v/255 − 0.5)/0.25', () => {
  withImage((path) => {
    // Grey = round((128 + 64 + 255) / 3) = 149; (149/255 − 0.5)/0.25 = 0.3372549.
    const t = readInputTensor(path, 1, 2, 4, { preset: 'custom', divideBy: 255, mean: [0.5], std: [0.25] });
    assertChannel(t.data, 0, 0.3372549);
  });
});

test('input normalize with the wrong number of channel values is an input error', () => {
  withImage((path) => {
    assert.throws(() => readInputTensor(path, 1, 2, 4, presetNormalization('imagenet', 3)), InputError);
  });
});

test('the Run panel PNG stays the raw resized image whatever the normalisation', () => {
  withImage((path) => {
    const t = readInputTensor(path, 3, 2, 4, presetNormalization('imagenet', 3));
    assert.ok(t.png);
    const back = PNG.sync.read(t.png);
    assert.deepEqual(Array.from(back.data.subarray(0, 4)), [...PIXEL, 255]);
  });
});
