/** `locate`: enclosing blocks, statement and word under an offset, and the block kind whose keys apply there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../language/src/syntax/parser';
import { locate } from '../../language/src/services/locate';
import { BASE } from './fixture';

const { tree } = parse(BASE);
const at = (needle: string, delta = 0) => locate(tree, BASE.indexOf(needle) + delta);

test('locate: block kinds at top level, in model, moe, hardware, budget, scenario and frames', () => {
  assert.equal(at('model tiny').blockKind, 'file');
  assert.equal(at('input 3').blockKind, 'model');
  assert.equal(at('experts 16').blockKind, 'moe');
  assert.equal(at('clock 300').blockKind, 'hardware');
  assert.equal(at('latency semseg').blockKind, 'budget');
  assert.equal(at('fps 30').blockKind, 'scenario');
  assert.equal(at('semseg depth }').blockKind, undefined);
  assert.equal(at('head linear classes 7').blockKind, 'task');
});

test('locate: statement and word index under the offset', () => {
  const l = at('300 MHz', 1);
  assert.deepEqual(l.path.map((s) => (s.words[0] as { text: string }).text), ['hardware']);
  assert.equal(l.wordIndex, 1);
  assert.equal((l.statement!.words[0] as { text: string }).text, 'clock');
  const e = at('experts 16', 7);
  assert.equal(e.wordIndex, 0);
  assert.deepEqual(e.path.map((s) => (s.words[0] as { text: string }).text), ['model', 'moe']);
});

test('locate: on an empty line inside a block there is no statement, but the block kind is known', () => {
  const text = 'hardware h {\n  \n}\n';
  const l = locate(parse(text).tree, text.indexOf('  \n') + 2);
  assert.equal(l.statement, undefined);
  assert.equal(l.wordIndex, -1);
  assert.equal(l.blockKind, 'hardware');
});
