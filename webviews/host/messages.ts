/**
 * What each panel is sent for one analysis of the active design: a view, or a one-line `stale` reason. Shared by
 * both hosts of the panels — the VS Code extension (`extension/panels/contents.ts`) and the browser designer's
 * worker — so the same text gives the same message in both.
 */
import { PROTOCOL_VERSION, type HostMessage } from '../protocol';
import type { AnalyzedDesign } from './analyzer';

/** The design shown, as the hosts track it: its analysis, the selected task and target, the update number. */
export interface ShownDesign {
  /** Absent: no design is open. */
  uri: string | undefined;
  analysis: AnalyzedDesign;
  task: string;
  target: string;
  seq: number;
}

export function staleMessage(reason: string): HostMessage {
  return { v: PROTOCOL_VERSION, type: 'stale', reason };
}

/** Why nothing can be drawn for this design (no design, errors in it), or undefined when it can be. */
function problemOf(u: ShownDesign): string | undefined {
  if (!u.uri) return u.analysis.problem ?? 'Open a .m3v design.';
  return u.analysis.problem;
}

export function resourcesMessage(u: ShownDesign, focusBudget?: string): HostMessage {
  const problem = problemOf(u);
  if (problem !== undefined || !u.uri) return staleMessage(problem ?? 'Open a .m3v design.');
  const view = u.analysis.resources(u.task, u.target);
  if (!view) return staleMessage('The design has no hardware target: add a `hardware` block to see resources.');
  return { v: PROTOCOL_VERSION, type: 'resources', seq: u.seq, uri: u.uri, view: { ...view, focusBudget } };
}

export function scheduleMessage(u: ShownDesign, options: { compare: boolean; scenario?: string }): HostMessage {
  const problem = problemOf(u);
  if (problem !== undefined || !u.uri) return staleMessage(problem ?? 'Open a .m3v design.');
  const scenario = options.scenario && u.analysis.scenarios.includes(options.scenario) ? options.scenario : undefined;
  const view = u.analysis.schedule(u.task, u.target, scenario, options.compare);
  if (!view) return staleMessage('The design has no hardware target: add a `hardware` block to see a schedule.');
  // Without compare only the target's own strategy is simulated and sent (token_by_token alone is ~5,000 events
  // on Edge-MoE, 220,000 on the stress sample).
  return { v: PROTOCOL_VERSION, type: 'schedule', seq: u.seq, uri: u.uri, view };
}

export function selectionMessage(u: ShownDesign): Extract<HostMessage, { type: 'selection' }> | undefined {
  if (!u.uri || u.analysis.problem) return undefined;
  return { v: PROTOCOL_VERSION, type: 'selection', tasks: u.analysis.tasks, targets: u.analysis.targets, task: u.task, target: u.target };
}
