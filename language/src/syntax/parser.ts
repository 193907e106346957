/**
 * The `.m3v` parser: tokens → `SyntaxTree` of statements and blocks. It knows only the shape of the language, never
 * throws, and always returns a tree. Unbalanced braces are reported once — at the `{` that is never closed, or at a
 * stray `}` — so one missing brace does not cascade into a diagnostic per line.
 *
 * Nesting of `{ … }` and `[ … ]` together is bounded by `MAX_NESTING`: a block or list opened deeper is reported once
 * (located at its opening token) and skipped without building nodes, by a loop rather than recursion. Everything
 * after the parser (lowering, `repeat` expansion, formatting, symbols) walks the tree recursively, so this one bound
 * keeps every stack in the front end shallow, whatever a hostile file holds (docs/limits.md).
 */
import type { Span } from '../../../engine/design';
import * as msg from '../messages';
import { lex, type LexDiagnostic, type Token } from './lexer';
import type { Atom, Block, ListAtom, PunctText, Statement, SyntaxTree } from './tree';

/** Deepest nesting of blocks and lists together; real designs use 4 (`scenario { frames repeat { repeat { … } } }`). */
export const MAX_NESTING = 100;

export interface ParseResult {
  tree: SyntaxTree;
  /** Lexical then syntax problems, each located. */
  diagnostics: LexDiagnostic[];
}

export function parse(text: string): ParseResult {
  const { tokens, comments, diagnostics } = lex(text);
  const first = new Parser(text, tokens, [...diagnostics], { columnZeroEndsBlocks: false, lineEndsUnclosedList: false });
  const statements = first.statements(false);
  if (!first.sawUnclosedBrace && !first.sawUnclosedBracket) return { tree: { statements, comments }, diagnostics: first.diagnostics };
  // A `{` or `[` was never closed. Parsed naively, everything after it would be swallowed into it and each later
  // keyword reported as an unknown key. Parse again with recovery rules — a word at the start of a line (column 0)
  // ends the open blocks; a line starting with a word ends an open list — so the brace or bracket is reported once
  // and the rest of the file is checked normally. Balanced files never take this path, so unindented but balanced
  // blocks and multi-line lists are unaffected.
  const second = new Parser(text, tokens, [...diagnostics], {
    columnZeroEndsBlocks: first.sawUnclosedBrace,
    lineEndsUnclosedList: first.sawUnclosedBracket,
  });
  return { tree: { statements: second.statements(false), comments }, diagnostics: second.diagnostics };
}

interface RecoveryRules {
  columnZeroEndsBlocks: boolean;
  lineEndsUnclosedList: boolean;
}

