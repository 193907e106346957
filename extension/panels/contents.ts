/**
 * What each panel shows: the language server's answer to the panel's request (language/src/server/protocol.ts) for
 * the active design's current version and selection. Panel-local options (a budget to highlight, compare mode, the
 * simulated scenario, the last model run) live here, not in the webview, so the host can re-ask after every edit.
 */
import type * as vscode from 'vscode';
import { PROTOCOL_VERSION, type HostMessage, type RunView } from '../../webviews/protocol';
import { resourcesMessage, scheduleMessage, scheduleMode, selectionMessage, staleMessage } from '../../webviews/host/messages';
import { COMPARE_STRATEGIES, RESOURCES_VIEW, SCHEDULE_VIEW, SIMULATE_SCENARIO } from '../../language/src/server/protocol';
import type { ActiveDesign, DesignUpdate } from '../activeDesign';
import type { M3vLanguageClient } from '../languageClient';
import type { PanelContent } from './panelHost';
import { SpeculativeAnswer, type ViewKey } from './speculative';
import type { ResourcesView } from '../../webviews/protocol';
import type { ViewResult } from '../../language/src/server/protocol';

/** Why nothing can be asked for (no design open, errors in it), or undefined when it can be. */
function problemOf(u: DesignUpdate): string | undefined {
  if (!u.uri) return u.summary.problem ?? 'Open a .m3v design.';
  return u.summary.problem;
}

function selectionOf(u: DesignUpdate) {
  return { textDocument: { uri: u.uri!.toString(), version: u.version }, task: u.task, target: u.target };
}

export class ResourcesContent implements PanelContent {
  readonly kind = 'resources' as const;
  readonly title = 'M3V Resources';
  focusBudget: string | undefined;

  constructor(
    private readonly design: ActiveDesign,
    private readonly client: M3vLanguageClient,
  ) {}

  /** The view asked for with the summary, before the update that will most likely want it. */
  private readonly ahead = new SpeculativeAnswer<ViewResult<ResourcesView>>();

  async currentMessage(token: vscode.CancellationToken): Promise<HostMessage> {
    const u = this.design.current;
    const problem = problemOf(u);
    if (problem !== undefined) {
      this.ahead.drop();
      return staleMessage(problem);
    }
    const selection = selectionOf(u);
    const guessed = this.ahead.take({ uri: selection.textDocument.uri, version: selection.textDocument.version, task: u.task, target: u.target });
    // A newer update cancels a taken guess as it would this update's own request.
    const cancelled = guessed && token.onCancellationRequested(guessed.cancel);
    try {
      return resourcesMessage(u.seq, await (guessed?.answer ?? this.client.request(RESOURCES_VIEW, selection, token)), this.focusBudget);
    } finally {
      cancelled?.dispose();
    }
  }

  prefetch(key: ViewKey, source: vscode.CancellationTokenSource): void {
    this.ahead.start(key, () => {
      const answer = this.client.request(RESOURCES_VIEW, { textDocument: { uri: key.uri, version: key.version }, task: key.task, target: key.target }, source.token);
      void answer.finally(() => source.dispose()).catch(() => undefined);
      return { answer, cancel: () => source.cancel() };
    });
  }

  selectionMessage(): HostMessage | undefined {
    const u = this.design.current;
    return u.uri ? selectionMessage(u.summary, u.task, u.target) : undefined;
  }
}

export class ScheduleContent implements PanelContent {
  readonly kind = 'schedule' as const;
  readonly title = 'M3V Schedule';
  compare = false;
  scenario: string | undefined;

  constructor(
    private readonly design: ActiveDesign,
    private readonly client: M3vLanguageClient,
  ) {}

  async currentMessage(token: vscode.CancellationToken): Promise<HostMessage> {
    const u = this.design.current;
    const problem = problemOf(u);
    if (problem !== undefined) return staleMessage(problem);
    const mode = scheduleMode(u.summary, { compare: this.compare, scenario: this.scenario });
    const params = selectionOf(u);
    const result =
      mode.kind === 'scenario'
        ? await this.client.requestSchedule(SIMULATE_SCENARIO, { ...params, scenario: mode.scenario }, token)
        : await this.client.requestSchedule(mode.kind === 'compare' ? COMPARE_STRATEGIES : SCHEDULE_VIEW, params, token);
    return scheduleMessage(u.seq, result);
  }
}

export class RunContent implements PanelContent {
  readonly kind = 'run' as const;
  readonly title = 'M3V Run';
  last: { uri: string; view: RunView; seq: number; trace?: string } | undefined;

  async currentMessage(): Promise<HostMessage> {
    if (!this.last) return staleMessage('No model run yet: use "M3V: Run Model on Image…".');
    return { v: PROTOCOL_VERSION, type: 'run', seq: this.last.seq, uri: this.last.uri, view: this.last.view };
  }
}
