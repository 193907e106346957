/**
 * The webview side of the protocol plumbing: `acquireVsCodeApi` once, typed `post`, persisted state, and the
 * message loop that ignores anything not from this protocol version. Each panel passes its own handler.
 */
import { PROTOCOL_VERSION, type HostMessage, type PanelKind, type PanelState, type WebviewMessage } from '../protocol';
import { exportButtons } from '../export/panelButtons';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

type Payload<M> = M extends { v: number } ? Omit<M, 'v'> : never;

export function post(message: Payload<WebviewMessage>): void {
  api.postMessage({ v: PROTOCOL_VERSION, ...message });
}

export function loadState(panel: PanelKind): PanelState {
  const s = api.getState() as PanelState | undefined;
  // State from another protocol version (an older build before a reload) is dropped, not misread.
  if (s && s.v === PROTOCOL_VERSION && s.panel === panel) return s;
  return { v: PROTOCOL_VERSION, panel };
}

export function saveState(state: PanelState): void {
  api.setState(state);
}

/**
 * When each view message arrived (Date.now(), the clock the e2e latency test's keydown uses) and how long the panel's
 * synchronous render took: the e2e test reads it to split keystroke → panel into the host's part and the panel's.
 */
export interface RenderRecord {
  type: string;
  seq: number;
  receivedAt: number;
  renderMs: number;
  /** setState of the persisted state (VS Code serialises it to the host). */
  saveMs: number;
}
const renderLog: RenderRecord[] = [];
(window as unknown as { m3vRenderLog: RenderRecord[] }).m3vRenderLog = renderLog;

/**
 * Starts the panel: draws the last persisted message at once (no blank panel after a reload), then listens and
 * tells the host it is ready. `render` returns true when it drew a view (acknowledged with `rendered`).
 */
export function startPanel(panel: PanelKind, render: (m: HostMessage, state: PanelState) => void): PanelState {
  const state = loadState(panel);
  // Every panel gets the same Export bar (HTML, CSV, PNG of what it shows now), above its content.
  document.body.insertBefore(exportButtons(panel, () => state.last, post), document.getElementById('root'));
  if (state.last) render(state.last, state);
  window.addEventListener('message', (event: MessageEvent) => {
    const m = event.data as HostMessage;
    if (typeof m !== 'object' || m === null || m.v !== PROTOCOL_VERSION) return;
    const receivedAt = Date.now();
    const t0 = performance.now();
    if (m.type !== 'stale' && m.type !== 'selection') {
      state.uri = m.uri;
      state.last = m;
    }
    render(m, state);
    const t1 = performance.now();
    saveState(state);
    if (m.type === 'resources' || m.type === 'schedule' || m.type === 'run') {
      renderLog.push({ type: m.type, seq: m.seq, receivedAt, renderMs: t1 - t0, saveMs: performance.now() - t1 });
      if (renderLog.length > 50) renderLog.shift();
    }
    if (m.type === 'resources' || m.type === 'schedule' || m.type === 'run') post({ type: 'rendered', panel, seq: m.seq });
  });
  post({ type: 'ready', panel });
  return state;
}

/** A one-line notice at the top (errors in the design, no target…); the last good picture stays, dimmed. */
export function showStale(reason: string | undefined): void {
  const status = document.getElementById('status');
  if (status) status.textContent = reason ?? '';
  document.body.classList.toggle('stale', reason !== undefined);
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    // The panels' CSP forbids style attributes (no 'unsafe-inline'); declarations set through the CSSOM are allowed.
    if (k === 'style') {
      for (const decl of v.split(';')) {
        const at = decl.indexOf(':');
        if (at > 0) e.style.setProperty(decl.slice(0, at).trim(), decl.slice(at + 1).trim());
      }
    } else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}
