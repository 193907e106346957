/**
 * The Run panel (dist/webviews/run.js, the extension's own bundle) in Chromium, fed the view the extension makes
 * from a real `m3v run --json` (seeded weights, onnxruntime-node on the CPU, a 512 × 128 image into the sample's
 * 256 × 128 input). Expected figures come from the run's own trace, counted here, and from first principles:
 * seeded weights → the notice; --threads 1 → "CPU (onnxruntime, 1 thread)"; a 4:1 image into a 2:1 input → the
 * aspect-ratio notice; the class legend counts every output pixel once (H × W of the prediction); the histogram
 * labels every expert 0…E−1; one tokens × experts map per MoE layer, tokens × E cells. Its Export HTML button
 * posts one self-contained HTML file with the same tokens per expert. Screenshots: dark, light, high contrast.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { panelHtml } from '../../webviews/host/panelHtml';
import { runViewFromCliJson } from '../../extension/runResult';
import { PROTOCOL_VERSION } from '../../webviews/protocol';
import { launchChromium, repoRoot } from './harness';

const artifacts = join(repoRoot, 'test-results', 'browser');
const ORIGIN = 'http://m3v-panel.test';
let browser: Browser;
let run: any;

/** VS Code's High Contrast (Dark) colours for the variables the panel uses (VS Code injects them into webviews). */
const HIGH_CONTRAST = `:root { --vscode-foreground: #ffffff; --vscode-editor-background: #000000; --vscode-descriptionForeground: #ffffff;
  --vscode-editorWarning-foreground: #ffd700; --vscode-panel-border: #6fc3df; --vscode-contrastBorder: #6fc3df; --vscode-editorWidget-border: #6fc3df;
  --vscode-button-secondaryBackground: #000000; --vscode-button-secondaryForeground: #ffffff; --vscode-button-border: #6fc3df; }`;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  const png = new PNG({ width: 512, height: 128 });
  for (let y = 0; y < 128; y++) for (let x = 0; x < 512; x++) png.data.set([x % 256, y * 2, (x * y) % 256, 255], (y * 512 + x) * 4);
  const image = join(mkdtempSync(join(tmpdir(), 'm3v-runpanel-')), 'wide.png');
  writeFileSync(image, PNG.sync.write(png));
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', join(repoRoot, 'samples', 'edge-moe-zcu102.m3v'), '--task', 'semseg', '--image', image, '--threads', '1', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  run = JSON.parse(r.stdout);
  browser = await launchChromium();
});
after(async () => browser?.close());

