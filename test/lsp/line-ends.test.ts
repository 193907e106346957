/**
 * One position index for every feature, on LF, CRLF and CR-only files and with non-BMP characters (UTF-16 positions):
 * formatting keeps the file's line ends and sends minimal edits, a canonical file in any line ending gets none.
 * Expected positions are counted by hand from the fixture texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { LineIndex, lineEnding } from '../../language/src/lineIndex';
import { lex } from '../../language/src/syntax/lexer';
import { createLanguageServices } from '../../language/src/services/index';
import { formatText } from '../../language/src/services/format';
import { diffLines, linesWithEnds } from '../../language/src/services/textEdits';
import { DESIGN } from './fixture';

const SAMPLE = readFileSync(join(__dirname, '..', '..', 'samples', 'edge-moe-zcu102.m3v'), 'utf8');
const EOLS = { LF: '\n', CRLF: '\r\n', CR: '\r' } as const;

/** Applies LSP edits (non-overlapping) to a text through the same index a client would build. */
function apply(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function open(text: string) {
  const services = createLanguageServices();
  services.update('file:///t.m3v', 1, text);
  return services;
}

test('the line index treats LF, CRLF and a lone CR as line ends and counts UTF-16 code units', () => {
  const text = 'a\r\nb\rc\nd😀e';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  assert.deepEqual(index.positionAt(text.indexOf('b')), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(text.indexOf('c')), { line: 2, character: 0 });
  // 😀 is U+1F600: two UTF-16 code units, so 'e' is at character 3 of line 3.
  assert.deepEqual(index.positionAt(text.indexOf('e')), { line: 3, character: 3 });
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 1, 'a character past the end clamps before the CRLF');
  assert.deepEqual([lineEnding('x\r\ny\n'), lineEnding('x\ry'), lineEnding('x'), lineEnding('x\ny\r\n')], ['\r\n', '\r', '\n', '\n']);
});

for (const [name, eol] of Object.entries(EOLS)) {
  test(`a canonical ${name} file formats to itself: no edits, no lines lost`, () => {
    const text = SAMPLE.replace(/\n/g, eol);
    assert.equal(formatText(text), text);
    assert.deepEqual(open(text).format('file:///t.m3v'), []);
    // A CR-only copy of this sample (46 lines) used to come back as 24 lines with its comments merged.
    assert.equal(formatText(text)!.split(eol).length, SAMPLE.split('\n').length);
  });

  test(`formatting a messy ${name} file sends small edits, keeps ${name} line ends and every comment, and is idempotent`, () => {
    const canonical = SAMPLE.replace(/\n/g, eol);
    const messy = canonical.replace('  patch 16', '      patch   16').replace('  depth 12', '\tdepth 12   ');
    const services = open(messy);
    const edits = services.format('file:///t.m3v');
    // Two lines changed by hand: two one-line edits, not a whole-document replace.
    assert.equal(edits.length, 2, JSON.stringify(edits));
    for (const e of edits) assert.equal(e.range.end.line - e.range.start.line, 1, 'each edit spans one line');
    assert.deepEqual(
      edits.map((e) => e.newText),
      [`  patch 16${eol}`, `  depth 12${eol}`],
    );
    const formatted = apply(messy, edits);
    assert.equal(formatted, canonical);
    assert.equal(
      formatted
        .split(eol)
        .join('')
        .search(/[\r\n]/),
      -1,
      `only ${name} line ends`,
    );
    assert.equal((formatted.match(/\/\//g) ?? []).length, (SAMPLE.match(/\/\//g) ?? []).length, 'every comment kept');
    services.update('file:///t.m3v', 2, formatted);
    assert.deepEqual(services.format('file:///t.m3v'), [], 'idempotent');
  });
}

test('a multi-line block in a CR-only file is not collapsed onto one line', () => {
  const text = DESIGN.replace(/\n/g, '\r');
  const formatted = formatText(text)!;
  assert.equal(formatted, text);
  assert.ok(formatted.includes('  moe {\r    layers  odd\r'), 'the moe block keeps one key per line');
});

test('the line diff is minimal: changed lines = n + m − 2·LCS on random line lists', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lcs = (a: string[], b: string[]) => {
    const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
    return t[a.length][b.length];
  };
  for (let round = 0; round < 500; round++) {
    const a = Array.from({ length: Math.floor(rnd() * 15) }, () => 'abcd'[Math.floor(rnd() * 4)]);
    const b = Array.from({ length: Math.floor(rnd() * 15) }, () => 'abcd'[Math.floor(rnd() * 4)]);
    const hunks = diffLines(a, b);
    const rebuilt: string[] = [];
    let i = 0;
    for (const h of hunks) {
      rebuilt.push(...a.slice(i, h.oldStart), ...b.slice(h.newStart, h.newEnd));
      i = h.oldEnd;
    }
    rebuilt.push(...a.slice(i));
    assert.deepEqual(rebuilt, b, `${a.join()} → ${b.join()}`);
    const changed = hunks.reduce((n, h) => n + (h.oldEnd - h.oldStart) + (h.newEnd - h.newStart), 0);
    assert.equal(changed, a.length + b.length - 2 * lcs(a, b), `${a.join()} → ${b.join()}`);
  }
  assert.deepEqual(linesWithEnds('a\r\nb\rc\nd'), ['a\r\n', 'b\r', 'c\n', 'd']);
});

test('positions after an emoji are UTF-16: diagnostics, rename and hover agree with the client', () => {
  // Line 13 (0-based) is the semseg task; the emoji sits in a comment before its name.
  const text = DESIGN.replace('task semseg { head linear classes 5 }', '/* 😀 */ task semseg { head linear classes 5 }');
  const services = open(text);
  const line = text.split('\n')[13];
  assert.equal(line.indexOf('semseg'), 14, '/* 😀 */ is 8 code units + a space, "task " is 5');
  const rename = services.rename('file:///t.m3v', { line: 13, character: 15 }, 'seg');
  assert.ok('edit' in rename);
  const first = rename.edit.changes!['file:///t.m3v'][0];
  assert.deepEqual(first.range, { start: { line: 13, character: 14 }, end: { line: 13, character: 20 } });
  const broken = open(text.replace('classes 5', 'clases 5'));
  const d = broken.diagnostics('file:///t.m3v')[0];
  assert.deepEqual(d.range.start, { line: 13, character: 35 }, 'the misspelled word, counted in UTF-16 after the emoji');
});

test('a backslash at the end of a string line does not swallow a CR line end', () => {
  // `routing trace "a\` then CR: the string is unclosed at its line's end, and `experts 4` is still its own statement.
  const text = 'model m {\r  moe {\r    routing trace "a\\\r    experts 4\r  }\r}\r';
  const { tokens } = lex(text);
  const string = tokens.find((t) => t.kind === 'string')!;
  assert.equal(text.slice(string.span.start, string.span.end), '"a\\');
  assert.ok(
    tokens.some((t) => t.kind === 'ident' && t.text === 'experts'),
    'experts is a word, not string contents',
  );
});
