/**
 * What analysing one `.m3v` text yields: the contract between the language core (parser, checker) and every face
 * that uses it (language server features, CLI, extension, browser designer). Offsets are character offsets;
 * `LineIndex` converts them to 0-based line/character positions.
 */
import type { Design, Span } from '../../engine/design';
import type { SyntaxTree } from './syntax/tree';

export type Severity = 'error' | 'warning' | 'info';

export interface M3vDiagnostic {
  span: Span;
  severity: Severity;
  /** User-facing text; built only in language/src/messages.ts. */
  message: string;
  /** Stable machine code, e.g. `unknown-key`, `wrong-dimension`, `budget-violated`. */
  code: string;
}

export type SymbolKind = 'model' | 'moe' | 'task' | 'hardware' | 'budget' | 'scenario' | 'explore';

/** A named or anonymous top-level block (and the `moe` block), for the outline, folding and go-to-definition. */
export interface BlockSymbol {
  kind: SymbolKind;
  /** The declared name; for `budget` the target name or '' when it applies to every target. */
  name: string;
  span: Span;
  /** Span of the name word (the keyword's span for anonymous blocks). */
  nameSpan: Span;
  children: BlockSymbol[];
}

/** A use of a task or target name (in a budget or scenario), resolved or not. */
export interface NameReference {
  kind: 'task' | 'hardware';
  name: string;
  span: Span;
}

export interface DocumentAnalysis {
  text: string;
  tree: SyntaxTree;
  /** Every problem found, syntax first then semantic, in document order within each group. */
  diagnostics: M3vDiagnostic[];
  /** The checked design; undefined when any error prevents a trustworthy one. */
  design?: Design;
  symbols: BlockSymbol[];
  references: NameReference[];
}
