/**
 * `m3v check FILE... [--json]`: parse and check designs; print located diagnostics (1-based) or a one-line summary of
 * each clean file. Exit 1 when any file has an error, 0 otherwise; unreadable input and bad usage exit 2 via UsageError.
 */
import { analyzeDocument } from '../../language/src/analyze';
import { LineIndex } from '../../language/src/lineIndex';
import type { Design } from '../../engine/design';
import { tokenCount } from '../../engine/design';
import type { DocumentAnalysis } from '../../language/src/types';
import { defineCommand } from '../args';
import { readDesignText } from './design-input';
import { MAX_REPORTED_DIAGNOSTICS, moreDiagnostics } from '../../language/src/check/limits';

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  message: string;
}

export const checkCommand = defineCommand(
  {
    name: 'check',
    summary: 'check .m3v designs and print their errors and warnings',
    positionals: { usage: 'FILE...', what: 'design file', min: 1, max: Infinity, missing: 'no design file given' },
    options: { json: { type: 'boolean', help: 'the diagnostics of every file as one JSON object' } },
  },
  async ({ values, positionals: files }, io) => {
    const json = values.json;
    // Read every file first so that a missing one fails before any output: the result is all or nothing.
    const texts = files.map((f) => ({ file: f, text: readDesignText(f) }));
    let failed = false;
    const all: JsonDiagnostic[] = [];
    for (const { file, text } of texts) {
      const analysis = analyzeDocument(text);
      const lines = new LineIndex(text);
      const shown = analysis.diagnostics.slice(0, MAX_REPORTED_DIAGNOSTICS);
      if (analysis.diagnostics.some((d) => d.severity === 'error')) failed = true;
      for (const d of shown) {
        const s = lines.lineColumn(d.span.start);
        const e = lines.lineColumn(d.span.end);
        if (d.severity === 'error') failed = true;
        all.push({ file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: d.severity, message: d.message });
        if (!json) io.out(`${file}:${s.line}:${s.column}: ${d.severity}: ${d.message}`);
      }
      const left = analysis.diagnostics.length - shown.length;
      if (left > 0 && !json) io.out(`${file}: ${moreDiagnostics(left)}`);
      if (!json && !analysis.diagnostics.some((d) => d.severity === 'error')) io.out(`${file}: ok — ${summarize(analysis)}`);
    }
    if (json) io.out(JSON.stringify({ diagnostics: all }));
    return failed ? 1 : 0;
  },
);


/** `model m3vit_tiny: 129 tokens, 12 layers (6 MoE × 16 experts, top-2), 2 tasks, 1 target`. */
export function summarize(analysis: DocumentAnalysis): string {
  const d: Design | undefined = analysis.design;
  if (!d) return 'no design';
  const m = d.model;
  const moe = m.moe ? ` (${m.moe.layers.length} MoE × ${m.moe.experts} experts, top-${m.moe.topK})` : ' (dense)';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const extras = [d.budgets.length ? plural(d.budgets.length, 'budget') : '', d.scenarios.length ? plural(d.scenarios.length, 'scenario') : ''].filter(Boolean);
  return `model ${m.name}: ${tokenCount(m)} tokens, ${m.depth} layers${moe}, ${plural(d.tasks.length, 'task')}, ${plural(d.targets.length, 'target')}${extras.length ? ', ' + extras.join(', ') : ''}`;
}