/** The panel as VS Code hosts it: its CSP shell, an acquireVsCodeApi that records what the panel posts. */
async function openPanel(theme: 'dark' | 'light' | 'high-contrast'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: theme === 'light' ? 'light' : 'dark' });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  const html = panelHtml({ panel: 'run', title: 'M3V Run', cspSource: ORIGIN, scriptUri: '/webviews/run.js', styleUri: '/webviews/panel.css', nonce: 'abcdefabcdefabcdefabcdefabcdef12', prelude: { scriptUri: '/prelude.js', themeUri: '/theme.css' } });
  const prelude = 'window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });';
  const theme_css = readFileSync(join(repoRoot, 'dist', 'designer', 'theme.css'), 'utf8') + (theme === 'high-contrast' ? HIGH_CONTRAST : '');
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/panel') return route.fulfill({ contentType: 'text/html', body: html });
    if (path === '/prelude.js') return route.fulfill({ contentType: 'text/javascript', body: prelude });
    if (path === '/theme.css') return route.fulfill({ contentType: 'text/css', body: theme_css });
    if (path.startsWith('/webviews/')) return route.fulfill({ path: join(repoRoot, 'dist', path) });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/panel`);
  const view = runViewFromCliJson(JSON.stringify(run));
  assert.ok(typeof view !== 'string', typeof view === 'string' ? view : '');
  await page.waitForFunction(() => (window as any).__posted.some((m: any) => m.type === 'ready'));
  await page.evaluate((msg) => window.postMessage(msg, '*'), { v: PROTOCOL_VERSION, type: 'run', seq: 1, uri: 'file:///d.m3v', view });
  await page.waitForSelector('section[data-layer] canvas[data-x-ticks]', { state: 'attached', timeout: 20_000 });
  return page;
}

test('the Run panel says seeded, labels the CPU time, keys every colour and labels every expert', async () => {
  const page = await openPanel('dark');
  const experts = run.trace.experts as number;
  const text = (sel: string) => page.evaluate((s) => document.querySelector(s)?.textContent ?? '', sel);
  assert.match(await text('#run-seeded'), /^seeded weights — predictions are meaningless; routing is real for these weights/);
  assert.match(await text('#run-title'), /^task semseg · measured \d+\.\d\d ms on CPU \(onnxruntime, 1 thread\)$/);
  assert.match(await text('#run-cpu h2'), /^Measured on CPU \(onnxruntime, 1 thread\)$/);
  assert.match(await text('#run-cpu'), /not the FPGA/);
  assert.match(await text('#run-input-notice'), /512 × 128 image was resized to the model's 256 × 128 input, changing its aspect ratio \(4\.00 → 2\.00\)/);

  // Legend: the prediction's classes, every pixel counted once.
  const [, H, W] = run.prediction.dims;
  const legend = await page.evaluate(() => Array.from(document.querySelectorAll('#run-legend [data-class]')).map((e) => Number((e as HTMLElement).dataset.pixels)));
  assert.equal(legend.length, run.prediction.dims[0], 'one legend entry per class');
  assert.equal(legend.reduce((a, b) => a + b, 0), H * W);

  // Per layer: the histogram's figures are the trace's own counts (counted here), every expert is a tick, the
  // heat-map key names each top-1 expert of the patches, and the tokens × experts map has tokens × E cells.
  const layers = await page.evaluate(() => Array.from(document.querySelectorAll('section[data-layer]')).map((s) => ({
    layer: Number((s as HTMLElement).dataset.layer),
    load: (s as HTMLElement).dataset.expertLoad,
    ticks: (s.querySelector('canvas[data-x-ticks]') as HTMLElement).dataset.xTicks,
    keyed: Array.from(s.querySelectorAll('.heat-key [data-expert]')).map((e) => Number((e as HTMLElement).dataset.expert)),
    map: { tokens: Number((s.querySelector('canvas.token-map') as HTMLElement)?.dataset.tokens), experts: Number((s.querySelector('canvas.token-map') as HTMLElement)?.dataset.experts) },
  })));
  assert.equal(layers.length, run.trace.layers.length);
  const patches = run.grid.rows * run.grid.cols;
  for (const [i, l] of run.trace.layers.entries()) {
    const counts = new Array(experts).fill(0);
    for (const choice of l.experts) for (const e of choice) counts[e]++;
    assert.equal(layers[i].load, counts.join(','), `layer ${l.layer} tokens per expert`);
    assert.equal(layers[i].ticks, Array.from({ length: experts }, (_, e) => String(e)).join(','), 'every expert number on the x axis');
    const top1 = [...new Set(l.experts.slice(l.experts.length - patches).map((c: number[]) => c[0]))].sort((a: any, b: any) => a - b);
    assert.deepEqual(layers[i].keyed, top1, 'the heat-map key lists each top-1 expert of the patches');
    assert.deepEqual(layers[i].map, { tokens: l.experts.length, experts });
  }
  await page.screenshot({ path: join(artifacts, 'run-panel-dark.png'), fullPage: true });

  // Export HTML: one file; its expert-load table has the same figures.
  await page.click('#export-html');
  const posted = await page.evaluate(() => (window as any).__posted.find((m: any) => m.type === 'exportReport'));
  assert.equal(posted.files.length, 1);
  const html: string = posted.files[0].text;
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  assert.match(html, /seeded weights — predictions are meaningless/);
  assert.match(html, /Measured on CPU \(onnxruntime, 1 thread\)/);
  const report = await browser.newPage();
  await report.setContent(html);
  const rows = await report.evaluate(() => Array.from(document.querySelectorAll('table[data-table="expert-load"] tbody tr')).map((tr) => Array.from(tr.children).map((td) => Number((td as HTMLElement).dataset.value))));
  assert.deepEqual(rows.map((r) => r.join(',')), layers.map((l) => `${l.layer},${l.load}`));
  const pngs = await report.evaluate(() => document.querySelectorAll('figure img[src^="data:image/png;base64,"]').length);
  assert.ok(pngs >= 2 + run.trace.layers.length, `input, output and the charts as PNG data URIs (${pngs})`);
  await report.screenshot({ path: join(artifacts, 'run-export.png'), fullPage: true });
  await report.close();
  await page.click('#export-csv');
  const csv = await page.evaluate(() => (window as any).__posted.filter((m: any) => m.type === 'exportReport')[1]);
  assert.ok(csv.files.some((f: any) => f.name === 'm3v-run-expert-load.csv' && f.text.startsWith('MoE layer,expert 0,')));
  await page.close();
});

test('the Run panel in light and high-contrast themes (screenshots)', async () => {
  for (const theme of ['light', 'high-contrast'] as const) {
    const page = await openPanel(theme);
    await page.screenshot({ path: join(artifacts, `run-panel-${theme}.png`), fullPage: true });
    await page.close();
  }
});
