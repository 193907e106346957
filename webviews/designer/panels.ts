/**
 * Hosts the extension's own panel bundles (Resources, Schedule) in iframes of the designer page and speaks the one
 * panel protocol (webviews/protocol.ts) with them, as `extension/panels/panelHost.ts` does inside VS Code: a panel
 * says `ready`, the page answers with the latest view; a panel asks to reveal a source range or select a task.
 */
import { assertNever, isWebviewMessage, type HostMessage, type PanelKind, type SourceLink, type WebviewMessage } from '../protocol';
import type { PanelEnvelope } from './panelShim';

export interface PanelEvents {
  reveal(link: SourceLink): void;
  selectTask(task: string): void;
  selectTarget(target: string): void;
  /** A panel drew the update numbered `seq` (for timing and tests). */
  rendered(panel: PanelKind, seq: number): void;
}

interface Hosted {
  frame: HTMLIFrameElement;
  ready: boolean;
  latest?: HostMessage;
  selection?: HostMessage;
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
  show(kind: PanelKind, message: HostMessage, selection?: HostMessage): void {
    const hosted = this.hosted.get(kind);
    if (!hosted) return;
    hosted.latest = message;
    if (selection) hosted.selection = selection;
    if (hosted.ready) this.send(hosted);
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
