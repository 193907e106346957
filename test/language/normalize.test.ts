/**
 * The model block's `normalize` key: each form lowers to the hand-written normalisation, the default is pixel/256
 * (Edge-MoE), and each mistake is one diagnostic at the offending words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../language/src/analyze';
import { analyzeMarked, BASE } from './fixture';

const withNormalize = (line: string, input = 'input 3 x 128 x 256') =>
  BASE.replace('  input 3 x 128 x 256\n', `  ${input}\n  ${line}\n`);

function normalizationOf(text: string) {
  const a = analyzeDocument(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.ok(a.design?.model.input.normalize);
  return a.design.model.input.normalize;
}

test('normalize: absent means pixel_256 (x = pixel / 256), filled by the lowering', () => {
  assert.deepEqual(normalizationOf(BASE), { preset: 'pixel_256', divideBy: 256, mean: [0, 0, 0], std: [1, 1, 1] });
});

test('normalize: the presets', () => {
  assert.deepEqual(normalizationOf(withNormalize('normalize pixel_256')), { preset: 'pixel_256', divideBy: 256, mean: [0, 0, 0], std: [1, 1, 1] });
  assert.deepEqual(normalizationOf(withNormalize('normalize unit')), { preset: 'unit', divideBy: 255, mean: [0, 0, 0], std: [1, 1, 1] });
  assert.deepEqual(normalizationOf(withNormalize('normalize imagenet')), {
    preset: 'imagenet',
    divideBy: 255,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  });
});

test('normalize: custom mean/std, one per channel, and a 1-channel input', () => {
  assert.deepEqual(normalizationOf(withNormalize('normalize mean [0.5, 0.5, 0.25] std [0.5, 0.5, 2]')), {
    preset: 'custom',
    divideBy: 255,
    mean: [0.5, 0.5, 0.25],
    std: [0.5, 0.5, 2],
  });
  assert.deepEqual(normalizationOf(withNormalize('normalize mean [0.5] std [0.25]', 'input 1 x 128 x 256')).mean, [0.5]);
  assert.deepEqual(normalizationOf(withNormalize('normalize unit', 'input 1 x 128 x 256')).std, [1]);
});

test('normalize: written before input still checks against the input channels', () => {
  const text = BASE.replace('  input 3 x 128 x 256\n', '  normalize mean [0, 0] std [1, 1]\n  input 2 x 128 x 256\n');
  assert.deepEqual(normalizationOf(text).mean, [0, 0]);
});

const ERRORS: { name: string; line: string; input?: string; message: string; code: string }[] = [
  { name: 'too few means', line: 'normalize mean ⟦[0.5, 0.5]⟧ std [1, 1, 1]', message: "'normalize' mean has 2 values, but the input has 3 channels (one value per channel)", code: 'normalize-channels' },
  { name: 'too many stds', line: 'normalize mean [0, 0, 0] std ⟦[1, 1, 1, 1]⟧', message: "'normalize' std has 4 values, but the input has 3 channels (one value per channel)", code: 'normalize-channels' },
  { name: 'imagenet on a grey input', line: 'normalize ⟦imagenet⟧', input: 'input 1 x 128 x 256', message: "'normalize imagenet' has 3 channel values, but the input has 1 channel: write 'normalize mean [..] std [..]'", code: 'normalize-channels' },
  { name: 'zero std', line: 'normalize mean [0, 0, 0] std [1, ⟦0⟧, 1]', message: "'normalize std' must be greater than 0, got 0", code: 'not-positive' },
  { name: 'negative std', line: 'normalize mean [0, 0, 0] std [1, 1, ⟦-0.5⟧]', message: "'normalize std' must be greater than 0, got -0.5", code: 'not-positive' },
  { name: 'unknown preset with suggestion', line: 'normalize ⟦imagnet⟧', message: "unknown normalize 'imagnet' (did you mean 'imagenet'?)", code: 'unknown-value' },
  { name: 'missing std', line: 'normalize mean [0, 0, 0]', message: "'normalize' expects mean [M, …] std [S, …], got nothing", code: 'wrong-form' },
  { name: 'non-number in list', line: 'normalize mean [0, ⟦x⟧, 0] std [1, 1, 1]', message: "'normalize mean' expects plain numbers such as [0.5, 0.5, 0.5], got 'x'", code: 'wrong-form' },
];

for (const c of ERRORS) {
  test(`normalize error: ${c.name}`, () => {
    const { analysis, spans, text } = analyzeMarked(withNormalize(c.line, c.input));
    assert.deepEqual(analysis.diagnostics.map((d) => d.message), [c.message]);
    assert.equal(analysis.diagnostics[0].code, c.code);
    if (spans.length) assert.deepEqual(analysis.diagnostics[0].span, spans[0], text.slice(analysis.diagnostics[0].span.start, analysis.diagnostics[0].span.end));
    assert.equal(analysis.design, undefined);
  });
}
