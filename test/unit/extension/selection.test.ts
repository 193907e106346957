import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyAnalysis, resolveSelection } from '../../../webviews/host/analyzer';

test('selection keeps the user choice while it exists, then the setting, then the first', () => {
  assert.equal(resolveSelection(['semseg', 'depth'], 'depth', 'semseg'), 'depth');
  // The chosen task was renamed away in the text: fall back to the setting.
  assert.equal(resolveSelection(['semseg', 'normals'], 'depth', 'normals'), 'normals');
  assert.equal(resolveSelection(['semseg', 'normals'], undefined, 'missing'), 'semseg');
  assert.equal(resolveSelection([], 'x', 'y'), '');
});

test('an empty analysis carries its one-line reason and offers nothing to draw', () => {
  const a = emptyAnalysis('3:5: expected a number');
  assert.equal(a.problem, '3:5: expected a number');
  assert.deepEqual([a.tasks, a.targets, a.scenarios], [[], [], []]);
  assert.equal(a.resources('t', 'x'), undefined);
  assert.equal(a.schedule('t', 'x'), undefined);
  assert.equal(a.status('t', 'x'), undefined);
});
