/**
 * Hosts the extension's own panel bundles (Resources, Schedule) in iframes of the designer page and speaks the one
 * panel protocol (webviews/protocol.ts) with them, as `extension/panels/panelHost.ts` does inside VS Code: a panel
 * says `ready`, the page answers with the latest view; a panel asks to reveal a source range or select a task.
 */
import { assertNever, isWebviewMessage, PROTOCOL_VERSION, type ExploreHostMessage, type HostMessage, type PanelKind, type SourceLink, type WebviewMessage } from '../protocol';
import {
  EXPLORE_CANCEL,
  EXPLORE_POINT_EDITS,
  EXPLORE_PROGRESS,
  EXPLORE_START,
  type DesignSummary,
  type ExploreProgressParams,
  type M3vRequests,
} from '../../language/src/server/protocol';
import type { PanelEnvelope } from './panelShim';

export interface PanelEvents {
  reveal(link: SourceLink): void;
  selectTask(task: string): void;
  selectTarget(target: string): void;
  /** A panel drew the update numbered `seq` (for timing and tests). */
  rendered(panel: PanelKind, seq: number): void;
  /** The Design Space panel's requests (DesignSpace below handles them). */
  exploreStart?(explore: string): void;
  exploreCancel?(): void;
  applyPoint?(explore: string, index: number, values: Record<string, string>): void;
}

interface Hosted {
  frame: HTMLIFrameElement;
  ready: boolean;
  latest?: HostMessage | ExploreHostMessage;
  selection?: HostMessage | ExploreHostMessage;
}

export class PanelFrames {
  private readonly hosted = new Map<PanelKind, Hosted>();

  constructor(private readonly events: PanelEvents) {
    window.addEventListener('message', (event: MessageEvent) => {
      if (event.origin !== window.location.origin) return;
      const envelope = event.data as Partial<PanelEnvelope> | null;
      const hosted = envelope?.m3vPanel ? this.hosted.get(envelope.m3vPanel) : undefined;
      // Only messages from our own panel frames, in this protocol version, are acted on.
      if (!hosted || event.source !== hosted.frame.contentWindow || !isWebviewMessage(envelope!.message)) return;
      this.handle(envelope!.m3vPanel!, hosted, envelope!.message);
    });
  }

  /**
   * Creates the panel's iframe in `container`. Created here, after the message listener exists, so the panel's
   * `ready` cannot arrive before the page listens (the designer's own bundle loads slower than a panel's).
   */
  add(kind: PanelKind, container: HTMLElement, title: string): HTMLIFrameElement {
    const frame = document.createElement('iframe');
    frame.id = `panel-${kind}`;
    frame.title = title;
    this.hosted.set(kind, { frame, ready: false });
    frame.src = `/panel/${kind}`;
    container.append(frame);
    return frame;
  }

  /** The panel's latest view (or stale line) and the selection; sent now if the panel is ready, else on `ready`. */
  show(kind: PanelKind, message: HostMessage | ExploreHostMessage, selection?: HostMessage | ExploreHostMessage): void {
    const hosted = this.hosted.get(kind);
    if (!hosted) return;
    hosted.latest = message;
    if (selection) hosted.selection = selection;
    if (hosted.ready) this.send(hosted);
  }

  /** Sends a passing message (explore progress) now if the panel is ready; it is not replayed on `ready`. */
  post(kind: PanelKind, message: ExploreHostMessage): void {
    const hosted = this.hosted.get(kind);
    if (hosted?.ready) hosted.frame.contentWindow?.postMessage(message, window.location.origin);
  }

  private send(hosted: Hosted): void {
    const target = hosted.frame.contentWindow;
    if (!target) return;
    // The selection first: the panel keeps it for the view message that follows (as in VS Code).
    if (hosted.selection) target.postMessage(hosted.selection, window.location.origin);
    if (hosted.latest) target.postMessage(hosted.latest, window.location.origin);
  }

  private handle(kind: PanelKind, hosted: Hosted, message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        hosted.ready = true;
        this.send(hosted);
        return;
      case 'reveal':
        this.events.reveal(message.link);
        return;
      case 'selectTask':
        this.events.selectTask(message.task);
        return;
      case 'selectTarget':
        this.events.selectTarget(message.target);
        return;
      case 'rendered':
        this.events.rendered(kind, message.seq);
        return;
      case 'exportReport':
        downloadFiles(message.files);
        return;
      case 'useTraceAsRouting':
      case 'rerunModel':
        // Only the Run panel sends these, and the designer has no Run panel (model runs need onnxruntime-node).
        return;
      case 'exploreStart':
        this.events.exploreStart?.(message.explore);
        return;
      case 'exploreCancel':
        this.events.exploreCancel?.();
        return;
      case 'applyPoint':
        this.events.applyPoint?.(message.explore, message.index, message.values);
        return;
      default:
        assertNever(message);
    }
  }
}

