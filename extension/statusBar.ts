/**
 * The status bar item of the active design: selected task and target, latency and on-chip use of the target's
 * strategy (the language server's `m3v/designSummary`), and the server's state. Click opens the Resources panel.
 */
import * as vscode from 'vscode';
import type { DesignUpdate } from './activeDesign';
import type { ServerState } from './languageClient';
import { formatPercent, formatSeconds } from '../engine/units';
import { statusOf } from '../webviews/host/analyzer';

export class DesignStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('m3v.design', vscode.StatusBarAlignment.Left, 50);
  private server: ServerState = 'stopped';
  private last: DesignUpdate | undefined;

  constructor() {
    this.item.name = 'M3V design';
    this.item.command = 'm3v.showResources';
  }

  setServerState(state: ServerState): void {
    this.server = state;
    this.render();
  }

  update(u: DesignUpdate): void {
    this.last = u;
    this.render();
  }

  private render(): void {
    const u = this.last;
    const active = vscode.window.activeTextEditor?.document.languageId === 'm3v';
    if (!u || !u.uri || !active) {
      this.item.hide();
      return;
    }
    const serverIcon = this.server === 'running' ? '' : this.server === 'starting' ? '$(sync~spin) ' : '$(debug-disconnect) ';
    const fig = statusOf(u.summary, u.task, u.target);
    if (u.summary.problem || !fig) {
      this.item.text = `${serverIcon}$(circuit-board) M3V: ${u.summary.problem ? 'errors' : 'no target'}`;
      this.item.tooltip = u.summary.problem ?? 'Add a hardware block to see latency and on-chip use.';
      this.item.backgroundColor = undefined;
    } else {
      this.item.text =
        `${serverIcon}$(circuit-board) ${u.task}@${u.target} ${formatSeconds(fig.latencySeconds)} · ` +
        `${formatPercent(fig.onchipPercent)} on-chip`;
      const md = new vscode.MarkdownString(
        `**${u.summary.designName}** — task \`${u.task}\` on \`${u.target}\`\n\n` +
          `latency ${formatSeconds(fig.latencySeconds)}, on-chip ${formatPercent(fig.onchipPercent)} of BRAM+URAM, ` +
          `${fig.budgetsViolated} budget(s) violated\n\nlanguage server: ${this.server}\n\nClick to open the Resources panel.`,
      );
      this.item.tooltip = md;
      this.item.backgroundColor =
        fig.budgetsViolated > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
