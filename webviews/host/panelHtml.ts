/**
 * The HTML shell of every M3V panel. Pure (no `vscode` import) so its security properties are unit-tested:
 * a Content-Security-Policy that allows nothing by default, scripts and styles only from the extension's
 * `dist/webviews` folder and only with this load's nonce, images only from there or `data:` (the Run panel's
 * host-encoded PNGs). Colours come from VS Code's theme CSS variables in `webviews/shared/theme.css`.
 */
import type { PanelKind } from '../protocol';

export interface PanelHtmlInput {
  panel: PanelKind;
  title: string;
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** webview URIs (as strings) of the panel's script and the shared stylesheet. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
  /**
   * The browser designer only: a script run before the panel's (it provides `acquireVsCodeApi`) and a stylesheet
   * defining the `--vscode-*` theme variables VS Code itself injects into webviews.
   */
  prelude?: { scriptUri: string; themeUri: string };
}

/** 32 characters from [A-Za-z0-9]; `random` is injectable for tests, crypto-quality in the host. */
export function makeNonce(random: () => number = Math.random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    // The toolkit's custom elements adopt constructed stylesheets, and its one probe <style> element takes the nonce
    // from <meta property="csp-nonce"> (FAST's convention); chart.js sizes canvases through the CSSOM. None needs
    // 'unsafe-inline'.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function panelHtml(input: PanelHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${input.nonce}">
${input.prelude ? `<link rel="stylesheet" nonce="${input.nonce}" href="${escapeAttr(input.prelude.themeUri)}">\n` : ''}<link rel="stylesheet" nonce="${input.nonce}" href="${escapeAttr(input.styleUri)}">
<title>${escapeAttr(input.title)}</title>
</head>
<body data-panel="${input.panel}">
<div id="status" role="status"></div>
<main id="root"></main>
${input.prelude ? `<script nonce="${input.nonce}" src="${escapeAttr(input.prelude.scriptUri)}"></script>\n` : ''}<script nonce="${input.nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}
