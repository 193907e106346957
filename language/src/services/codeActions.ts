/**
 * Quick fixes for the checker's common errors, built from the server's own diagnostics of the current text (not from
 * what the client echoes back, which may be stale or from another tool):
 * - "did you mean": an unknown key, block, value, unit, device, task or target with a close match is replaced by it;
 * - `top_k` larger than `experts`: clamp it to the block's `experts`;
 * - a design without tasks, or a budget/scenario naming a task that does not exist: add a task block skeleton.
 * Every fix is a plain WorkspaceEdit, so any client can apply it and undo it.
 */
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver-types';
import { lineEnding } from '../lineIndex';
import { suggestionOf } from '../messages';
import { keyInfo } from '../schema';
import { locate } from './locate';
import type { Statement } from '../syntax/tree';
import type { M3vDiagnostic } from '../types';
import { toLspDiagnostic, toRange } from './convert';
import type { AnalyzedDocument } from './document';

/** Diagnostics whose "did you mean" suggestion replaces exactly the diagnostic's span. */
const SUGGESTING = new Set([
  'unknown-key',
  'unknown-block',
  'unknown-value',
  'unknown-unit',
  'unknown-device',
  'unknown-task',
  'unknown-target',
  'unknown-energy',
]);

const overlaps = (a: Range, b: Range): boolean =>
  !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character < a.start.character)
  );

export function codeActions(doc: AnalyzedDocument, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of doc.analysis.diagnostics) {
    const lsp = toLspDiagnostic(doc.index, d);
    if (!overlaps(lsp.range, range)) continue;
    const fix = (title: string, edits: TextEdit[], preferred = false) =>
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [lsp], isPreferred: preferred, edit: { changes: { [doc.uri]: edits } } });

    const suggestion = SUGGESTING.has(d.code) ? suggestionOf(d.message) : undefined;
    if (suggestion) {
      const written = doc.analysis.text.slice(d.span.start, d.span.end);
      fix(`Change '${written}' to '${suggestion}'`, [{ range: lsp.range, newText: suggestion }], true);
    }
    if (d.code === 'top-k-range') {
      const experts = expertsOf(doc, d);
      if (experts !== undefined) fix(`Clamp top_k to experts (${experts})`, [{ range: lsp.range, newText: String(experts) }], true);
    }
    if (d.code === 'no-tasks' || (d.code === 'unknown-task' && !suggestion)) {
      const name = d.code === 'unknown-task' ? doc.analysis.text.slice(d.span.start, d.span.end) : 'main';
      const edit = addTaskEdit(doc, name);
      if (edit) fix(`Add a task block '${name}'`, [edit], d.code === 'no-tasks');
    }
  }
  return actions;
}

/** The `experts` count written in the same `moe` block as the offending `top_k`. */
function expertsOf(doc: AnalyzedDocument, d: M3vDiagnostic): number | undefined {
  const loc = locate(doc.analysis.tree, d.span.start);
  const block = loc.path[loc.path.length - 1]?.block;
  const experts = block?.statements.find((s) => s.words[0]?.kind === 'ident' && s.words[0].text === 'experts');
  const value = experts?.words[1];
  return value?.kind === 'number' && !value.suffix && Number.isInteger(value.value) && value.value >= 1 ? value.value : undefined;
}

/** Inserts `task NAME { head … }` after the last task block (or the model block), in the file's line ending. */
function addTaskEdit(doc: AnalyzedDocument, name: string): TextEdit | undefined {
  const isBlock = (s: Statement, keyword: string) => s.block?.close !== undefined && s.words[0]?.kind === 'ident' && s.words[0].text === keyword;
  const statements = doc.analysis.tree.statements;
  const after = [...statements].reverse().find((s) => isBlock(s, 'task')) ?? statements.find((s) => isBlock(s, 'model'));
  if (!after) return undefined;
  const eol = lineEnding(doc.analysis.text);
  const head = keyInfo('task', 'head')!.example;
  // At the end of the block's last line, so a trailing comment there stays with that block.
  const lineEnd = doc.index.offsetAt({ line: doc.index.lineOf(after.span.end), character: Number.MAX_SAFE_INTEGER });
  const at = toRange(doc.index, { start: lineEnd, end: lineEnd });
  return { range: at, newText: `${eol}task ${name} {${eol}  ${head}${eol}}` };
}
