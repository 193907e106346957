/** The `normalize` key reaches completion and hover through the schema, with its presets as values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESIGN, fixture } from './fixture';

test('completion offers normalize in the model block, and its forms after it', () => {
  const key = fixture(DESIGN.replace('  depth 4\n', '  depth 4\n  |\n'));
  assert.ok(key.services.completion(key.uri, key.cursor).some((i) => i.label === 'normalize'));
  const value = fixture(DESIGN.replace('  depth 4\n', '  depth 4\n  normalize |\n'));
  assert.deepEqual(
    value.services.completion(value.uri, value.cursor).map((i) => i.label),
    ['pixel_256', 'unit', 'imagenet', 'mean'],
  );
});

test('hover on normalize explains it and names the default', () => {
  const f = fixture(DESIGN.replace('  depth 4\n', '  depth 4\n  norm|alize imagenet\n'));
  const h = f.services.hover(f.uri, f.cursor);
  const text = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(text, /ImageNet mean\/std/);
  assert.match(text, /pixel_256/);
});
