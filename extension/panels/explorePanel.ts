/**
 * The Design Space panel's host in VS Code: a webview with the shared strict-CSP shell (webviews/host/panelHtml.ts)
 * running dist/webviews/explore.js. It lists the active design's explore blocks (from `m3v/designSummary`), starts and
 * cancels runs in the language server (`m3v/exploreStart` / `m3v/exploreCancel`, progress from
 * `m3v/exploreProgress`), and writes a clicked point into the design: the server computes the edits
 * (`m3v/explorePointEdits`, language/src/explorePoint.ts) and they are applied here as ONE WorkspaceEdit, so a single
 * Undo takes the point back. Not a PanelHost: that host re-asks one view per edit, this panel's run outlives edits.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { isWebviewMessage, PROTOCOL_VERSION, type ExploreHostMessage, type WebviewMessage } from '../../webviews/protocol';
import { makeNonce, panelHtml } from '../../webviews/host/panelHtml';
import { EXPLORE_CANCEL, EXPLORE_POINT_EDITS, EXPLORE_START } from '../../language/src/server/protocol';
import type { ActiveDesign } from '../activeDesign';
import type { M3vLanguageClient } from '../languageClient';
import { VIEW_TYPES, type RenderAck } from './panelHost';

export class ExplorePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private chosen: string | undefined;
  private running: { uri: string; explore: string; cts: vscode.CancellationTokenSource } | undefined;
  private last: Extract<ExploreHostMessage, { type: 'explore' }> | undefined;
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** For tests and the e2e probe: the last `rendered` of a run and the last applied point. */
  lastAck: RenderAck | undefined;
  lastApplied: { index: number; problem?: string } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly design: ActiveDesign,
    private readonly client: M3vLanguageClient,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.explore, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
      client.onExploreProgress((p) => {
        if (this.running?.uri === p.uri) this.post({ v: PROTOCOL_VERSION, type: 'exploreProgress', uri: p.uri, progress: p });
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel; with `run`, starts that explore block at once (the lens's click). */
  show(explore?: string, run = false): void {
    if (explore) this.chosen = explore;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPES.explore, 'M3V Design Space', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
      this.adopt(panel);
    } else this.panel.reveal(undefined, true);
    this.update();
    if (run && explore) void this.start(explore);
  }

  /** The active design changed: tell the panel which explore blocks it has now. */
  update(): void {
    const u = this.design.current;
    if (!this.panel || !this.ready) return;
    if (!u.uri) return void this.post({ v: PROTOCOL_VERSION, type: 'stale', reason: 'Open a .m3v design with an explore block.' });
    if (u.summary.problem) return void this.post({ v: PROTOCOL_VERSION, type: 'stale', reason: u.summary.problem });
    this.post({
      v: PROTOCOL_VERSION,
      type: 'exploreList',
      uri: u.uri.toString(),
      explores: u.summary.explores ?? [],
      chosen: this.chosen,
      running: this.running?.uri === u.uri.toString() ? this.running.explore : undefined,
    });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews')], enableFindWidget: true, retainContextWhenHidden: true };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.options();
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews');
    panel.webview.html = panelHtml({
      panel: 'explore',
      title: 'M3V Design Space',
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'explore.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.css')).toString(),
      nonce: makeNonce(() => randomBytes(1)[0] / 256),
    });
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (isWebviewMessage(raw)) this.handle(raw);
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.cancel();
        for (const s of subs) s.dispose();
      }),
    ];
  }

  private post(message: ExploreHostMessage): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.update();
        if (this.last) this.post(this.last);
        return;
      case 'exploreStart':
        void this.start(message.explore);
        return;
      case 'exploreCancel':
        this.cancel();
        return;
      case 'applyPoint':
        void this.applyPoint(message.explore, message.index, message.values);
        return;
      case 'rendered':
        this.lastAck = { seq: message.seq, at: Date.now() };
        return;
      default:
        // The other panels' messages (reveal, task selection, …) mean nothing here.
        return;
    }
  }

  private async start(explore: string): Promise<void> {
    const u = this.design.current;
    if (!u.uri) return;
    this.cancel();
    const uri = u.uri.toString();
    const cts = new vscode.CancellationTokenSource();
    const run = { uri, explore, cts };
    this.running = run;
    this.chosen = explore;
    this.update();
    try {
      const result = await this.client.request(EXPLORE_START, { textDocument: { uri, version: u.version }, explore }, cts.token);
      if ('stale' in result) this.post({ v: PROTOCOL_VERSION, type: 'stale', reason: result.stale });
      else {
        this.last = { v: PROTOCOL_VERSION, type: 'explore', seq: ++this.seq, uri, view: result.view };
        this.post(this.last);
      }
    } catch (error) {
      this.post({ v: PROTOCOL_VERSION, type: 'stale', reason: `M3V: the exploration stopped: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      if (this.running === run) this.running = undefined;
      cts.dispose();
      this.update();
    }
  }

  /** Stops the running exploration: the server answers its start request with the partial result. */
  cancel(): void {
    const run = this.running;
    if (!run) return;
    void this.client.request(EXPLORE_CANCEL, { textDocument: { uri: run.uri } }).catch(() => undefined);
  }

  private async applyPoint(explore: string, index: number, values: Record<string, string>): Promise<void> {
    const u = this.design.current;
    const done = (problem?: string) => {
      this.lastApplied = { index, problem };
      this.post({ v: PROTOCOL_VERSION, type: 'pointApplied', index, problem });
    };
    if (!u.uri) return done('no design is open');
    const doc = await vscode.workspace.openTextDocument(u.uri);
    const result = await this.client.request(EXPLORE_POINT_EDITS, { textDocument: { uri: u.uri.toString(), version: doc.version }, explore, values });
    if ('stale' in result) return done(result.stale);
    if (result.version !== doc.version) return done('the design changed while the edit was computed: click again');
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits)
      edit.replace(u.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
    // One WorkspaceEdit: one step on the document's undo stack, whatever the number of keys.
    const ok = await vscode.workspace.applyEdit(edit);
    done(ok ? undefined : 'VS Code refused the edit');
  }

  dispose(): void {
    this.cancel();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
