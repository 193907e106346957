/** Outline (hierarchical document symbols) and folding ranges. */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { Statement } from '../syntax/tree';
import type { BlockSymbol } from '../types';
import type { AnalyzedDocument } from './document';
import { toRange } from './convert';
import { exploreLensText } from '../../../engine/explore/lens';

const KIND: Record<BlockSymbol['kind'], SymbolKind> = {
  model: SymbolKind.Class,
  moe: SymbolKind.Module,
  task: SymbolKind.Function,
  hardware: SymbolKind.Struct,
  budget: SymbolKind.Interface,
  scenario: SymbolKind.Event,
  explore: SymbolKind.Namespace,
};

function detail(s: BlockSymbol, doc: AnalyzedDocument): string {
  if (s.kind === 'budget') return s.name ? `budget of ${s.name}` : 'budget of every target';
  if (s.kind === 'explore') {
    const spec = doc.analysis.design?.explores?.find((e) => e.name === s.name);
    return spec ? `explore · ${exploreLensText(spec)}` : 'explore';
  }
  return s.kind;
}

export function documentSymbols(doc: AnalyzedDocument): DocumentSymbol[] {
  const convert = (s: BlockSymbol): DocumentSymbol => {
    const range = toRange(doc.index, s.span);
    const nameRange = toRange(doc.index, s.nameSpan);
    return {
      name: s.kind === 'budget' ? `budget ${s.name}`.trim() : s.kind === 'moe' ? 'moe' : s.name || s.kind,
      detail: detail(s, doc),
      kind: KIND[s.kind],
      range,
      // The selection range must lie inside the full range.
      selectionRange: s.nameSpan.start >= s.span.start && s.nameSpan.end <= s.span.end ? nameRange : range,
      children: s.children.map(convert),
    };
  };
  return doc.analysis.symbols.map(convert);
}

export function foldingRanges(doc: AnalyzedDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const visit = (statements: Statement[]) => {
    for (const s of statements) {
      if (!s.block) continue;
      const start = doc.index.positionAt(s.block.open.start).line;
      const end = doc.index.positionAt(s.block.close ? s.block.close.start : s.block.span.end).line;
      // Fold up to the line before the closing brace so the `}` stays visible.
      if (end - 1 > start) ranges.push({ startLine: start, endLine: end - 1 });
      visit(s.block.statements);
    }
  };
  visit(doc.analysis.tree.statements);
  for (const c of doc.analysis.tree.comments) {
    const start = doc.index.positionAt(c.span.start).line;
    const end = doc.index.positionAt(c.span.end).line;
    if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Comment });
  }
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
