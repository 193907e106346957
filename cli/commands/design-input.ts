/**
 * Reading a design for a CLI command: the file, its analysis (errors printed located as FILE:LINE:COL like
 * `m3v check`), and the routing trace it names (`routing trace "FILE"`, relative to the design file).
 */
import { dirname, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { LineIndex } from '../../language/src/lineIndex';
import type { Design } from '../../engine/design';
import type { DocumentAnalysis } from '../../language/src/types';
import type { RoutingTrace } from '../../engine/routing-trace';
import { parseRoutingTrace } from '../../engine/schedule/trace-format';
import { MAX_DESIGN_BYTES, readRegularText, readTraceText } from '../../node/safeFiles';
import { MAX_REPORTED_DIAGNOSTICS, moreDiagnostics } from '../../language/src/check/limits';
import { UsageError, type CliIo } from '../io';

export interface LoadedDesign {
  file: string;
  design: Design;
  /** Loaded traces keyed by the path as written in the design. */
  traces: Map<string, RoutingTrace>;
}

/** A design file: a regular file of at most MAX_DESIGN_BYTES (node/safeFiles.ts refuses the rest). */
export function readDesignText(path: string): string {
  return readRegularText(path, { maxBytes: MAX_DESIGN_BYTES, what: 'design file', because: 'designs are small text files' });
}

/** The checked design, or undefined after printing its errors (the caller exits 1). */
export function loadDesign(file: string, io: CliIo): LoadedDesign | undefined {
  const text = readDesignText(file);
  const analysis: DocumentAnalysis = analyzeDocument(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !analysis.design) {
    const lines = new LineIndex(text);
    for (const d of errors.slice(0, MAX_REPORTED_DIAGNOSTICS)) {
      const at = lines.lineColumn(d.span.start);
      io.err(`${file}:${at.line}:${at.column}: error: ${d.message}`);
    }
    if (errors.length > MAX_REPORTED_DIAGNOSTICS) io.err(`${file}: ${moreDiagnostics(errors.length - MAX_REPORTED_DIAGNOSTICS)}`);
    if (errors.length === 0) io.err(`${file}: the design could not be checked`);
    return undefined;
  }
  const design = analysis.design;
  const traces = new Map<string, RoutingTrace>();
  const routing = design.model.moe?.routing;
  if (routing?.kind === 'trace') {
    const path = resolve(dirname(file), routing.path);
    const parsed = parseRoutingTrace(readTraceText(path));
    if (!parsed.ok) throw new UsageError(`routing trace '${path}': ${parsed.error}`);
    traces.set(routing.path, parsed.trace);
  }
  return { file, design, traces };
}
