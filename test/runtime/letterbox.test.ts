/**
 * `m3v run --fit letterbox` (model/runtime/image.ts): a 512 × 128 image (4:1) into a 256 × 128 input (2:1) is scaled
 * by min(256/512, 128/128) = 0.5 to 256 × 64 and centred at y = (128 − 64) / 2 = 32; rows 0–31 and 96–127 hold the
 * normalisation's mean (0 after normalising; black for pixel/256, whose mean is 0). `stretch` fills every row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { presetNormalization } from '../../engine/design';
import { readInputTensor } from '../../model/runtime/image';

function solidPng(width: number, height: number, rgb: [number, number, number]): string {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  const path = join(mkdtempSync(join(tmpdir(), 'm3v-fit-')), 'wide.png');
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

test('letterbox keeps the aspect ratio and pads with the mean; stretch covers the input', () => {
  const path = solidPng(512, 128, [200, 100, 50]);
  const [C, H, W] = [3, 128, 256];
  const at = (data: Float32Array, c: number, y: number, x: number) => data[(c * H + y) * W + x];
  const boxed = readInputTensor(path, C, H, W, presetNormalization('pixel_256', 3), 'letterbox');
  assert.deepEqual(boxed.placement, { fit: 'letterbox', sourceWidth: 512, sourceHeight: 128, x: 0, y: 32, width: 256, height: 64 });
  for (const y of [0, 31, 96, 127]) assert.equal(at(boxed.data, 0, y, 10), 0, `row ${y} is padding`);
  for (const y of [32, 64, 95]) assert.equal(at(boxed.data, 0, y, 10), 200 / 256, `row ${y} is the image (red 200 / 256)`);
  assert.equal(at(boxed.data, 2, 64, 200), 50 / 256);
  const shown = PNG.sync.read(boxed.png!);
  assert.deepEqual([...shown.data.subarray(0, 4)], [0, 0, 0, 255], 'the padding shows as the mean colour (black)');

  // ImageNet normalisation: the padding is the mean colour, i.e. round(mean × 255) per channel, and 0 in the tensor.
  const imagenet = readInputTensor(path, C, H, W, presetNormalization('imagenet', 3), 'letterbox');
  assert.equal(at(imagenet.data, 1, 0, 0), 0);
  const pad = PNG.sync.read(imagenet.png!).data.subarray(0, 3);
  assert.deepEqual([...pad], [0.485, 0.456, 0.406].map((m) => Math.round(m * 255)));

  const stretched = readInputTensor(path, C, H, W, presetNormalization('pixel_256', 3), 'stretch');
  for (const y of [0, 64, 127]) assert.equal(at(stretched.data, 0, y, 10), 200 / 256);
  assert.equal(stretched.placement?.height, 128);
});
