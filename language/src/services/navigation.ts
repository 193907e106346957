/**
 * Go to definition, find references and rename of tasks and hardware targets. Only tasks and targets are referenced
 * by name elsewhere (budgets, scenarios), so their declarations and the checker's recorded references are the whole
 * symbol table.
 */
import type { Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Span } from '../../../engine/design';
import type { BlockSymbol, NameReference } from '../types';
import type { AnalyzedDocument } from './document';
import { contains, toRange } from './convert';

type NamedKind = NameReference['kind'];

export interface NameAtCursor {
  kind: NamedKind;
  name: string;
  span: Span;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words a task or target may not be renamed to, because the language would then read the name as something else:
 * `repeat` starts a repeat group in `frames` (`frames repeat 2 { … }`), and the block keywords would make
 * `frames model` or `budget task { … }` read as structure to a person, if not to the parser. The spec allows keywords
 * as names "where unambiguous"; rename only creates names that stay unambiguous everywhere.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['repeat', 'model', 'moe', 'task', 'hardware', 'budget', 'scenario']);

/** Why `newName` cannot name a task or target, or undefined when it can. */
export function invalidName(newName: unknown): string | undefined {
  if (typeof newName !== 'string') return 'The new name is missing.';
  if (newName === '') return 'The new name is empty.';
  if (!IDENTIFIER.test(newName)) return `'${newName}' is not a valid name: use letters, digits and '_', not starting with a digit.`;
  if (RESERVED_NAMES.has(newName)) return `'${newName}' is a reserved word of the language and cannot name a task or target.`;
  return undefined;
}

function declarations(doc: AnalyzedDocument, kind: NamedKind): BlockSymbol[] {
  return doc.analysis.symbols.filter((s) => s.kind === kind);
}

/** The task or target name under the cursor: a declaration's name or a reference. */
export function nameAt(doc: AnalyzedDocument, offset: number): NameAtCursor | undefined {
  for (const s of doc.analysis.symbols) {
    if ((s.kind === 'task' || s.kind === 'hardware') && contains(s.nameSpan, offset) && s.nameSpan.end > s.nameSpan.start) {
      return { kind: s.kind, name: s.name, span: s.nameSpan };
    }
  }
  const ref = doc.analysis.references.find((r) => contains(r.span, offset));
  return ref ? { kind: ref.kind, name: ref.name, span: ref.span } : undefined;
}

function spansOf(doc: AnalyzedDocument, target: NameAtCursor, includeDeclaration: boolean): Span[] {
  const spans: Span[] = [];
  if (includeDeclaration) for (const d of declarations(doc, target.kind)) if (d.name === target.name) spans.push(d.nameSpan);
  for (const r of doc.analysis.references) if (r.kind === target.kind && r.name === target.name) spans.push(r.span);
  return spans.sort((a, b) => a.start - b.start);
}

export function definition(doc: AnalyzedDocument, offset: number): Location[] {
  const target = nameAt(doc, offset);
  if (!target) return [];
  return declarations(doc, target.kind)
    .filter((d) => d.name === target.name)
    .map((d) => ({ uri: doc.uri, range: toRange(doc.index, d.nameSpan) }));
}

export function references(doc: AnalyzedDocument, offset: number, includeDeclaration: boolean): Location[] {
  const target = nameAt(doc, offset);
  if (!target) return [];
  return spansOf(doc, target, includeDeclaration).map((span) => ({ uri: doc.uri, range: toRange(doc.index, span) }));
}

export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string };

export function prepareRename(doc: AnalyzedDocument, offset: number): PrepareRenameResult {
  const target = nameAt(doc, offset);
  if (!target) return { error: 'Only task and hardware target names can be renamed.' };
  return { range: toRange(doc.index, target.span), placeholder: target.name };
}

export type RenameResult = { edit: WorkspaceEdit } | { error: string };

export function rename(doc: AnalyzedDocument, offset: number, newName: string): RenameResult {
  const target = nameAt(doc, offset);
  if (!target) return { error: 'Only task and hardware target names can be renamed.' };
  const invalid = invalidName(newName);
  if (invalid) return { error: invalid };
  const what = target.kind === 'task' ? 'task' : 'hardware target';
  if (newName !== target.name && declarations(doc, target.kind).some((d) => d.name === newName)) {
    return { error: `A ${what} named '${newName}' already exists.` };
  }
  const edits: TextEdit[] = spansOf(doc, target, true).map((span) => ({ range: toRange(doc.index, span), newText: newName }));
  return { edit: { changes: { [doc.uri]: edits } } };
}
