/**
 * The generic syntax tree of a `.m3v` file. The parser knows only the shape of the language — statements of words
 * ending at a newline or `;`, optionally followed by a `{ … }` block of statements — and never throws. Meaning (which
 * keys exist, what their values are) is given by the schema and checked when the tree is lowered to a `Design`.
 * This two-level design is what lets one typo produce one diagnostic while the rest of the file is still checked.
 */
import type { Span } from '../../../engine/design';

export type { Span };

export type Atom = IdentAtom | NumberAtom | StringAtom | PunctAtom | ListAtom;

export interface IdentAtom {
  kind: 'ident';
  /** The identifier, or a unit word with a slash such as `GB/s` or `pJ/B`. */
  text: string;
  span: Span;
}

export interface NumberAtom {
  kind: 'number';
  text: string;
  value: number;
  span: Span;
  /** Letters glued to the number without a space (`4x`, `300MHz`): a unit written tight. */
  suffix?: { text: string; span: Span };
}

export interface StringAtom {
  kind: 'string';
  /** The unescaped contents, without quotes. */
  value: string;
  span: Span;
}

export type PunctText = '<' | '<=' | '>' | '>=' | '=' | ',' | '%' | '..';

export interface PunctAtom {
  kind: 'punct';
  text: PunctText;
  span: Span;
}

/** `[ a, b, c ]`: items without the commas. */
export interface ListAtom {
  kind: 'list';
  items: Atom[];
  span: Span;
}

export interface Statement {
  /** The words before the block or the end of the statement. `words[0]` is the key. May be empty for a bare block. */
  words: Atom[];
  block?: Block;
  span: Span;
}

export interface Block {
  /** The `{`. */
  open: Span;
  /** The `}`; undefined when the block was never closed (a syntax error is reported). */
  close?: Span;
  statements: Statement[];
  span: Span;
}

export interface Comment {
  span: Span;
  /** `//` line comment or a `/* … *\/` block comment. */
  kind: 'line' | 'block';
}

export interface SyntaxTree {
  statements: Statement[];
  comments: Comment[];
}
