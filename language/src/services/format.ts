/**
 * Canonical formatting: one statement per line, two spaces per block level, one space between words (words written
 * tight stay tight: `fixed<16,2>`, `4x`), values of a block aligned one space after its longest key (as in the
 * language spec's examples), lists as `[a, b, c]`, at most one blank line in a row, no trailing spaces, a final newline.
 * A block written on one line with at most a few statements stays on one line. Comments are kept: a comment on a line of
 * its own stays on its own line at the block's indentation; a trailing comment stays at its column when it fits.
 *
 * Line ends are the file's own (its first line break: LF, CRLF or CR), so formatting never converts a file.
 *
 * Formatting refuses (returns undefined) when the text has syntax errors or a comment sits inside a statement: the
 * output could not then keep everything, and nothing the user wrote may be lost. The result is idempotent.
 */
import { LineIndex, lineEnding } from '../lineIndex';
import { parse } from '../syntax/parser';
import type { Atom, Comment, Statement } from '../syntax/tree';
import { listGroups } from '../check/explore';

const INDENT = '  ';
const MAX_ONE_LINE = 100;

interface OutLine {
  text: string;
  /** Source line of the last token on this output line (trailing comments of that line attach here). */
  sourceLine: number;
}

export function formatText(text: string): string | undefined {
  const { tree, diagnostics } = parse(text);
  if (diagnostics.length > 0) return undefined;

  // The language's one line index: LF, CRLF and lone CR all end a line (a CR-only file must format line by line).
  const index = new LineIndex(text);
  const lineOf = (offset: number): number => index.lineOf(offset);
  const columnOf = (offset: number) => offset - index.lineStart(lineOf(offset));

  // A comment is trailing when code precedes it on its line.
  const trailing = new Map<number, Comment[]>();
  const standalone: Comment[] = [];
  for (const c of tree.comments) {
    const before = text.slice(index.lineStart(lineOf(c.span.start)), c.span.start);
    if (before.trim() === '') standalone.push(c);
    else {
      const line = lineOf(c.span.start);
      trailing.set(line, [...(trailing.get(line) ?? []), c]);
    }
  }
  // Refuse when a comment sits between the words of one statement (e.g. inside a multi-line list).
  const insideStatement = (c: Comment, statements: Statement[]): boolean =>
    statements.some((s) => {
      if (s.words.length > 0 && c.span.start > s.words[0].span.start && c.span.end < s.words[s.words.length - 1].span.end) return true;
      return s.block ? insideStatement(c, s.block.statements) : false;
    });
  if (tree.comments.some((c) => insideStatement(c, tree.statements))) return undefined;

  const atomText = (a: Atom): string => (a.kind === 'list' ? `[${a.items.map(atomText).join(', ')}]` : text.slice(a.span.start, a.span.end));
  /** A list of an explore block's `vary`: its values span words (`16 x 16`, `fixed<16,2>`), commas separate them. */
  const varyListText = (a: Atom): string =>
    a.kind === 'list' ? `[${listGroups(text, a).map((g) => wordsText(g, false)).join(', ')}]` : atomText(a);
  const wordsText = (words: Atom[], explore = false): string => {
    let out = '';
    words.forEach((w, i) => {
      if (i > 0) {
        const gap = text.slice(words[i - 1].span.end, w.span.start);
        out += gap === '' ? '' : ' ';
      }
      out += explore ? varyListText(w) : atomText(w);
    });
    return out;
  };
  const isExplore = (s: Statement): boolean => s.words[0]?.kind === 'ident' && s.words[0].text === 'explore';

  const out: OutLine[] = [];
  let lastSourceEnd = -1;

  const blankLineBetween = (from: number, to: number): boolean => from >= 0 && lineOf(to) - lineOf(from) > 1;

  const isOneLine = (s: Statement): boolean =>
    !!s.block &&
    !!s.block.close &&
    lineOf(s.block.open.start) === lineOf(s.block.close.start) &&
    s.block.statements.every((x) => !x.block || isOneLine(x));

  const oneLineText = (s: Statement): string => {
    const head = wordsText(s.words);
    const body = s.block!.statements.map((x) => (x.block ? oneLineText(x) : wordsText(x.words, isExplore(s)))).join('; ');
    return `${head}${head ? ' ' : ''}{${body ? ` ${body} ` : ' '}}`;
  };

  const emitStandaloneBefore = (offset: number, depth: number) => {
    while (standalone.length > 0 && standalone[0].span.start < offset) {
      const c = standalone.shift()!;
      if (blankLineBetween(lastSourceEnd, c.span.start) && out.length > 0) out.push({ text: '', sourceLine: -1 });
      out.push({ text: INDENT.repeat(depth) + text.slice(c.span.start, c.span.end), sourceLine: -1 });
      lastSourceEnd = c.span.end;
    }
  };

  const emitBlock = (statements: Statement[], depth: number, blockEnd: number, explore = false) => {
    const plain = statements.filter((s) => !s.block && s.words.length > 1 && s.words[0].kind === 'ident');
    // A loop, not Math.max(...): a spread of 125 k widths overflows the stack.
    const keyWidth = plain.reduce((m, s) => Math.max(m, atomText(s.words[0]).length), 0);
    for (const s of statements) {
      emitStandaloneBefore(s.span.start, depth);
      if (blankLineBetween(lastSourceEnd, s.span.start) && out.length > 0) out.push({ text: '', sourceLine: -1 });
      const indent = INDENT.repeat(depth);
      if (!s.block) {
        const [key, ...rest] = s.words;
        const line = rest.length > 0 && key.kind === 'ident' ? `${atomText(key).padEnd(keyWidth)} ${wordsText(rest, explore)}` : wordsText(s.words, explore);
        out.push({ text: indent + line, sourceLine: lineOf(s.words[s.words.length - 1].span.end) });
        lastSourceEnd = s.span.end;
        continue;
      }
      const close = s.block.close!;
      if (isOneLine(s) && indent.length + oneLineText(s).length <= MAX_ONE_LINE) {
        out.push({ text: indent + oneLineText(s), sourceLine: lineOf(close.start) });
        lastSourceEnd = close.end;
        continue;
      }
      const head = wordsText(s.words);
      out.push({ text: `${indent}${head}${head ? ' ' : ''}{`, sourceLine: lineOf(s.block.open.start) });
      lastSourceEnd = s.block.open.end;
      emitBlock(s.block.statements, depth + 1, close.start, isExplore(s));
      out.push({ text: `${indent}}`, sourceLine: lineOf(close.start) });
      lastSourceEnd = close.end;
    }
    emitStandaloneBefore(blockEnd, depth);
  };
  emitBlock(tree.statements, 0, text.length + 1);

  // Attach trailing comments to the last output line built from their source line.
  const lastOutForSource = new Map<number, number>();
  out.forEach((l, i) => {
    if (l.sourceLine >= 0) lastOutForSource.set(l.sourceLine, i);
  });
  for (const [line, comments] of trailing) {
    const i = lastOutForSource.get(line);
    const c = comments[0];
    const commentText = comments.map((x) => text.slice(x.span.start, x.span.end)).join(' ');
    if (i === undefined) {
      out.push({ text: commentText, sourceLine: -1 });
      continue;
    }
    const code = out[i].text;
    const column = columnOf(c.span.start);
    out[i] = { ...out[i], text: column > code.length ? code.padEnd(column) + commentText : `${code} ${commentText}` };
  }
  const eol = lineEnding(text);
  const lines = out.map((l) => trimBlanksEnd(l.text));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join(eol) + eol;
}

/**
 * The line without trailing spaces and tabs, by a loop: `/[ \t]+$/` backtracks at every run of blanks, so a
 * 20,000-character line of `a b a b …` took 1.8 s (found by the structural fuzz, docs/limits.md).
 */
function trimBlanksEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return end === line.length ? line : line.slice(0, end);
}
