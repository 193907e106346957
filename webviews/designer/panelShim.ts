/**
 * Runs in a panel iframe of the browser designer BEFORE the panel's own bundle: provides the `acquireVsCodeApi`
 * the panels were written against, so the designer shows the very same Resources and Schedule panels as VS Code.
 * Messages go to the designer page (same origin only); state persists per panel in sessionStorage, as VS Code
 * keeps a webview's state across reloads.
 */
import { PANEL_KINDS, type PanelKind } from '../protocol';

/** The envelope a panel's message travels in to the page (the page accepts nothing else from its iframes). */
export interface PanelEnvelope {
  m3vPanel: PanelKind;
  message: unknown;
}

const panel = document.body.dataset.panel as PanelKind;
if (!PANEL_KINDS.includes(panel)) throw new Error(`unknown panel ${panel}`);
const stateKey = `m3v-panel-state:${panel}`;

(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage(message: unknown): void {
    window.parent.postMessage({ m3vPanel: panel, message } satisfies PanelEnvelope, window.location.origin);
  },
  getState(): unknown {
    const text = sessionStorage.getItem(stateKey);
    return text === null ? undefined : JSON.parse(text);
  },
  setState(state: unknown): void {
    sessionStorage.setItem(stateKey, JSON.stringify(state));
  },
});
