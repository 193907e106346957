/**
 * Code lens: derived model facts (tokens, head dim, experts × layers) that need no engine, and — when the design checks
 * clean — the engine's numbers from `codeLensFacts` (per task MACs/FLOPs, latency, energy, reduction vs dense MTL; per
 * moe bytes per expert and on-chip per strategy; per hardware resource use and FPS; per budget value vs limit).
 * Titles are the engine's own text, so lens, panel and CLI agree to the digit.
 *
 * Commands: a lens is clickable only for a client that said it runs the extension's commands (VS Code with the M3V
 * extension); any other client (Neovim, Helix, Emacs, …) gets title-only lenses, since `m3v.showSchedule` means
 * nothing to it and running it would fail.
 *
 * While the text has an error the engine has no numbers; the services then show the lenses of the last good analysis,
 * re-placed on the same blocks and marked stale, so nothing jumps while the user types (see `staleLenses`).
 */
import type { CodeLens, Command } from 'vscode-languageserver-types';
import { codeLensFacts } from '../../../engine/codeLens';
import { exploreLensText } from '../../../engine/explore/lens';
import { headDim, tokenCount, type Span } from '../../../engine/design';
import type { Statement } from '../syntax/tree';
import type { AnalyzedDocument } from './document';
import { toRange } from './convert';

/** Command ids of the extension (extension/commands.ts). */
export const LENS_COMMANDS = { showSchedule: 'm3v.showSchedule', showResources: 'm3v.showResources' } as const;

export interface CodeLensOptions {
  /** The client runs the extension's `m3v.*` commands; otherwise lenses are title-only. */
  commands?: boolean;
}

/** What a lens is attached to, so that it can be found again in a later (broken) version of the text. */
export type LensAnchor =
  | { kind: 'model' | 'moe' }
  | { kind: 'task' | 'hardware' | 'explore'; name: string }
  | { kind: 'budget-line'; target: string; text: string };

export interface AnchoredLens {
  anchor: LensAnchor;
  title: string;
  command?: Command;
}

export const STALE_PREFIX = '(stale: fix the errors to update) ';

export function toCodeLens(doc: AnalyzedDocument, offset: number, lens: AnchoredLens, stale = false): CodeLens {
  const title = stale ? STALE_PREFIX + lens.title : lens.title;
  // A stale lens keeps its title but not its command: its arguments may name what no longer exists.
  const command: Command = !stale && lens.command ? { ...lens.command, title } : { title, command: '' };
  return { range: toRange(doc.index, { start: offset, end: offset }), command };
}

/** The lenses of an analysed document with their anchors; [] when the text has no checked design. */
export function anchoredLenses(doc: AnalyzedDocument, options: CodeLensOptions = {}): { lens: AnchoredLens; span: Span }[] {
  const design = doc.analysis.design;
  if (!design) return [];
  const out: { lens: AnchoredLens; span: Span }[] = [];
  const add = (span: Span, anchor: LensAnchor, title: string, command?: string, args?: unknown[]) =>
    out.push({ span, lens: { anchor, title, command: command && options.commands ? { title, command, arguments: args } : undefined } });

  const m = design.model;
  const moeFacts = m.moe ? `${m.moe.experts} experts × ${m.moe.layers.length} MoE layers, top-${m.moe.topK}` : 'dense (no MoE)';
  add(m.span, { kind: 'model' }, `${tokenCount(m)} tokens · head dim ${headDim(m)} · ${m.depth} blocks · ${moeFacts}`);
  // Explore blocks: the size of the space (no engine run needed; the explore itself runs on request).
  for (const e of design.explores ?? []) add(e.span, { kind: 'explore', name: e.name }, exploreLensText(e));

  if (!doc.report) return out;
  const facts = codeLensFacts(design, doc.report);
  if (facts.moe) add(facts.moe.span, { kind: 'moe' }, facts.moe.text);
  for (const t of facts.tasks) add(t.span, { kind: 'task', name: t.task }, t.text, LENS_COMMANDS.showSchedule, [{ uri: doc.uri, task: t.task }]);
  for (const h of facts.hardware) add(h.span, { kind: 'hardware', name: h.target }, h.text);
  for (const b of facts.budgets) {
    const budget = design.budgets.find((x) => x.span.start === b.span.start);
    const line = budget?.text ?? '';
    add(b.span, { kind: 'budget-line', target: budget?.target ?? '', text: line }, b.text, LENS_COMMANDS.showResources, [
      { uri: doc.uri, budget: line },
    ]);
  }
  return out;
}

export function codeLenses(doc: AnalyzedDocument, options: CodeLensOptions = {}): CodeLens[] {
  return anchoredLenses(doc, options).map(({ lens, span }) => toCodeLens(doc, span.start, lens));
}

/**
 * The last good lenses placed on the same blocks of a text that does not check: a task lens stays on its task, a
 * budget lens on the line with the same text. A lens whose block is gone is dropped.
 */
export function staleLenses(doc: AnalyzedDocument, lastGood: readonly AnchoredLens[]): CodeLens[] {
  const out: CodeLens[] = [];
  for (const lens of lastGood) {
    const offset = findAnchor(doc, lens.anchor);
    if (offset !== undefined) out.push(toCodeLens(doc, offset, lens, true));
  }
  return out;
}

function findAnchor(doc: AnalyzedDocument, anchor: LensAnchor): number | undefined {
  const symbols = doc.analysis.symbols;
  switch (anchor.kind) {
    case 'model':
      return symbols.find((s) => s.kind === 'model')?.span.start;
    case 'moe':
      return symbols.find((s) => s.kind === 'model')?.children.find((c) => c.kind === 'moe')?.span.start;
    case 'task':
    case 'hardware':
    case 'explore':
      return symbols.find((s) => s.kind === anchor.kind && s.name === anchor.name)?.span.start;
    case 'budget-line': {
      const text = doc.analysis.text;
      for (const s of symbols) {
        if (s.kind !== 'budget' || s.name !== anchor.target) continue;
        const block = doc.analysis.tree.statements.find((t) => t.span.start === s.span.start)?.block;
        const line = block?.statements.find((t: Statement) => text.slice(t.span.start, t.span.end) === anchor.text);
        if (line) return line.span.start;
      }
      return undefined;
    }
  }
}
