/**
 * What a host of the panels (the VS Code extension, the browser designer page) keeps about the design it shows: the
 * language server's summary of it (protocol `m3v/designSummary`) and the selected task and target. The host computes
 * nothing: every figure comes from the server's answers.
 */
import type { DesignSummary, StatusFigures } from '../../language/src/server/protocol';

export type { DesignSummary, StatusFigures } from '../../language/src/server/protocol';

/** A summary with nothing to show, used before the first design opens (or while the server is not running). */
export function emptySummary(problem: string, uri = '', version = -1): DesignSummary {
  return { uri, version, problem, designName: '', tasks: [], targets: [], scenarios: [], taskSpans: {}, status: [] };
}

/** Pick the selection to show: the user's choice if it still exists, else the setting, else the first. */
export function resolveSelection(available: readonly string[], chosen: string | undefined, fallback: string): string {
  if (chosen && available.includes(chosen)) return chosen;
  if (fallback && available.includes(fallback)) return fallback;
  return available[0] ?? '';
}

/** The status bar's figures of one task on one target, from the summary. */
export function statusOf(summary: DesignSummary, task: string, target: string): StatusFigures | undefined {
  return summary.status.find((s) => s.task === task && s.target === target)?.figures;
}
