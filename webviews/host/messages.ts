/**
 * What each panel is sent for one answer of the language server: a view, or a one-line `stale` reason. Shared by
 * both hosts of the panels — the VS Code extension (`extension/panels/contents.ts`) and the browser designer page —
 * so the same server answer gives the same message in both.
 */
import type { ResourcesView, ScheduleView } from '../protocol';
import { PROTOCOL_VERSION, type HostMessage } from '../protocol';
import type { DesignSummary, ViewResult } from '../../language/src/server/protocol';

export function staleMessage(reason: string): HostMessage {
  return { v: PROTOCOL_VERSION, type: 'stale', reason };
}

export function resourcesMessage(seq: number, result: ViewResult<ResourcesView>, focusBudget?: string): HostMessage {
  if ('stale' in result) return staleMessage(result.stale);
  return { v: PROTOCOL_VERSION, type: 'resources', seq, uri: result.uri, view: { ...result.view, focusBudget } };
}

export function scheduleMessage(seq: number, result: ViewResult<ScheduleView>): HostMessage {
  if ('stale' in result) return staleMessage(result.stale);
  return { v: PROTOCOL_VERSION, type: 'schedule', seq, uri: result.uri, view: result.view };
}

export function selectionMessage(summary: DesignSummary, task: string, target: string): Extract<HostMessage, { type: 'selection' }> | undefined {
  if (summary.problem || summary.tasks.length === 0) return undefined;
  return { v: PROTOCOL_VERSION, type: 'selection', tasks: summary.tasks, targets: summary.targets, task, target };
}

/** Which schedule request shows the Schedule panel's mode: a scenario, every strategy, or the target's own. */
export type ScheduleMode = { kind: 'schedule' } | { kind: 'compare' } | { kind: 'scenario'; scenario: string };

export function scheduleMode(summary: DesignSummary, options: { compare: boolean; scenario?: string }): ScheduleMode {
  if (options.scenario && summary.scenarios.includes(options.scenario)) return { kind: 'scenario', scenario: options.scenario };
  return options.compare ? { kind: 'compare' } : { kind: 'schedule' };
}
