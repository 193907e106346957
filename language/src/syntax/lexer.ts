/**
 * The `.m3v` lexer: text → tokens with character offsets. Never throws. Bad characters are reported once per run and
 * skipped, so a pasted smart quote or emoji yields one diagnostic, not one per code unit.
 */
import type { Span } from '../../../engine/design';
import * as msg from '../messages';
import type { Comment } from './tree';

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'newline';

export interface Token {
  kind: TokenKind;
  /** Source text (for strings: the unescaped contents; for punct: the punctuation). */
  text: string;
  span: Span;
  /** Numbers only. */
  value?: number;
  /** Numbers only: letters glued to the number (`4x`, `300MHz`, `19.2GB/s`). */
  suffix?: { text: string; span: Span };
}

export interface LexDiagnostic {
  span: Span;
  code: string;
  message: string;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  diagnostics: LexDiagnostic[];
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isWordChar = (c: string): boolean => isLetter(c) || isDigit(c);
const PUNCT = new Set(['{', '}', '[', ']', ',', ';', '<', '>', '=', '%']);

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const diagnostics: LexDiagnostic[] = [];
  let badStart = -1;
  const flushBad = (end: number): void => {
    if (badStart < 0) return;
    const m = msg.badCharacters(text.slice(badStart, end));
    diagnostics.push({ span: { start: badStart, end }, code: m.code, message: m.message });
    badStart = -1;
  };

  /** After an identifier: `/letters` glued on makes a unit word such as `GB/s` (but `//` and `/*` are comments). */
  const unitTail = (i: number): number => {
    while (text[i] === '/' && isLetter(text[i + 1] ?? '')) {
      i++;
      while (i < text.length && isWordChar(text[i])) i++;
    }
    return i;
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const start = i;
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
      flushBad(i);
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      flushBad(i);
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      tokens.push({ kind: 'newline', text: '\n', span: { start, end: i } });
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      flushBad(i);
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      comments.push({ kind: 'line', span: { start, end: i } });
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      flushBad(i);
      const close = text.indexOf('*/', i + 2);
      // An unclosed `/*` is reported and treated as ending at its line's end: swallowing the rest of the file would
      // turn one typo into errors for every block after it.
      let lineEnd = i;
      while (lineEnd < n && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
      i = close < 0 ? lineEnd : close + 2;
      comments.push({ kind: 'block', span: { start, end: i } });
      if (close < 0) {
        const m = msg.unterminatedComment();
        diagnostics.push({ span: { start, end: start + 2 }, code: m.code, message: m.message });
      }
      // A block comment spanning lines still ends a statement, as the newline it hides would.
      if (close >= 0 && /[\r\n]/.test(text.slice(start, i))) tokens.push({ kind: 'newline', text: '\n', span: { start: i, end: i } });
      continue;
    }
    if (isLetter(c)) {
      flushBad(i);
      i++;
      while (i < n && isWordChar(text[i])) i++;
      i = unitTail(i);
      tokens.push({ kind: 'ident', text: text.slice(start, i), span: { start, end: i } });
      continue;
    }
    // `..` of a range (`vary clock 200 MHz .. 300 MHz`), before the number rule so `200..300` is 200, `..`, 300.
    if (c === '.' && text[i + 1] === '.') {
      flushBad(i);
      i += 2;
      tokens.push({ kind: 'punct', text: '..', span: { start, end: i } });
      continue;
    }
    const signed = (c === '-' || c === '+') && (isDigit(text[i + 1] ?? '') || (text[i + 1] === '.' && isDigit(text[i + 2] ?? '')));
    if (isDigit(c) || signed || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      flushBad(i);
      if (signed) i++;
      while (i < n && isDigit(text[i])) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i++;
        while (i < n && isDigit(text[i])) i++;
      }
      // Exponent only when digits follow (`1e-6`); `3e` alone would be a number with a glued unit.
      if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1] ?? '') || ((text[i + 1] === '-' || text[i + 1] === '+') && isDigit(text[i + 2] ?? '')))) {
        i += 2;
        while (i < n && isDigit(text[i])) i++;
      }
      const numberEnd = i;
      const token: Token = { kind: 'number', text: text.slice(start, numberEnd), span: { start, end: numberEnd }, value: Number(text.slice(start, numberEnd)) };
      if (i < n && isLetter(text[i])) {
        // Glued unit: letters only, so `16x16` is `16x` then `16` (the dims reader accepts that spelling).
        while (i < n && isLetter(text[i])) i++;
        i = unitTail(i);
        token.suffix = { text: text.slice(numberEnd, i), span: { start: numberEnd, end: i } };
        token.span = { start, end: i };
      }
      tokens.push(token);
      continue;
    }
    if (c === '"') {
      flushBad(i);
      i++;
      let value = '';
      let closed = false;
      while (i < n && text[i] !== '\n' && text[i] !== '\r') {
        if (text[i] === '\\' && i + 1 < n && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === '"') {
          closed = true;
          i++;
          break;
        }
        value += text[i++];
      }
      if (!closed) {
        const m = msg.unterminatedString();
        diagnostics.push({ span: { start, end: i }, code: m.code, message: m.message });
      }
      tokens.push({ kind: 'string', text: value, span: { start, end: i } });
      continue;
    }
    if ((c === '<' || c === '>') && text[i + 1] === '=') {
      flushBad(i);
      i += 2;
      tokens.push({ kind: 'punct', text: c + '=', span: { start, end: i } });
      continue;
    }
    if (PUNCT.has(c)) {
      flushBad(i);
      i++;
      tokens.push({ kind: 'punct', text: c, span: { start, end: i } });
      continue;
    }
    if (badStart < 0) badStart = i;
    // Keep surrogate pairs together so a span never splits a character.
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1;
  }
  flushBad(n);
  return { tokens, comments, diagnostics };
}
