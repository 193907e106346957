/**
 * `analyzeDocument`: the single entry of the `.m3v` front end. Parse (never throws), then lower and check against the
 * schema. Pure: no Node, no editor, so it runs in the language server, the CLI and a browser worker alike.
 */
import { lower } from './check/lower';
import { CheckContext } from './check/context';
import { analysisLimitProblem } from './check/limits';
import { parse } from './syntax/parser';
import type { DocumentAnalysis, M3vDiagnostic } from './types';

export { LineIndex } from './lineIndex';

export function analyzeDocument(text: string): DocumentAnalysis {
  const { tree, diagnostics: syntax } = parse(text);
  const ctx = new CheckContext(text);
  const { design, symbols } = lower(tree, ctx);
  // A design the analysis cannot handle in bounded time is an error here, so no face says "ok" to it.
  const tooLarge = design ? analysisLimitProblem(design) : undefined;
  if (tooLarge) ctx.error(tooLarge.span, tooLarge.message);
  const syntaxDiagnostics: M3vDiagnostic[] = syntax.map((d) => ({ span: d.span, severity: 'error', message: d.message, code: d.code }));
  // Semantic problems in document order; a stable sort keeps same-offset problems in the order they were found.
  const semantic = [...ctx.diagnostics].sort((a, b) => a.span.start - b.span.start);
  const syntaxSorted = syntaxDiagnostics.sort((a, b) => a.span.start - b.span.start);
  const hasError = syntaxSorted.length > 0 || semantic.some((d) => d.severity === 'error');
  const result: DocumentAnalysis = { text, tree, diagnostics: [...syntaxSorted, ...semantic], symbols, references: ctx.references };
  if (design && !hasError) result.design = design;
  return result;
}
