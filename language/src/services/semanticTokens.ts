/**
 * Semantic tokens: block keywords, keys, declared names, task/target references, numbers, units, enum values,
 * strings, operators and comments. Classification follows the tree and the checker's symbol table, so colours agree
 * with what the checker understood (a misspelled key is not coloured as a key).
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Span } from '../../../engine/design';
import { UNITS } from '../../../engine/units';
import { keyInfo, type BlockKind } from '../schema';
import { locate } from './locate';
import type { Atom, Statement } from '../syntax/tree';
import type { AnalyzedDocument } from './document';

export const TOKEN_TYPES = ['keyword', 'property', 'class', 'variable', 'number', 'type', 'enumMember', 'string', 'operator', 'comment'] as const;
export const TOKEN_MODIFIERS = ['declaration'] as const;
export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];

interface Token {
  span: Span;
  type: TokenType;
  declaration?: boolean;
}

export function semanticTokens(doc: AnalyzedDocument): SemanticTokens {
  const tokens: Token[] = [];
  const declared = new Set(doc.analysis.symbols.map((s) => s.nameSpan.start));
  const referenced = new Set(doc.analysis.references.map((r) => r.span.start));

  const atom = (a: Atom, kindOfBlock: BlockKind | undefined, index: number, previous: Atom | undefined) => {
    switch (a.kind) {
      case 'number':
        tokens.push({ span: { start: a.span.start, end: a.suffix ? a.suffix.span.start : a.span.end }, type: 'number' });
        if (a.suffix) tokens.push({ span: a.suffix.span, type: 'type' });
        return;
      case 'string':
        tokens.push({ span: a.span, type: 'string' });
        return;
      case 'punct':
        tokens.push({ span: a.span, type: a.text === '%' ? 'type' : 'operator' });
        return;
      case 'list':
        a.items.forEach((item, i) => atom(item, kindOfBlock, index, a.items[i - 1]));
        return;
      case 'ident': {
        if (declared.has(a.span.start)) tokens.push({ span: a.span, type: 'class', declaration: true });
        else if (referenced.has(a.span.start)) tokens.push({ span: a.span, type: 'variable' });
        else if (index === 0 && kindOfBlock && keyInfo(kindOfBlock, a.text))
          tokens.push({ span: a.span, type: kindOfBlock === 'file' ? 'keyword' : 'property' });
        else if (previous?.kind === 'number' && UNITS.has(a.text)) tokens.push({ span: a.span, type: 'type' });
        else if (a.text === 'x') tokens.push({ span: a.span, type: 'operator' });
        else if (index > 0) tokens.push({ span: a.span, type: 'enumMember' });
        return;
      }
    }
  };

  const visit = (statements: Statement[]) => {
    for (const s of statements) {
      const kindOfBlock = locate(doc.analysis.tree, s.span.start).blockKind;
      s.words.forEach((w, i) => atom(w, kindOfBlock, i, s.words[i - 1]));
      if (s.block) visit(s.block.statements);
    }
  };
  visit(doc.analysis.tree.statements);
  for (const c of doc.analysis.tree.comments) tokens.push({ span: c.span, type: 'comment' });

  tokens.sort((a, b) => a.span.start - b.span.start);
  const data: number[] = [];
  let previous = { line: 0, character: 0 };
  // LSP's relative encoding (5 integers per token: Δline, Δstart — from the previous token when on its line —,
  // length, type, modifiers), written here so the services stay free of the server library (ARCHITECTURE.md).
  const push = (line: number, character: number, length: number, type: number, modifiers: number) => {
    data.push(line - previous.line, line === previous.line ? character - previous.character : character, length, type, modifiers);
    previous = { line, character };
  };
  for (const t of tokens) {
    // LSP tokens may not span lines: split multi-line ones (block comments, strings) per line.
    let start = t.span.start;
    while (start < t.span.end) {
      const pos = doc.index.positionAt(start);
      const lineEnd = doc.index.offsetAt({ line: pos.line, character: Number.MAX_SAFE_INTEGER });
      const end = Math.min(t.span.end, lineEnd);
      if (end > start) push(pos.line, pos.character, end - start, TOKEN_TYPES.indexOf(t.type), t.declaration ? 1 : 0);
      start = doc.index.offsetAt({ line: pos.line + 1, character: 0 });
      if (pos.line + 1 >= doc.index.lineCount) break;
    }
  }
  return { data };
}
