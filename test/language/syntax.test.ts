/** Lexer and parser: every token form, statement/block/list shapes, and recovery (unclosed braces, stray tokens). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex } from '../../language/src/syntax/lexer';
import { parse } from '../../language/src/syntax/parser';
import type { Atom, Statement } from '../../language/src/syntax/tree';
import { LineIndex } from '../../language/src/lineIndex';

const kinds = (text: string) => lex(text).tokens.map((t) => `${t.kind}:${t.text}${t.suffix ? '+' + t.suffix.text : ''}`);
const words = (s: Statement) => s.words.map(show);
function show(a: Atom): string {
  if (a.kind === 'list') return `[${a.items.map(show).join(',')}]`;
  if (a.kind === 'string') return `"${a.value}"`;
  if (a.kind === 'number') return a.text + (a.suffix ? a.suffix.text : '');
  return a.text;
}

test('lexer: identifiers, unit words with a slash, numbers with glued units, exponents, strings, punctuation', () => {
  assert.deepEqual(kinds('bandwidth 19.2 GB/s'), ['ident:bandwidth', 'number:19.2', 'ident:GB/s']);
  assert.deepEqual(kinds('mlp 4x'), ['ident:mlp', 'number:4+x']);
  assert.deepEqual(kinds('clock 300MHz'), ['ident:clock', 'number:300+MHz']);
  assert.deepEqual(kinds('energy ddr 120pJ/B'), ['ident:energy', 'ident:ddr', 'number:120+pJ/B']);
  assert.deepEqual(kinds('eps 1e-6'), ['ident:eps', 'number:1e-6']);
  assert.deepEqual(kinds('x -2.5'), ['ident:x', 'number:-2.5']);
  assert.deepEqual(kinds('3x128x256'), ['number:3+x', 'number:128+x', 'number:256']);
  assert.deepEqual(kinds('trace "a\\"b.json"'), ['ident:trace', 'string:a"b.json']);
  assert.deepEqual(kinds('< <= > >= = % , ; { } [ ]'), ['<', '<=', '>', '>=', '=', '%', ',', ';', '{', '}', '[', ']'].map((p) => `punct:${p}`));
  assert.equal(lex('1e-6').tokens[0].value, 1e-6);
  assert.equal(lex('19.2').tokens[0].value, 19.2);
});

test('lexer: comments are kept and `//` after a unit word is a comment, not a unit', () => {
  const r = lex('a GB/s// note\n/* block\n comment */ b');
  assert.deepEqual(r.tokens.map((t) => t.kind + ':' + t.text), ['ident:a', 'ident:GB/s', 'newline:\n', 'newline:\n', 'ident:b']);
  assert.deepEqual(r.comments.map((c) => c.kind), ['line', 'block']);
  assert.deepEqual(r.comments[0].span, { start: 6, end: 13 });
});

test('lexer: a run of bad characters is one diagnostic; unterminated string and comment are reported', () => {
  const r = lex('a @@# b');
  assert.equal(r.diagnostics.length, 1);
  assert.deepEqual(r.diagnostics[0].span, { start: 2, end: 5 });
  assert.equal(r.diagnostics[0].message, "unexpected characters '@@#'");
  assert.deepEqual(r.tokens.map((t) => t.text), ['a', 'b']);
  const s = lex('trace "abc\nx');
  assert.equal(s.diagnostics[0].code, 'unterminated-string');
  assert.deepEqual(s.diagnostics[0].span, { start: 6, end: 10 });
  const c = lex('a /* never');
  assert.equal(c.diagnostics[0].message, "comment '/*' is never closed");
  assert.deepEqual(c.diagnostics[0].span, { start: 2, end: 4 });
});

test('parser: statements end at newline, `;` and `}`; a `{` opens a nested block', () => {
  const { tree, diagnostics } = parse('scenario s {\n  frames repeat 10 { semseg depth semseg }; fps 30\n}\n');
  assert.deepEqual(diagnostics, []);
  assert.equal(tree.statements.length, 1);
  const s = tree.statements[0];
  assert.deepEqual(words(s), ['scenario', 's']);
  assert.equal(s.block!.statements.length, 2);
  const frames = s.block!.statements[0];
  assert.deepEqual(words(frames), ['frames', 'repeat', '10']);
  assert.deepEqual(words(frames.block!.statements[0]), ['semseg', 'depth', 'semseg']);
  assert.deepEqual(words(s.block!.statements[1]), ['fps', '30']);
});

test('parser: nested repeats and one-line blocks', () => {
  const { tree } = parse('frames repeat 2 { a repeat 3 { b } }');
  const inner = tree.statements[0].block!.statements[0];
  assert.deepEqual(words(inner), ['a', 'repeat', '3']);
  assert.deepEqual(words(inner.block!.statements[0]), ['b']);
});

test('parser: lists may span lines and commas separate items', () => {
  const { tree, diagnostics } = parse('layers [1, 3,\n 5]\nnext 1');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(tree.statements.map(words), [['layers', '[1,3,5]'], ['next', '1']]);
});

test('recovery: an unclosed brace is reported once at the `{`, and later blocks still parse', () => {
  const text = 'model m {\n  dim 1\ntask a { head linear classes 1 }\n';
  const { tree, diagnostics } = parse(text);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].message, "'{' opened here is never closed");
  assert.deepEqual(diagnostics[0].span, { start: 8, end: 9 });
  assert.deepEqual(tree.statements.map(words), [['model', 'm'], ['task', 'a']]);
  assert.equal(tree.statements[0].block!.close, undefined);
});

test('recovery: a stray `}` and a stray `]` are reported at themselves and skipped', () => {
  const { tree, diagnostics } = parse('a 1\n}\nb ] 2\n');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.span.start]), [['stray-brace', 4], ['stray-bracket', 8]]);
  assert.deepEqual(tree.statements.map(words), [['a', '1'], ['b', '2']]);
});

test('recovery: an unclosed `[` is reported at the `[` and the statement keeps its items', () => {
  const { tree, diagnostics } = parse('m {\n layers [1, 3\n}\n');
  assert.deepEqual(diagnostics.map((d) => [d.message, d.span.start]), [["'[' opened here is never closed", 12]]);
  assert.deepEqual(words(tree.statements[0].block!.statements[0]), ['layers', '[1,3]']);
});

test('parser never throws on arbitrary punctuation soup', () => {
  for (const text of ['{', '}', '[', ']', '{{{', '}}}', '[[{]}', '"', '/*', '<=>=%', '{ [ } ]', '']) {
    const r = parse(text);
    for (const d of r.diagnostics) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, text);
  }
});

test('LineIndex converts offsets both ways, 0-based and 1-based, with CRLF', () => {
  const text = 'ab\r\ncd\nefg';
  const li = new LineIndex(text);
  assert.equal(li.lineCount, 3);
  assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(li.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(li.positionAt(9), { line: 2, character: 2 });
  assert.deepEqual(li.positionAt(999), { line: 2, character: 3 });
  assert.equal(li.offsetAt({ line: 1, character: 1 }), 5);
  assert.equal(li.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(li.offsetAt({ line: 9, character: 0 }), text.length);
  assert.deepEqual(li.lineColumn(7), { line: 3, column: 1 });
  assert.equal(li.lineText(1), 'cd');
});
