/**
 * Follows the active `.m3v` editor the way Markdown's preview does: the last focused `.m3v` document stays the
 * subject while another kind of editor is active. Re-analyses its UNSAVED text after `m3v.updateDebounceMs` of
 * quiet and tells listeners (panels, status bar). Owns the task/target selection.
 */
import * as vscode from 'vscode';
import { resolveSelection, emptyAnalysis, type AnalyzedDesign, type DesignAnalyzer } from '../webviews/host/analyzer';
import { readSettings } from './config';
import { Debouncer } from './debounce';

export interface DesignUpdate {
  uri: vscode.Uri | undefined;
  analysis: AnalyzedDesign;
  task: string;
  target: string;
  /** Increases with every update; echoed by webviews in `rendered` messages. */
  seq: number;
  analysisMs: number;
}

export class ActiveDesign implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DesignUpdate>();
  readonly onDidUpdate = this.emitter.event;
  private readonly debouncer = new Debouncer<string>(() => readSettings().updateDebounceMs);
  private readonly disposables: vscode.Disposable[] = [];
  private document: vscode.TextDocument | undefined;
  private chosenTask: string | undefined;
  private chosenTarget: string | undefined;
  private seq = 0;
  private _current: DesignUpdate = {
    uri: undefined,
    analysis: emptyAnalysis('Open a .m3v design to see its figures.'),
    task: '',
    target: '',
    seq: 0,
    analysisMs: 0,
  };

  constructor(private readonly analyze: DesignAnalyzer) {
    this.disposables.push(
      this.emitter,
      vscode.window.onDidChangeActiveTextEditor((e) => this.follow(e?.document)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && e.contentChanges.length > 0) {
          this.debouncer.schedule(e.document.uri.toString(), () => this.refresh());
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) {
          this.debouncer.cancel(d.uri.toString());
          this.document = undefined;
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('m3v.defaultTask') || e.affectsConfiguration('m3v.defaultTarget')) this.refresh();
      }),
    );
    // The first analysis runs just after activation, not inside it: activation only wires (and stays fast).
    const initial = setTimeout(() => this.follow(vscode.window.activeTextEditor?.document), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  get current(): DesignUpdate {
    return this._current;
  }

  get documentUri(): vscode.Uri | undefined {
    return this.document?.uri;
  }

  /** Apply pending edits now (a panel opening mid-typing must show the latest text). */
  flush(): void {
    if (this.document) this.debouncer.flush(this.document.uri.toString());
  }

  selectTask(task: string): void {
    this.chosenTask = task;
    this.refresh();
  }

  selectTarget(target: string): void {
    this.chosenTarget = target;
    this.refresh();
  }

  /** Make `document` the subject (used by commands invoked with a URI, e.g. from a code lens). */
  follow(document: vscode.TextDocument | undefined): void {
    if (!document || document.languageId !== 'm3v') return;
    if (document === this.document) return;
    this.document = document;
    this.refresh();
  }

  refresh(): void {
    const doc = this.document;
    if (!doc) return;
    this.debouncer.cancel(doc.uri.toString());
    const t0 = performance.now();
    let analysis: AnalyzedDesign;
    try {
      analysis = this.analyze(doc.getText(), doc.uri.toString());
    } catch (err) {
      // The analyzer must not throw on user text; if the engine has a bug, say so in one line, keep the editor alive.
      analysis = emptyAnalysis(`M3V internal error while analysing: ${err instanceof Error ? err.message : String(err)}`);
    }
    const settings = readSettings(doc.uri);
    const task = resolveSelection(analysis.tasks, this.chosenTask, settings.defaultTask);
    const target = resolveSelection(analysis.targets, this.chosenTarget, settings.defaultTarget);
    // The status bar needs the engine report anyway: computing it here makes analysisMs the whole cost.
    try {
      analysis.status(task, target);
    } catch (err) {
      analysis = emptyAnalysis(`M3V internal error while analysing: ${err instanceof Error ? err.message : String(err)}`);
    }
    const analysisMs = performance.now() - t0;
    this._current = { uri: doc.uri, analysis, task, target, seq: ++this.seq, analysisMs };
    this.emitter.fire(this._current);
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
