/** Conversions between the front end's offsets/diagnostics and LSP ranges/diagnostics. */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { Span } from '../../../engine/design';
import type { LineIndex } from '../lineIndex';
import type { M3vDiagnostic } from '../types';

export function toRange(index: LineIndex, span: Span): Range {
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

const SEVERITY: Record<M3vDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(index: LineIndex, d: M3vDiagnostic): Diagnostic {
  return { range: toRange(index, d.span), severity: SEVERITY[d.severity], code: d.code, source: 'm3v', message: d.message };
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
