/**
 * The designer page's HTML, served by `m3v serve` at `/`. Pure (tested). Scripts and styles come only from the
 * server's own origin; monaco creates style elements at run time, hence `'unsafe-inline'` for styles only.
 */
export function designerPageCsp(): string {
  return [
    "default-src 'none'",
    // 'wasm-unsafe-eval' lets the Oniguruma WebAssembly (the TextMate grammar's regex engine) compile; no JS eval.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function designerPageHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>M3V Designer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/designer/theme.css">
<link rel="stylesheet" href="/designer/designer.css">
<link rel="stylesheet" href="/designer/main.css">
</head>
<body>
<header>
  <span class="brand">M3V Designer</span>
  <select id="design-select" aria-label="Design"></select>
  <button id="save" disabled>Save</button>
  <button id="download" class="secondary">Download</button>
  <span id="dirty"></span>
  <label class="option"><input type="checkbox" id="compare"> compare strategies</label>
  <select id="scenario-select" aria-label="Scenario" hidden></select>
  <span id="root"></span>
  <span id="status" role="status"></span>
</header>
<main>
  <section id="editor" aria-label="Design editor"></section>
  <section id="panels"></section>
</main>
<footer id="footer">Starting…</footer>
<script src="/designer/main.js"></script>
</body>
</html>`;
}
