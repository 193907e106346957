/**
 * Writing a point of a design space back into the `.m3v` text: one edit per varied key — the value words of the
 * key's statement in the model, `moe` or explored hardware block replaced by the point's value as written, or a new
 * line at the end of that block when the key was left at its default. Used to check every front point against a
 * fresh `analyzeDesign` of the written design, and by a panel to apply a point as one undoable edit.
 */
import type { Span } from '../../engine/design';
import { isModelKey, type ExploreSpec, type VaryKey } from '../../engine/explore/spec';
import type { Statement, SyntaxTree } from './syntax/tree';

export interface TextEdit {
  span: Span;
  newText: string;
}

const isKey = (s: Statement, key: string) => s.words[0]?.kind === 'ident' && s.words[0].text === key;

function blockFor(tree: SyntaxTree, spec: ExploreSpec, key: VaryKey): Statement | undefined {
  if (!isModelKey(key)) return tree.statements.find((s) => isKey(s, 'hardware') && s.words[1]?.kind === 'ident' && s.words[1].text === spec.target);
  const model = tree.statements.find((s) => isKey(s, 'model'));
  if (key === 'dim' || key === 'depth' || key === 'heads') return model;
  return model?.block?.statements.find((s) => isKey(s, 'moe'));
}

/** The key's name in its own block (`top_k` is `top_k`, every vary key is spelled as in its block). */
export function pointEdits(text: string, tree: SyntaxTree, spec: ExploreSpec, values: Record<string, string>): TextEdit[] {
  const edits: TextEdit[] = [];
  // `units` is written inside the `linear` line (`linear 16 x 16 units 2`): the two keys make one edit of that line.
  const unitsValue = values['units'];
  const linearValue = values['linear'];
  if (unitsValue !== undefined || linearValue !== undefined) {
    const hw = blockFor(tree, spec, 'linear');
    const stmt = hw?.block?.statements.find((s) => isKey(s, 'linear'));
    const written = stmt && stmt.words.length > 1 ? text.slice(stmt.words[1].span.start, stmt.words[stmt.words.length - 1].span.end) : '16 x 16';
    const [dims, ownUnits] = splitUnits(linearValue ?? written);
    const units = unitsValue ?? ownUnits ?? splitUnits(written)[1];
    const line = `${dims}${units !== undefined ? ` units ${units}` : ''}`;
    if (stmt && stmt.words.length > 1) edits.push({ span: { start: stmt.words[1].span.start, end: stmt.words[stmt.words.length - 1].span.end }, newText: line });
    else if (hw?.block) edits.push(insertion(text, hw, 'linear', line));
  }
  for (const axis of spec.axes) {
    const value = values[axis.key];
    if (value === undefined || axis.key === 'units' || axis.key === 'linear') continue;
    const block = blockFor(tree, spec, axis.key);
    if (!block?.block) continue;
    const stmt = block.block.statements.find((s) => isKey(s, axis.key));
    if (stmt && stmt.words.length > 1) {
      edits.push({ span: { start: stmt.words[1].span.start, end: stmt.words[stmt.words.length - 1].span.end }, newText: value });
    } else edits.push(insertion(text, block, axis.key, value));
  }
  return edits;
}

/** `16 x 16 units 2` → ['16 x 16', '2']; `16 x 16` → ['16 x 16', undefined]. */
function splitUnits(value: string): [string, string | undefined] {
  const m = /^(.*?)\s+units\s+(\S+)$/.exec(value);
  return m ? [m[1], m[2]] : [value, undefined];
}

/**
 * A key absent from its block (left at its default): a new line before the block's `}`, indented as the block's
 * first statement; in a block written on one line, a `; key value` before its `}`.
 */
function insertion(text: string, block: Statement, key: string, value: string): TextEdit {
  const b = block.block!;
  const close = b.close?.start ?? b.span.end;
  if (!text.slice(b.open.start, close).includes('\n')) return { span: { start: close, end: close }, newText: `${b.statements.length ? '; ' : ''}${key} ${value} ` };
  const first = b.statements[0];
  const lineStart = first ? text.lastIndexOf('\n', first.span.start - 1) + 1 : close;
  const indent = first ? text.slice(lineStart, first.span.start) : '  ';
  const before = text.lastIndexOf('\n', close - 1) + 1;
  return { span: { start: before, end: before }, newText: `${indent}${key} ${value}\n` };
}

/** The text with the edits applied (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
