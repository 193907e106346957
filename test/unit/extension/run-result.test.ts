import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routingLineEdit, runViewFromCliJson } from '../../../extension/runResult';

test('run JSON becomes per-layer expert loads and a patch map without the cls token', () => {
  // 2x2 patches + cls = 5 tokens, E = 3, k = 2. Loads count both choices: e0: 3, e1: 4, e2: 3.
  const json = JSON.stringify({
    task: 'semseg',
    latency_ms: 12.5,
    grid: { rows: 2, cols: 2 },
    trace: {
      experts: 3,
      layers: [{ layer: 1, experts: [[0, 1], [1, 2], [2, 0], [1, 0], [2, 1]], scores: [] }],
    },
  });
  const view = runViewFromCliJson(json);
  assert.ok(typeof view !== 'string');
  assert.equal(view.task, 'semseg');
  assert.equal(view.latencyMs, 12.5);
  assert.deepEqual(view.layers, [{ layer: 1, expertLoad: [3, 4, 3], patchTopExpert: [1, 2, 1, 2] }]);
});

test('bad output is one line, not an exception', () => {
  assert.equal(runViewFromCliJson('oops'), 'm3v run did not print JSON');
  assert.equal(runViewFromCliJson('3'), 'm3v run printed an unexpected value');
});

test('routing edit replaces only the value, keeping comment and indentation', () => {
  const text = 'moe {\n    routing balanced   // assumed\n  experts 16\n}';
  const e = routingLineEdit(text, 'traces/semseg.json');
  assert.ok(e);
  const edited = text.slice(0, e.start) + e.text + text.slice(e.end);
  assert.equal(edited, 'moe {\n    routing trace "traces/semseg.json"   // assumed\n  experts 16\n}');
});

test('routing edit handles a quoted path with slashes, a semicolon, and a missing routing line', () => {
  const text = 'moe { routing trace "a/b.json"; experts 4 }\n  routing skewed alpha 1.2 seed 7';
  const e = routingLineEdit(text, 'x.json');
  // The first line starts with `moe`, so the statement found is the indented one on line 2.
  assert.ok(e);
  assert.equal(text.slice(e.start, e.end), 'skewed alpha 1.2 seed 7');
  const t2 = '  routing trace "a/b.json"; experts 4';
  const e2 = routingLineEdit(t2, 'x.json')!;
  assert.equal(t2.slice(e2.start, e2.end), 'trace "a/b.json"');
  assert.equal(routingLineEdit('moe { experts 4 }', 'x.json'), undefined);
});
