/**
 * Follows the active `.m3v` editor the way Markdown's preview does: the last focused `.m3v` document stays the
 * subject while another kind of editor is active. After `m3v.updateDebounceMs` of quiet it asks the language server
 * for the design's summary (`m3v/designSummary`: names, problem, status figures of its UNSAVED text) and tells
 * listeners (panels, status bar). Owns the task/target selection. Nothing is analysed here: the server does it.
 */
import * as vscode from 'vscode';
import { emptySummary, resolveSelection, type DesignSummary } from '../webviews/host/analyzer';
import { DESIGN_SUMMARY } from '../language/src/server/protocol';
import { readSettings } from './config';
import { Debouncer } from './debounce';
import type { M3vLanguageClient } from './languageClient';
import type { ViewKey } from './panels/speculative';

export interface DesignUpdate {
  uri: vscode.Uri | undefined;
  /** The document version the server answered for. */
  version: number;
  summary: DesignSummary;
  task: string;
  target: string;
  /** Increases with every update; echoed by webviews in `rendered` messages. */
  seq: number;
  /** Time from asking the server to its answer (ms), for the log the e2e suite reads. */
  roundTripMs: number;
}

export class ActiveDesign implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DesignUpdate>();
  readonly onDidUpdate = this.emitter.event;
  private readonly willAsk = new vscode.EventEmitter<ViewKey>();
  /**
   * Fired as the summary of an edited design is asked for, with the selection the previous summary resolved to (an
   * edit rarely changes it): a panel may ask for its view of it at the same time (panels/speculative.ts).
   */
  readonly onWillAsk = this.willAsk.event;
  // Leading edge: one edit after a pause is asked about at once; a burst of typing is asked about after it.
  private readonly debouncer = new Debouncer<string>(() => readSettings().updateDebounceMs, undefined, { leading: true });
  private readonly disposables: vscode.Disposable[] = [];
  private document: vscode.TextDocument | undefined;
  private chosenTask: string | undefined;
  private chosenTarget: string | undefined;
  private seq = 0;
  private inflight: vscode.CancellationTokenSource | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private _current: DesignUpdate = {
    uri: undefined,
    version: -1,
    summary: emptySummary('Open a .m3v design to see its figures.'),
    task: '',
    target: '',
    seq: 0,
    roundTripMs: 0,
  };

  constructor(private readonly client: M3vLanguageClient) {
    this.disposables.push(
      this.emitter,
      this.willAsk,
      vscode.window.onDidChangeActiveTextEditor((e) => this.follow(e?.document)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && e.contentChanges.length > 0) {
          this.debouncer.schedule(e.document.uri.toString(), () => void this.refresh());
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) {
          this.debouncer.cancel(d.uri.toString());
          this.document = undefined;
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('m3v.defaultTask') || e.affectsConfiguration('m3v.defaultTarget')) void this.refresh();
      }),
      // A restarted server, or a trace file rewritten under the design: ask again.
      client.onDidChangeState((s) => {
        if (s === 'running') void this.refresh();
      }),
      client.onDidChangeDesign((uri) => {
        if (uri === this.document?.uri.toString()) void this.refresh();
      }),
    );
    // The first request goes out just after activation, not inside it: activation only wires (and stays fast).
    const initial = setTimeout(() => this.follow(vscode.window.activeTextEditor?.document), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  get current(): DesignUpdate {
    return this._current;
  }

  get documentUri(): vscode.Uri | undefined {
    return this.document?.uri;
  }

  /** Apply pending edits now and wait for the answer (a panel opening mid-typing must show the latest text). */
  flush(): Promise<void> {
    if (this.document && this.debouncer.isPending(this.document.uri.toString())) this.debouncer.flush(this.document.uri.toString());
    return this.refreshing;
  }

  selectTask(task: string): void {
    this.chosenTask = task;
    void this.refresh();
  }

  selectTarget(target: string): void {
    this.chosenTarget = target;
    void this.refresh();
  }

  /** Make `document` the subject (used by commands invoked with a URI, e.g. from a code lens). */
  follow(document: vscode.TextDocument | undefined): void {
    if (!document || document.languageId !== 'm3v') return;
    if (document === this.document) return;
    this.document = document;
    void this.refresh();
  }

  refresh(): Promise<void> {
    const doc = this.document;
    if (!doc) return this.refreshing;
    this.debouncer.cancel(doc.uri.toString());
    // A newer edit or selection supersedes the question still on its way.
    this.inflight?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.inflight = cts;
    this.refreshing = this.ask(doc, cts).finally(() => cts.dispose());
    return this.refreshing;
  }

  private async ask(doc: vscode.TextDocument, cts: vscode.CancellationTokenSource): Promise<void> {
    const t0 = performance.now();
    const version = doc.version;
    // The guess: the selection as it will resolve if the edit keeps the previous summary's tasks and targets.
    const previous = this._current;
    if (previous.uri?.toString() === doc.uri.toString() && previous.summary.problem === undefined) {
      const settings = readSettings(doc.uri);
      const task = resolveSelection(previous.summary.tasks, this.chosenTask, settings.defaultTask);
      const target = resolveSelection(previous.summary.targets, this.chosenTarget, settings.defaultTarget);
      if (task && target) this.willAsk.fire({ uri: doc.uri.toString(), version, task, target });
    }
    let summary: DesignSummary;
    try {
      summary = await this.client.request(DESIGN_SUMMARY, { textDocument: { uri: doc.uri.toString(), version } }, cts.token);
    } catch (err) {
      if (cts.token.isCancellationRequested) return;
      // The server is down or failed: say so in one line, keep the editor alive.
      summary = emptySummary(`M3V: the language server did not answer: ${err instanceof Error ? err.message : String(err)}`, doc.uri.toString(), version);
    }
    if (cts.token.isCancellationRequested || this.document !== doc) return;
    const settings = readSettings(doc.uri);
    const task = resolveSelection(summary.tasks, this.chosenTask, settings.defaultTask);
    const target = resolveSelection(summary.targets, this.chosenTarget, settings.defaultTarget);
    this._current = { uri: doc.uri, version: summary.version, summary, task, target, seq: ++this.seq, roundTripMs: performance.now() - t0 };
    this.emitter.fire(this._current);
  }

  dispose(): void {
    this.inflight?.cancel();
    this.debouncer.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