/** The designer's Export: each file the panel built is downloaded by the browser (nothing is written by the server). */
function downloadFiles(files: { name: string; text?: string; base64?: string }[]): void {
  for (const f of files) {
    const bytes = f.text !== undefined ? new TextEncoder().encode(f.text) : Uint8Array.from(atob(f.base64 ?? ''), (c) => c.charCodeAt(0));
    const type = f.name.endsWith('.html') ? 'text/html' : f.name.endsWith('.csv') ? 'text/csv' : 'image/png';
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

// ------------------------------------------------------------------ the Design Space panel's page side

/** LSP position ranges as the server's explore edits carry them. */
export interface LspEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

export interface DesignSpaceDeps {
  frames: PanelFrames;
  lsp: {
    custom<M extends typeof EXPLORE_START | typeof EXPLORE_CANCEL | typeof EXPLORE_POINT_EDITS>(method: M, params: M3vRequests[M]['params']): Promise<M3vRequests[M]['result']>;
    onNotification<P>(method: string, handler: (params: P) => void): void;
  };
  /** The design the page shows: its URI and current version. */
  active(): { uri: string; version: number } | undefined;
  /** Applies the edits to the design's model as ONE undoable step (monaco pushEditOperations between stack elements). */
  applyEdits(uri: string, version: number, edits: LspEdit[]): boolean;
}

/**
 * What extension/panels/explorePanel.ts does in VS Code, for the designer: lists the active design's explore blocks,
 * runs one in the language server's explore worker (a nested Web Worker), forwards progress, cancels, and writes a
 * clicked point into the editor as one undoable edit.
 */
export class DesignSpace {
  private running: { uri: string; explore: string } | undefined;
  private explores: { name: string; lens: string }[] = [];
  private chosen: string | undefined;
  private seq = 0;
  /** For tests: the last run's counts and the last applied point. */
  lastRun: { front: number; evaluated: number; cancelled: boolean } | undefined;
  lastApplied: { index: number; problem?: string } | undefined;
  progressSeen = 0;

  constructor(private readonly deps: DesignSpaceDeps) {
    deps.lsp.onNotification<ExploreProgressParams>(EXPLORE_PROGRESS, (p) => {
      if (this.running?.uri !== p.uri) return;
      this.progressSeen++;
      deps.frames.post('explore', { v: PROTOCOL_VERSION, type: 'exploreProgress', uri: p.uri, progress: p });
    });
  }

  /** The design summary arrived: show its explore blocks (their lens text carries the last run's front). */
  list(summary: DesignSummary): void {
    this.explores = summary.explores ?? [];
    this.sendList(summary.uri);
  }

  private sendList(uri: string): void {
    const list: ExploreHostMessage = {
      v: PROTOCOL_VERSION,
      type: 'exploreList',
      uri,
      explores: this.explores,
      chosen: this.chosen,
      running: this.running?.uri === uri ? this.running.explore : undefined,
    };
    // The list goes first (as a panel's selection does), then the last run, if any, of this design.
    if (this.latest && (this.latest.type === 'stale' || this.latest.uri === uri)) this.deps.frames.show('explore', this.latest, list);
    else this.deps.frames.show('explore', list);
  }

  private latest: Extract<ExploreHostMessage, { type: 'explore' | 'stale' }> | undefined;

  async start(explore: string): Promise<void> {
    const d = this.deps.active();
    if (!d) return;
    if (this.running) await this.cancel();
    this.running = { uri: d.uri, explore };
    this.chosen = explore;
    this.sendList(d.uri);
    const run = this.running;
    try {
      const result = await this.deps.lsp.custom(EXPLORE_START, { textDocument: { uri: d.uri, version: d.version }, explore });
      if ('stale' in result) this.latest = { v: PROTOCOL_VERSION, type: 'stale', reason: result.stale };
      else {
        this.latest = { v: PROTOCOL_VERSION, type: 'explore', seq: ++this.seq, uri: d.uri, view: result.view };
        this.lastRun = { front: result.view.result.front.length, evaluated: result.view.result.evaluated, cancelled: result.view.result.cancelled };
      }
    } catch (error) {
      this.latest = { v: PROTOCOL_VERSION, type: 'stale', reason: `The exploration stopped: ${(error as Error).message}` };
    } finally {
      if (this.running === run) this.running = undefined;
    }
    this.sendList(d.uri);
  }

  async cancel(): Promise<void> {
    const run = this.running;
    if (run) await this.deps.lsp.custom(EXPLORE_CANCEL, { textDocument: { uri: run.uri } });
  }

  async applyPoint(explore: string, index: number, values: Record<string, string>): Promise<void> {
    const d = this.deps.active();
    const done = (problem?: string) => {
      this.lastApplied = { index, problem };
      this.deps.frames.post('explore', { v: PROTOCOL_VERSION, type: 'pointApplied', index, problem });
    };
    if (!d) return done('no design is open');
    const result = await this.deps.lsp.custom(EXPLORE_POINT_EDITS, { textDocument: { uri: d.uri, version: d.version }, explore, values });
    if ('stale' in result) return done(result.stale);
    if (!this.deps.applyEdits(d.uri, result.version, result.edits)) return done('the design changed while the edit was computed: click again');
    done();
  }
}
