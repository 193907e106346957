/**
 * What the extension needs from one analysis of a `.m3v` text, independent of how it is computed.
 * The one implementation (`engineAnalyzer.ts`) runs the pure language core + engine in the extension host —
 * the same functions `m3v analyze --json` and the language server's code lens call, so the panels, status bar,
 * code lens and CLI show the same numbers to the digit. Views are computed lazily: a closed Schedule panel
 * costs nothing per keystroke.
 */
import type { ResourcesView, ScheduleView } from '../protocol';

export interface StatusFigures {
  latencySeconds: number;
  /** On-chip memory of the target's selected strategy in percent of BRAM + URAM capacity. */
  onchipPercent: number;
  budgetsViolated: number;
}

export interface AnalyzedDesign {
  /** One-line reason when no checked design is available (syntax/semantic errors), with a location. */
  problem?: string;
  designName: string;
  tasks: string[];
  targets: string[];
  /** Source offset of a task's / target's name, for "reveal" actions. */
  taskSpan(task: string): { start: number; end: number } | undefined;
  status(task: string, target: string): StatusFigures | undefined;
  resources(task: string, target: string): ResourcesView | undefined;
  /** `compare`: every strategy (else only the target's own, which is all the panel shows then). */
  schedule(task: string, target: string, scenario?: string, compare?: boolean): ScheduleView | undefined;
  scenarios: string[];
}

export type DesignAnalyzer = (text: string, uri: string) => AnalyzedDesign;

/** An analysis with nothing to show, used before the first design opens or when the text has errors. */
export function emptyAnalysis(problem: string): AnalyzedDesign {
  return {
    problem,
    designName: '',
    tasks: [],
    targets: [],
    scenarios: [],
    taskSpan: () => undefined,
    status: () => undefined,
    resources: () => undefined,
    schedule: () => undefined,
  };
}

/** Pick the selection to show: the user's choice if it still exists, else the setting, else the first. */
export function resolveSelection(available: string[], chosen: string | undefined, fallback: string): string {
  if (chosen && available.includes(chosen)) return chosen;
  if (fallback && available.includes(fallback)) return fallback;
  return available[0] ?? '';
}
