/**
 * The one position index of the language: offset ⇄ position for one text, used by every feature (diagnostics, edits,
 * formatting, semantic tokens, the CLI's FILE:LINE:COL). Positions are 0-based {line, character} (LSP convention); the
 * CLI adds 1. `character` counts UTF-16 code units — the LSP default encoding and what a JavaScript string index is,
 * so an emoji is two characters. Lines end at LF, CRLF or a lone CR (as in LSP and the lexer).
 * Line starts are computed once so each lookup is a binary search: the language server converts many spans per edit.
 */
export interface Position {
  line: number;
  character: number;
}

export type LineEnding = '\n' | '\r\n' | '\r';

/** The file's line ending: that of its first line break (LF for a text without any), so edits can keep it. */
export function lineEnding(text: string): LineEnding {
  const i = text.search(/[\r\n]/);
  if (i < 0 || text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** The lines of a text without their terminators (LF, CRLF or CR); a final line break yields a last empty line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1); // a lone CR ends a line too
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based position of an offset; offsets outside the text are clamped. */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  /** Offset of a 0-based position; a character past the line's end clamps to the end of that line. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    let end = next;
    // Exclude the line terminator itself.
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.min(start + Math.max(0, position.character), end);
  }

  /** Offset where a 0-based line starts (the text's length past the last line). */
  lineStart(line: number): number {
    if (line < 0) return 0;
    return line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    return this.positionAt(offset).line;
  }

  /** 1-based {line, column} for command-line output (`FILE:LINE:COL`). */
  lineColumn(offset: number): { line: number; column: number } {
    const p = this.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  }

  /** The text of a 0-based line without its terminator. */
  lineText(line: number): string {
    const start = this.offsetAt({ line, character: 0 });
    const end = this.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
    return this.text.slice(start, end);
  }
}