class Parser {
  private pos = 0;
  /** Blocks and lists open around the current token. */
  private depth = 0;
  sawUnclosedBrace = false;
  sawUnclosedBracket = false;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    readonly diagnostics: LexDiagnostic[],
    private readonly recovery: RecoveryRules,
  ) {}

  private atLineStart(t: Token): boolean {
    const before = t.span.start === 0 ? '\n' : this.text[t.span.start - 1];
    return before === '\n' || before === '\r';
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private report(span: Span, m: msg.Message): void {
    this.diagnostics.push({ span, code: m.code, message: m.message });
  }

  /** Statements until EOF, or until the `}` closing the current block (left for the caller) when `inBlock`. */
  statements(inBlock: boolean): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) return out;
      if (t.kind === 'newline' || (t.kind === 'punct' && t.text === ';')) {
        this.pos++;
        continue;
      }
      if (t.kind === 'punct' && t.text === '}') {
        if (inBlock) return out;
        this.report(t.span, msg.strayCloseBrace());
        this.pos++;
        continue;
      }
      if (inBlock && this.recovery.columnZeroEndsBlocks && t.kind === 'ident' && this.atLineStart(t)) return out;
      const s = this.statement();
      if (s) out.push(s);
    }
  }

  /** Words up to newline / `;` / `}`; a `{` opens the statement's block, which ends the statement. */
  private statement(): Statement | undefined {
    const words: Atom[] = [];
    let block: Block | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'newline') break;
      if (t.kind === 'punct' && (t.text === ';' || t.text === '}')) break;
      if (t.kind === 'punct' && t.text === '{') {
        block = this.block();
        break;
      }
      const atom = this.atom();
      if (atom) words.push(atom);
    }
    if (words.length === 0 && !block) return undefined;
    const start = words.length ? words[0].span.start : block!.span.start;
    const end = block ? block.span.end : words[words.length - 1].span.end;
    return { words, block, span: { start, end } };
  }

  private block(): Block {
    const open = this.tokens[this.pos++].span;
    if (this.depth >= MAX_NESTING) return this.skipTooDeep(open, '{') as Block;
    this.depth++;
    const statements = this.statements(true);
    this.depth--;
    const t = this.peek();
    if (t && t.kind === 'punct' && t.text === '}') {
      this.pos++;
      return { open, close: t.span, statements, span: { start: open.start, end: t.span.end } };
    }
    this.report(open, msg.unclosedBrace());
    this.sawUnclosedBrace = true;
    const last = this.tokens[this.pos - 1];
    const end = Math.max(open.end, last ? last.span.end : open.end);
    return { open, statements, span: { start: open.start, end } };
  }

  /** One word; `[` starts a list; a stray `]` is reported and skipped (returns undefined). */
  private atom(): Atom | undefined {
    const t = this.tokens[this.pos++];
    switch (t.kind) {
      case 'ident':
        return { kind: 'ident', text: t.text, span: t.span };
      case 'number':
        return t.suffix
          ? { kind: 'number', text: t.text, value: t.value!, span: t.span, suffix: t.suffix }
          : { kind: 'number', text: t.text, value: t.value!, span: t.span };
      case 'string':
        return { kind: 'string', value: t.text, span: t.span };
      default:
        if (t.text === '[') {
          if (this.depth >= MAX_NESTING) return this.skipTooDeep(t.span, '[') as ListAtom;
          this.depth++;
          const list = this.list(t.span);
          this.depth--;
          return list;
        }
        if (t.text === ']') {
          this.report(t.span, msg.strayCloseBracket());
          return undefined;
        }
        return { kind: 'punct', text: t.text as PunctText, span: t.span };
    }
  }

  /**
   * `[ a, b, … ]`, which may span lines. It ends at `]`; a `{`, `}`, `;` or the end of the file means it was never
   * closed (reported at the `[`), and the list keeps what it read so far.
   */
  private list(open: Span): ListAtom {
    const items: Atom[] = [];
    for (;;) {
      const t = this.peek();
      const lineEnds = this.recovery.lineEndsUnclosedList && t?.kind === 'newline' && this.tokens[this.pos + 1]?.kind === 'ident';
      if (!t || lineEnds || (t.kind === 'punct' && (t.text === '{' || t.text === '}' || t.text === ';'))) {
        this.report(open, msg.unclosedBracket());
        this.sawUnclosedBracket = true;
        const end = items.length ? items[items.length - 1].span.end : open.end;
        return { kind: 'list', items, span: { start: open.start, end } };
      }
      if (t.kind === 'newline' || (t.kind === 'punct' && t.text === ',')) {
        this.pos++;
        continue;
      }
      if (t.kind === 'punct' && t.text === ']') {
        this.pos++;
        return { kind: 'list', items, span: { start: open.start, end: t.span.end } };
      }
      const a = this.atom();
      if (a) items.push(a);
    }
  }

  /**
   * A block or list opened at `MAX_NESTING`: reported once at its opening token, then skipped up to its matching
   * close (counting both kinds of bracket) or the end of the file, in a loop. The result is an empty node, so the
   * checker sees one located error rather than a cascade. A list also ends at `{`, `}` or `;` at its own level, as an
   * unclosed list does.
   */
  private skipTooDeep(open: Span, kind: '{' | '['): Block | ListAtom {
    this.report(open, msg.nestingTooDeep(MAX_NESTING));
    let level = 0;
    let close: Span | undefined;
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'punct' && (t.text === '{' || t.text === '[')) level++;
      else if (t.kind === 'punct' && (t.text === '}' || t.text === ']')) {
        if (level === 0) {
          if ((kind === '{') === (t.text === '}')) {
            close = t.span;
            this.pos++;
          }
          break; // the other kind of close belongs to an enclosing node
        }
        level--;
      } else if (kind === '[' && level === 0 && t.kind === 'punct' && t.text === ';') break;
      this.pos++;
    }
    const end = close ? close.end : Math.max(open.end, this.tokens[this.pos - 1]?.span.end ?? open.end);
    if (kind === '[') return { kind: 'list', items: [], span: { start: open.start, end } };
    return close ? { open, close, statements: [], span: { start: open.start, end } } : { open, statements: [], span: { start: open.start, end } };
  }
}
