/**
 * Shared state of one check: the diagnostics being collected and the line index for "on line N" messages.
 * `Fail` is thrown by value readers and caught per statement, so a bad statement yields exactly one diagnostic and the
 * checker moves on to the next statement.
 */
import type { Span } from '../../../engine/design';
import { LineIndex } from '../lineIndex';
import type { Message } from '../messages';
import type { M3vDiagnostic, NameReference } from '../types';

export class Fail {
  constructor(
    readonly span: Span,
    readonly m: Message,
  ) {}
}

export class CheckContext {
  readonly diagnostics: M3vDiagnostic[] = [];
  readonly references: NameReference[] = [];
  readonly lines: LineIndex;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  error(span: Span, m: Message): void {
    this.diagnostics.push({ span, severity: 'error', message: m.message, code: m.code });
  }

  warning(span: Span, m: Message): void {
    this.diagnostics.push({ span, severity: 'warning', message: m.message, code: m.code });
  }

  /** 1-based line of an offset, for messages that point back at an earlier declaration. */
  line(offset: number): number {
    return this.lines.positionAt(offset).line + 1;
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** Runs one statement's reader; a `Fail` becomes its single diagnostic. Returns whether it succeeded. */
  attempt(run: () => void): boolean {
    try {
      run();
      return true;
    } catch (e) {
      if (e instanceof Fail) {
        this.error(e.span, e.m);
        return false;
      }
      throw e;
    }
  }
}

export const spanOf = (first: { span: Span }, last: { span: Span } = first): Span => ({ start: first.span.start, end: last.span.end });
