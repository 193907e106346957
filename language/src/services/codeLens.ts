/**
 * Code lens: derived model facts (tokens, head dim, experts × layers) that need no engine, and — when the design checks
 * clean — the engine's numbers from `codeLensFacts` (per task MACs/FLOPs, latency, energy, reduction vs dense MTL; per
 * moe bytes per expert and on-chip per strategy; per hardware resource use and FPS; per budget value vs limit).
 * Titles are the engine's own text, so lens, panel and CLI agree to the digit. Clicking a task's lens opens its
 * schedule; a budget's lens reveals the figure in the Resources panel (commands of the extension).
 */
import type { CodeLens } from 'vscode-languageserver-types';
import { codeLensFacts } from '../../../engine/codeLens';
import { exploreLensText } from '../../../engine/explore/lens';
import { headDim, tokenCount, type Span } from '../../../engine/design';
import type { AnalyzedDocument } from './document';
import { toRange } from './convert';

/** Command ids of the extension (extension/commands.ts); a lens with '' is shown but not clickable. */
export const LENS_COMMANDS = { showSchedule: 'm3v.showSchedule', showResources: 'm3v.showResources', explore: '' } as const;

export function codeLenses(doc: AnalyzedDocument): CodeLens[] {
  const design = doc.analysis.design;
  if (!design) return [];
  const lenses: CodeLens[] = [];
  const lens = (span: Span, title: string, command = '', args?: unknown[]) =>
    lenses.push({ range: toRange(doc.index, { start: span.start, end: span.start }), command: { title, command, arguments: args } });

  const m = design.model;
  const moeFacts = m.moe ? `${m.moe.experts} experts × ${m.moe.layers.length} MoE layers, top-${m.moe.topK}` : 'dense (no MoE)';
  lens(m.span, `${tokenCount(m)} tokens · head dim ${headDim(m)} · ${m.depth} blocks · ${moeFacts}`);
  // Explore blocks: the size of the space (no engine run needed; the explore itself runs on request).
  for (const e of design.explores ?? []) lens(e.span, exploreLensText(e), LENS_COMMANDS.explore, [{ uri: doc.uri, explore: e.name }]);

  if (!doc.report) return lenses;
  const facts = codeLensFacts(design, doc.report);
  if (facts.moe) lens(facts.moe.span, facts.moe.text);
  for (const t of facts.tasks) lens(t.span, t.text, LENS_COMMANDS.showSchedule, [{ uri: doc.uri, task: t.task }]);
  for (const h of facts.hardware) lens(h.span, h.text);
  for (const b of facts.budgets) {
    const line = design.budgets.find((x) => x.span.start === b.span.start)?.text ?? '';
    lens(b.span, b.text, LENS_COMMANDS.showResources, [{ uri: doc.uri, budget: line }]);
  }
  return lenses;
}
