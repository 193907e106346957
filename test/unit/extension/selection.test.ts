import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySummary, resolveSelection, statusOf } from '../../../webviews/host/analyzer';
import { resourcesMessage, scheduleMode } from '../../../webviews/host/messages';

test('selection keeps the user choice while it exists, then the setting, then the first', () => {
  assert.equal(resolveSelection(['semseg', 'depth'], 'depth', 'semseg'), 'depth');
  // The chosen task was renamed away in the text: fall back to the setting.
  assert.equal(resolveSelection(['semseg', 'normals'], 'depth', 'normals'), 'normals');
  assert.equal(resolveSelection(['semseg', 'normals'], undefined, 'missing'), 'semseg');
  assert.equal(resolveSelection([], 'x', 'y'), '');
});

test('an empty summary carries its one-line reason and offers nothing to draw', () => {
  const a = emptySummary('3:5: expected a number');
  assert.equal(a.problem, '3:5: expected a number');
  assert.deepEqual([a.tasks, a.targets, a.scenarios, a.status], [[], [], [], []]);
  assert.equal(statusOf(a, 't', 'x'), undefined);
});

test('a stale answer becomes a stale message; a scenario the design lost falls back to one frame', () => {
  assert.deepEqual(resourcesMessage(4, { uri: 'u', version: 2, stale: '1:2: bad' }), { v: 1, type: 'stale', reason: '1:2: bad' });
  const summary = { ...emptySummary(''), problem: undefined, scenarios: ['drive'] };
  assert.deepEqual(scheduleMode(summary, { compare: false, scenario: 'drive' }), { kind: 'scenario', scenario: 'drive' });
  assert.deepEqual(scheduleMode(summary, { compare: true, scenario: 'gone' }), { kind: 'compare' });
  assert.deepEqual(scheduleMode(summary, { compare: false }), { kind: 'schedule' });
});
