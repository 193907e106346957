/**
 * LSP shapes (0-based lines and characters, from the language server in the designer's worker) → monaco's (1-based lines and columns).
 * The one place the designer converts between the two. Enum values are looked up by name in the enums the caller
 * passes (monaco's own), so nothing here hard-codes monaco's numbering.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  SymbolKind,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type MarkupContent,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';

export interface MonacoRange {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export function toMonacoRange(r: Range): MonacoRange {
  return { startLineNumber: r.start.line + 1, startColumn: r.start.character + 1, endLineNumber: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** monaco.MarkerSeverity's members by name. */
export interface SeverityEnum {
  Error: number;
  Warning: number;
  Info: number;
  Hint: number;
}

export function toMarker(d: Diagnostic, severities: SeverityEnum) {
  const severity =
    d.severity === DiagnosticSeverity.Error
      ? severities.Error
      : d.severity === DiagnosticSeverity.Warning
        ? severities.Warning
        : d.severity === DiagnosticSeverity.Hint
          ? severities.Hint
          : severities.Info;
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  return { ...toMonacoRange(d.range), severity, message, code: d.code === undefined ? undefined : String(d.code), source: d.source ?? 'm3v' };
}

const LSP_KIND_NAMES = new Map<number, string>(Object.entries(CompletionItemKind).map(([name, value]) => [value as number, name]));

/** `kinds` is monaco.languages.CompletionItemKind; an LSP kind monaco lacks becomes Text. */
export function toMonacoKind(kind: CompletionItem['kind'], kinds: Record<string, number | string>): number {
  const name = kind === undefined ? 'Text' : LSP_KIND_NAMES.get(kind) ?? 'Text';
  const value = kinds[name];
  return typeof value === 'number' ? value : (kinds.Text as number);
}

function markdownOf(doc: string | MarkupContent | undefined): { value: string } | undefined {
  if (doc === undefined) return undefined;
  return { value: typeof doc === 'string' ? doc : doc.value };
}

/**
 * A completion item at `wordRange` (the word being typed) unless the item carries its own edit. Snippet items keep
 * monaco's snippet insertion rule (`insertAsSnippet` is monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet).
 */
export function toSuggestion(item: CompletionItem, wordRange: MonacoRange, kinds: Record<string, number | string>, insertAsSnippet: number) {
  const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
  return {
    label: item.label,
    kind: toMonacoKind(item.kind, kinds),
    detail: item.detail,
    documentation: markdownOf(item.documentation),
    insertText: edit?.newText ?? item.insertText ?? item.label,
    insertTextRules: item.insertTextFormat === 2 ? insertAsSnippet : undefined,
    range: edit ? toMonacoRange(edit.range) : wordRange,
    sortText: item.sortText,
    filterText: item.filterText,
  };
}

export function toMonacoHover(hover: Hover) {
  const parts = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
  const contents = parts.map((p) => (typeof p === 'string' ? { value: p } : 'language' in p ? { value: '```' + p.language + '\n' + p.value + '\n```' } : { value: p.value }));
  return { contents, range: hover.range ? toMonacoRange(hover.range) : undefined };
}

export function toMonacoEdit(edit: TextEdit) {
  return { range: toMonacoRange(edit.range), text: edit.newText };
}

const LSP_SYMBOL_NAMES = new Map<number, string>(Object.entries(SymbolKind).map(([name, value]) => [value as number, name]));

/** An outline entry; `kinds` is monaco.languages.SymbolKind (looked up by name, as for completion kinds). */
export interface MonacoSymbol {
  name: string;
  detail: string;
  kind: number;
  tags: [];
  range: MonacoRange;
  selectionRange: MonacoRange;
  children: MonacoSymbol[];
}

export function toMonacoSymbol(s: DocumentSymbol, kinds: Record<string, number | string>): MonacoSymbol {
  const value = kinds[LSP_SYMBOL_NAMES.get(s.kind) ?? 'Object'];
  return {
    name: s.name,
    detail: s.detail ?? '',
    kind: typeof value === 'number' ? value : (kinds.Object as number),
    tags: [],
    range: toMonacoRange(s.range),
    selectionRange: toMonacoRange(s.selectionRange),
    children: (s.children ?? []).map((c) => toMonacoSymbol(c, kinds)),
  };
}

/** LSP folding lines are 0-based and inclusive; monaco's are 1-based. */
export function toMonacoFolding(r: FoldingRange): { start: number; end: number } {
  return { start: r.startLine + 1, end: r.endLine + 1 };
}

/** The edits a rename makes, per document URI (the designer applies those of the open document). */
export function editsByUri(edit: WorkspaceEdit): Map<string, { range: MonacoRange; text: string }[]> {
  const out = new Map<string, { range: MonacoRange; text: string }[]>();
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.set(uri, edits.map(toMonacoEdit));
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) out.set(change.textDocument.uri, change.edits.map((e) => toMonacoEdit(e as TextEdit)));
  }
  return out;
}

/** A code lens; a lens without a command id (title-only) stays a label in monaco too. */
export function toMonacoCodeLens(lens: CodeLens) {
  return {
    range: toMonacoRange(lens.range),
    command: lens.command ? { id: lens.command.command, title: lens.command.title, arguments: lens.command.arguments } : undefined,
  };
}
