/**
 * The Run panel's notices and keys from `m3v run --json`: seeded weights, the CPU thread count, an image of
 * another aspect ratio (stretched or letterboxed), the class legend / regression range, the tokens × experts data.
 * Also the letterbox placement and the class key themselves (model/runtime/image.ts), with figures worked by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputNotice, runViewFromCliJson } from '../../../extension/runResult';
import { placeImage, predictionKey } from '../../../model/runtime/image';

test('seeded weights, threads, the output key and per-token routing reach the view', () => {
  const view = runViewFromCliJson(JSON.stringify({
    task: 'semseg', latency_ms: 3, threads: 4, weights: { seeded: true, source: 'seeded weights (seed 0)' }, grid: { rows: 1, cols: 1 },
    trace: { experts: 2, layers: [{ layer: 1, experts: [[0], [1]], scores: [[0.9], [0.6]] }] },
    prediction: { output: 'classes', key: { kind: 'classes', classes: [{ class: 0, colour: '#e6194b', pixels: 5 }, { class: 1, colour: 'red;x', pixels: 0 }] } },
  }));
  assert.ok(typeof view !== 'string');
  assert.deepEqual(view.weights, { seeded: true, source: 'seeded weights (seed 0)' });
  assert.equal(view.threads, 4);
  assert.deepEqual(view.outputKey, { kind: 'classes', classes: [{ class: 0, colour: '#e6194b', pixels: 5 }, { class: 1, colour: '#808080', pixels: 0 }] }, 'a colour that is not #rrggbb is replaced');
  assert.deepEqual(view.tokenRouting, [{ layer: 1, experts: [[0], [1]], scores: [[0.9], [0.6]] }]);
});

test('an image of another aspect ratio gets a notice; the same aspect ratio does not', () => {
  // 256 × 128 (2:1) into 512 × 512 (1:1), stretched: the case.
  assert.equal(
    inputNotice({ width: 512, height: 512, source_width: 256, source_height: 128, fit: 'stretch' }),
    'the 256 × 128 image was resized to the model\'s 512 × 512 input, changing its aspect ratio (2.00 → 1.00); set m3v.run.imageFit to "letterbox" to keep its shape',
  );
  assert.match(inputNotice({ width: 512, height: 512, source_width: 256, source_height: 128, fit: 'letterbox', placed: { x: 0, y: 128, width: 512, height: 256 } })!, /letterboxed .*scaled to 512 × 256 at x 0, y 128/);
  assert.equal(inputNotice({ width: 256, height: 128, source_width: 1024, source_height: 512, fit: 'stretch' }), undefined);
  assert.equal(inputNotice(undefined), undefined);
});

test('letterbox placement: scale to fit, centred; stretch covers the input', () => {
  // 256 × 128 into 512 × 512: scale min(2, 4) = 2 → 512 × 256, centred vertically at y = (512 − 256) / 2 = 128.
  assert.deepEqual(placeImage(256, 128, 512, 512, 'letterbox'), { fit: 'letterbox', sourceWidth: 256, sourceHeight: 128, x: 0, y: 128, width: 512, height: 256 });
  // 100 × 300 into 256 × 128: scale min(2.56, 0.4267) → 42.67 × 128 → 43 wide at x = floor((256 − 43) / 2) = 106.
  assert.deepEqual(placeImage(100, 300, 256, 128, 'letterbox'), { fit: 'letterbox', sourceWidth: 100, sourceHeight: 300, x: 106, y: 0, width: 43, height: 128 });
  assert.deepEqual(placeImage(256, 128, 512, 512, 'stretch'), { fit: 'stretch', sourceWidth: 256, sourceHeight: 128, x: 0, y: 0, width: 512, height: 512 });
});

test('the class key counts arg-max pixels per class; the channel key is the first channel\'s range', () => {
  // 3 classes × 2 × 2 pixels: pixel 0 → class 2, pixel 1 → class 0, pixels 2 and 3 → class 1.
  const data = Float32Array.from([
    /* class 0 */ 0, 5, 0, 0,
    /* class 1 */ 1, 1, 3, 3,
    /* class 2 */ 9, 0, 1, 2,
  ]);
  const key = predictionKey(data, [3, 2, 2], 'classes');
  assert.deepEqual(key.kind === 'classes' && key.classes.map((c) => [c.class, c.pixels]), [[0, 1], [1, 2], [2, 1]]);
  assert.equal(key.kind === 'classes' && key.classes[0].colour, '#e6194b', 'class 0 is the PNG palette\'s first colour (230, 25, 75)');
  assert.deepEqual(predictionKey(Float32Array.from([-1, 0.5, 2, 7, 100, 100, 100, 100]), [2, 2, 2], 'channels'), { kind: 'channels', channel: 0, min: -1, max: 7 });
});
