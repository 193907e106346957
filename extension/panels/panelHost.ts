/**
 * One host for every M3V panel: creates or reveals the webview panel, gives it the strict-CSP HTML shell,
 * restores it after a window reload (`registerWebviewPanelSerializer`), posts the current view once the webview
 * says `ready` and after every design update, and routes the webview's messages. What a panel SHOWS is the
 * `PanelContent` passed in; this class only does the VS Code plumbing.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import {
  assertNever,
  isWebviewMessage,
  type HostMessage,
  type PanelKind,
  type PanelState,
  type WebviewMessage,
  type ExportFile,
} from '../../webviews/protocol';
import { makeNonce, panelHtml } from '../../webviews/host/panelHtml';
import { staleMessage } from '../../webviews/host/messages';
import type { ViewKey } from './speculative';

export interface PanelContent {
  kind: PanelKind;
  title: string;
  /**
   * The current message to show (a view or a `stale` line), from the language server. Called only while the panel
   * exists; `token` is cancelled when a newer update supersedes this one (the server then stops its work).
   */
  currentMessage(token: vscode.CancellationToken): Promise<HostMessage>;
  /** Task/target choices for the panel's dropdowns, posted before each view. */
  selectionMessage?(): HostMessage | undefined;
  /**
   * Ask now for the view of `key`, which the next update will most likely want (speculative.ts); `source` cancels
   * the request if the guess is not taken.
   */
  prefetch?(key: ViewKey, source: vscode.CancellationTokenSource): void;
}

export interface PanelActions {
  reveal(uri: string, start: number, end: number): void;
  selectTask(task: string): void;
  selectTarget(target: string): void;
  useTraceAsRouting(): void;
  /** Run panel's numerics toggle: run the last image again with `m3v run --numerics <numerics>`. */
  rerunModel(numerics: 'float32' | 'declared'): void;
  /** After a window reload: make the design the restored panel showed the subject again. */
  restore(uri: string): void;
  /** A panel's Export button: save the files it built (extension/exportFiles.ts). */
  exportReport(panel: PanelKind, format: 'html' | 'csv' | 'png', files: ExportFile[]): void;
}

export const VIEW_TYPES: Record<PanelKind, string> = {
  resources: 'm3v.resources',
  schedule: 'm3v.schedule',
  run: 'm3v.run',
  explore: 'm3v.explore',
};

/** Last `rendered` acknowledgement per panel: read by the API test and the e2e latency probe. */
export interface RenderAck {
  seq: number;
  at: number;
}

export class PanelHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pendingView: vscode.CancellationTokenSource | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  lastAck: RenderAck | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly content: PanelContent,
    private readonly actions: PanelActions,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[content.kind], {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          this.adopt(panel);
          const uri = (state as PanelState | undefined)?.uri;
          if (typeof uri === 'string') this.actions.restore(uri);
        },
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(column: vscode.ViewColumn = vscode.ViewColumn.Beside): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      this.update();
      return;
    }
    // After a window reload VS Code restores a hidden panel's tab but deserializes it only when it is first shown, so
    // we do not know it yet: close that placeholder rather than leave a second tab of the same panel beside the new one.
    const stale = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(VIEW_TYPES[this.content.kind]));
    if (stale.length > 0) void vscode.window.tabGroups.close(stale, true);
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPES[this.content.kind],
      this.content.title,
      { viewColumn: column, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  /**
   * Ask for the current view and post it if the webview is listening; otherwise `ready` will fetch it. A newer update
   * cancels the answer still on its way (and the server's work for it), so a burst of edits draws only the last.
   */
  /** While the panel is open, lets its content ask for its view of `key` ahead of the update (speculative.ts). */
  prefetch(key: ViewKey): void {
    if (!this.panel || !this.ready || !this.content.prefetch) return;
    this.content.prefetch(key, new vscode.CancellationTokenSource());
  }

  update(): void {
    if (!this.panel || !this.ready) return;
    this.pendingView?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.pendingView = cts;
    const panel = this.panel;
    const selection = this.content.selectionMessage?.();
    const post = (message: HostMessage) => {
      if (cts.token.isCancellationRequested || this.panel !== panel) return;
      if (selection) void panel.webview.postMessage(selection);
      void panel.webview.postMessage(message);
    };
    this.content.currentMessage(cts.token).then(post, (err: unknown) => {
      post(staleMessage(`M3V: the language server did not answer: ${err instanceof Error ? err.message : String(err)}`));
    });
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Only our bundles; no workspace files can be loaded by a panel.
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews')],
      enableFindWidget: true,
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.webviewOptions();
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews');
    panel.webview.html = panelHtml({
      panel: this.content.kind,
      title: this.content.title,
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, `${this.content.kind}.js`)).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.css')).toString(),
      nonce: makeNonce(() => randomBytes(1)[0] / 256),
    });
    const subscriptions: vscode.Disposable[] = [];
    subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (isWebviewMessage(raw)) this.handle(raw);
      }),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.update();
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        for (const s of subscriptions) s.dispose();
      }),
    );
  }

  private handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.update();
        return;
      case 'reveal':
        this.actions.reveal(message.link.uri, message.link.start, message.link.end);
        return;
      case 'selectTask':
        this.actions.selectTask(message.task);
        return;
      case 'selectTarget':
        this.actions.selectTarget(message.target);
        return;
      case 'useTraceAsRouting':
        this.actions.useTraceAsRouting();
        return;
      case 'rerunModel':
        this.actions.rerunModel(message.numerics);
        return;
      case 'rendered':
        this.lastAck = { seq: message.seq, at: Date.now() };
        return;
      case 'exportReport':
        this.actions.exportReport(message.panel, message.format, message.files);
        return;
      case 'exploreStart':
      case 'exploreCancel':
      case 'applyPoint':
        // Only the Design Space panel sends these, and it has its own host (explorePanel.ts).
        return;
      default:
        assertNever(message);
    }
  }

  dispose(): void {
    this.pendingView?.cancel();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

