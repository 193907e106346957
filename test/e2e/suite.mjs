// The end-to-end checks, run by test/e2e/run.mjs against code-server with the packaged .vsix installed.
// Sequential node:test tests sharing one browser page. Timings go to test-results/e2e/timings.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium } from 'playwright-core';

const env = process.env;
const url = env.M3V_E2E_URL;
const workspace = env.M3V_E2E_WORKSPACE;
const artifacts = env.M3V_E2E_ARTIFACTS;
const repo = env.M3V_E2E_REPO;
const timings = { keystrokeToPanelMs: {}, keystrokeToLensMs: {}, serverSummaryMs: [], keystrokeToPanelParts: {} };

let browser;
let page;
const cspViolations = [];

const samples = existsSync(join(workspace, 'samples'))
  ? readdirSync(join(workspace, 'samples')).filter((f) => f.endsWith('.m3v')).sort()
  : [];

function findFiles(dir, name) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findFiles(p, name));
    else if (e === name) out.push(p);
  }
  return out;
}

/** The extension's log channel file (VS Code writes LogOutputChannels under <user-data>/logs/…/exthost*). */
function extensionLog() {
  return findFiles(join(env.M3V_E2E_USER_DATA, 'logs'), 'M3V.log').map((f) => readFileSync(f, 'utf8')).join('\n');
}

async function waitFor(fn, what, timeoutMs = 20_000, everyMs = 10) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function shot(name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

async function openFile(rel, attempt = 1) {
  const base = rel.split('/').pop();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(rel);
  // Quick open fills its list asynchronously (file search, then recent files): click the row naming the file.
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${base}"]`).first();
  try {
    await row.waitFor({ timeout: 30_000 });
  } catch (err) {
    // Seen once in a full run: quick open never listed a file the test had just written (explore-e2e.m3v). Open it again.
    if (attempt < 3) return openFile(rel, attempt + 1);
    await shot(`fail-quick-open-${base}`);
    throw err;
  }
  await page.waitForTimeout(300);
  await row.click();
  try {
    // The window title names the active editor's file (prefixed by ● when dirty).
    await page.waitForFunction((b) => document.title.includes(b), base, { timeout: 10_000 });
  } catch (err) {
    if (attempt < 3) return openFile(rel, attempt + 1);
    await shot(`fail-open-${base}`);
    throw new Error(`${base} did not become the active editor (window title: ${await page.title()})`);
  }
  await page.waitForSelector('.editor-group-container.active .monaco-editor .view-lines', { timeout: 20_000 });
  // The pointer rests where the quick-open row was, over the editor's tabs or breadcrumbs: their hover (the file's
  // path) then covers part of a panel and swallows the next click there (seen in CI on the Design Space's Run). Park
  // it on the title bar, which has no hover.
  await page.mouse.move(Math.round((page.viewportSize()?.width ?? 1600) / 2), 4);
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

/** The inner frame (`iframe.webview` → `#active-frame`) of the panel whose body says data-panel=KIND. */
async function panelFrame(kind) {
  return waitFor(async () => {
    for (const f of page.frames()) {
      try {
        if ((await f.evaluate(() => document.body?.dataset.panel ?? '')) === kind) return f;
      } catch {}
    }
    return undefined;
    // 60 s: after a window reload (a theme change) code-server restores the webviews and restarts the extension host,
    // which takes well over 20 s on a loaded 2-core machine; a ready frame returns at once.
  }, `the ${kind} panel's webview frame`, 60_000);
}

/** code-server's own file dialog (a quick input showing the current folder): put `path` in it and accept. */
async function chooseInFileDialog(path, screenshot) {
  const input = page.locator('.quick-input-widget input');
  // 60 s: the first command after a reload activates the extension before its dialog opens.
  await waitFor(async () => ((await input.inputValue().catch(() => '')).startsWith('/') ? true : undefined), 'the file dialog', 60_000);
  // The dialog rewrites its value while it lists the folder: (re)fill until our path sticks.
  await waitFor(async () => {
    await page.waitForTimeout(400);
    if ((await input.inputValue()) === path) return true;
    await input.fill(path);
    return undefined;
  }, 'the dialog to take the path', 10_000, 0);
  if (screenshot) await shot(screenshot);
  await page.keyboard.press('Enter');
}

async function lensTexts() {
  return (await page.locator('.monaco-editor .codelens-decoration').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

before(async () => {
  browser = await chromium.launch({
    executablePath: env.M3V_E2E_CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Webview frames log CSP violations to the console: collected for the last test.
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|apply|execute)/i.test(m.text())) {
      const where = m.location();
      cspViolations.push(`${m.text()} [${where.url}:${where.lineNumber}]`);
    }
  });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60_000 }).catch(() => {});
});

after(async () => {
  writeFileSync(join(artifacts, 'timings.json'), JSON.stringify(timings, null, 2));
  console.log(`m3v e2e timings: ${JSON.stringify(timings)}`);
  await browser?.close();
});

test('opening a .m3v file activates the extension (activation time from its log)', { skip: samples.length === 0 && 'no samples/*.m3v yet' }, async () => {
  await openFile(`samples/${samples[0]}`);
  const line = await waitFor(() => /activated in ([\d.]+)ms/.exec(extensionLog()), 'the "activated in" log line', 30_000, 100);
  timings.activationMs = Number(line[1]);
  await shot('01-opened');
  assert.ok(timings.activationMs > 0);
});

test('the palette lists the M3V commands', async () => {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('M3V: ');
  await page.waitForTimeout(500);
  const labels = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  await shot('02-palette');
  await page.keyboard.press('Escape');
  for (const title of ['Show Resource Panel', 'Show Schedule', 'Compare Strategies', 'Simulate Scenario', 'Select Task', 'Select Target', 'Restart Language Server']) {
    assert.ok(labels.some((l) => l.includes(title)), `palette lacks "M3V: ${title}" in ${JSON.stringify(labels)}`);
  }
});

for (const sample of samples) {
  test(`code lens of ${sample} equals \`m3v analyze --json\``, async (t) => {
    const cli = join(repo, 'dist', 'cli.js');
    const file = join(workspace, 'samples', sample);
    if (!existsSync(join(repo, 'dist', 'server.js'))) return t.skip('no language server in this build (dist/server.js): no code lens');
    const r = spawnSync(process.execPath, [cli, 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    // Exit 1 = a budget is violated; the JSON report is printed all the same.
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      return t.skip(`m3v analyze --json printed no report: ${(r.stderr || r.stdout).split('\n')[0]}`);
    }
    await openFile(`samples/${sample}`);
    const lenses = await waitFor(async () => ((await lensTexts()).length ? lensTexts() : undefined), 'code lenses');
    await shot(`03-lens-${sample.replace(/\.m3v$/, '')}`);
    const { lensNumbersInReport } = await import('./lens-vs-report.mjs');
    const missing = lensNumbersInReport(lenses, report);
    assert.deepEqual(missing, [], `lens figures not in the report: ${missing.join(', ')}`);
  });
}

test('Show Resource Panel (palette) opens the panel with the design in it', { skip: samples.length === 0 && 'no samples' }, async () => {
  await openFile(`samples/${samples[0]}`);
  await runCommand('M3V: Show Resource Panel');
  const frame = await panelFrame('resources');
  const text = await waitFor(async () => {
    const t = await frame.evaluate(() => (document.getElementById('root')?.innerText ?? '') + (document.getElementById('status')?.innerText ?? ''));
    return t.trim() ? t : undefined;
  }, 'resources panel content');
  await shot('04-resources');
  assert.ok(/On-chip memory|no hardware target/.test(text), text.slice(0, 300));
});

/** "2.50 G" → 2.5e9 (engine/units formatCount), for reading the Resources table. */
function parseCount(text) {
  const m = /^(-?[\d.,]+)\s?([kMGTP])?$/.exec(text.trim());
  return m ? Number(m[1].replace(/,/g, '')) * ({ k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 }[m[2]] ?? 1) : NaN;
}

/** The edit to time on a sample: `experts N` → 2N (MoE designs), else `depth N` → N+1 (dense baseline). */
function editFor(text) {
  const experts = /\bexperts\s+(\d+)\b/.exec(text);
  if (experts) return { find: experts[0], from: experts[1], to: String(2 * Number(experts[1])) };
  const depth = /\bdepth\s+(\d+)\b/.exec(text);
  if (depth) return { find: depth[0], from: depth[1], to: String(Number(depth[1]) + 1) };
  return undefined;
}

async function timedEdit(sample, edit) {
  await openFile(`samples/${sample}`);
  await runCommand('M3V: Show Resource Panel');
  const frame = await panelFrame('resources');
  const panelText = () => frame.evaluate(() => document.getElementById('tasks-table')?.innerText ?? '');
  const before = await waitFor(async () => (await panelText()) || undefined, 'tasks table');
  const lensBefore = (await lensTexts()).join('\n');
  // Select the statement with Find, then retype its number: real keystrokes in the editor. All but the last
  // digit first; the last keystroke is the one timed.
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type(edit.find);
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowRight');
  for (let i = 0; i < edit.from.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(edit.to.slice(0, -1));
  await page.waitForTimeout(600);
  // Timestamps on the browser's clock (Date.now() in the workbench page and in the webview frame are the same
  // machine clock): the keydown of the last keystroke, and the first DOM change of the panel's figures/lens.
  const beforeNow = await panelText();
  await page.evaluate(() => {
    window.__m3vKeyAt = undefined;
    window.addEventListener('keydown', () => (window.__m3vKeyAt ??= Date.now()), { capture: true, once: true });
    window.__m3vLensChanges = [];
    const lensText = () => [...document.querySelectorAll('.monaco-editor .codelens-decoration')].map((e) => e.textContent).join('\n');
    let lensShown = lensText();
    new MutationObserver(() => {
      const t = lensText();
      if (t !== lensShown) {
        lensShown = t;
        window.__m3vLensChanges.push(Date.now());
      }
    }).observe(document.querySelector('.editor-group-container.active .monaco-editor') ?? document.body, { subtree: true, childList: true, characterData: true });
  });
  // Every change of the figures is recorded: an answer for an earlier keystroke's text can still arrive after the
  // timed one, so the time that counts is the LAST change, once the panel has been quiet for a second.
  await frame.evaluate((old) => {
    window.__m3vPanelChanges = [];
    let shown = old;
    new MutationObserver(() => {
      const t = document.getElementById('tasks-table')?.innerText ?? '';
      if (t && t !== shown) {
        shown = t;
        window.__m3vPanelChanges.push(Date.now());
      }
    }).observe(document.getElementById('root'), { subtree: true, childList: true, characterData: true });
  }, beforeNow);
  await page.keyboard.type(edit.to.slice(-1));
  await waitFor(() => frame.evaluate(() => window.__m3vPanelChanges.length > 0 || undefined), 'the panel to change', 15_000, 20);
  const panelAt = await waitFor(
    () => frame.evaluate(() => (Date.now() - window.__m3vPanelChanges.at(-1) > 1000 ? window.__m3vPanelChanges.at(-1) : undefined)),
    'the panel to settle',
    15_000,
    50,
  );
  const keyAt = await page.evaluate(() => window.__m3vKeyAt);
  timings.keystrokeToPanelMs[sample] = panelAt - keyAt;
  // Where the time went (webviews/shared/host.ts records each view message): keydown → the view message reaching the
  // panel (debounce, language server, extension host, IPC), the panel's synchronous render, and its setState.
  const last = await frame.evaluate((at) => (window.m3vRenderLog ?? []).filter((r) => r.type === 'resources' && r.receivedAt <= at).at(-1), panelAt);
  // The language server's round trip for the design summary of the last update (the extension's log line).
  // Its log line's time stamp (local time, ms) is when the summary reached the extension host: keydown → there is the
  // editor's IPC, the debounce (m3v.updateDebounceMs) and the summary; from there to the panel, the view request.
  const update = [...extensionLog().matchAll(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[info\] update seq=\d+ version=\d+ server=([\d.]+)ms/gm)].at(-1);
  const updateAt = update ? new Date(`${update[1]}T${update[2]}`).getTime() : undefined;
  if (last)
    timings.keystrokeToPanelParts[sample] = {
      toSummaryMs: updateAt === undefined ? undefined : updateAt - keyAt,
      serverSummaryMs: update ? Number(update[3]) : undefined,
      toPanelMs: last.receivedAt - keyAt,
      renderMs: Math.round(last.renderMs),
      saveStateMs: Math.round(last.saveMs),
    };
  let lensAfter;
  if (lensBefore) {
    // As for the panel: the last change, once the lenses have been quiet for a second.
    const lensAt = await waitFor(
      () => page.evaluate(() => (window.__m3vLensChanges.length > 0 && Date.now() - window.__m3vLensChanges.at(-1) > 1000 ? window.__m3vLensChanges.at(-1) : undefined)),
      'the lens to change and settle',
      20_000,
      50,
    );
    timings.keystrokeToLensMs[sample] = lensAt - keyAt;
    lensAfter = (await lensTexts()).join('\n');
  } else console.log(`${sample}: no code lens before the edit, lens latency not measured`);
  const after = await panelText();
  return { frame, before, after, lensBefore, lensAfter };
}

/** Rows of the Resources panel's tasks table as {task: [macs, flops, params, dense, allExperts]}. */
function taskRows(tableText) {
  const rows = {};
  for (const line of tableText.split('\n').slice(1)) {
    const cells = line.split('\t').map((c) => c.trim());
    if (cells.length >= 6) rows[cells[0]] = cells.slice(1).map(parseCount);
  }
  return rows;
}

test('editing experts 16 → 32 changes the lens and the Resources panel', async (t) => {
  const sample = samples.find((s) => /\bexperts\s+16\b/.test(readFileSync(join(workspace, 'samples', s), 'utf8')));
  if (!sample) return t.skip('no sample declares `experts 16`');
  const r = await timedEdit(sample, { find: 'experts 16', from: '16', to: '32' });
  await shot('05-after-edit');
  assert.notEqual(r.after, r.before);
  if (r.lensBefore) assert.notEqual(r.lensAfter, r.lensBefore);
  // Hand-derived: doubling E doubles the experts every token meets in the all-experts baseline (its MACs grow),
  // while top-k keeps 2 experts per token (its MACs grow only by the wider gate, D×E per token per MoE layer),
  // and the dense-MTL baseline has no experts at all (unchanged).
  const before = taskRows(r.before);
  const after = taskRows(r.after);
  for (const task of Object.keys(before)) {
    const [macs0, , , dense0, all0] = before[task];
    const [macs1, , , dense1, all1] = after[task];
    assert.ok(all1 > all0, `${task}: all-experts MACs ${all0} → ${all1}`);
    assert.equal(dense1, dense0, `${task}: dense-MTL MACs must not change`);
    assert.ok(macs1 >= macs0 && macs1 < all1, `${task}: top-k MACs ${macs0} → ${macs1}`);
  }
  // The extension analyses nothing: what it logs per update is the language server's round trip for the summary.
  timings.serverSummaryMs = [...extensionLog().matchAll(/server=([\d.]+)ms/g)].map((m) => Number(m[1]));
});

for (const sample of samples) {
  test(`keystroke → lens/panel latency on ${sample}`, async (t) => {
    const edit = editFor(readFileSync(join(workspace, 'samples', sample), 'utf8'));
    if (!edit) return t.skip('no `experts` or `depth` statement to edit');
    // Each sample is measured on a fresh file state: skip the one already edited above (its figures are recorded).
    if (timings.keystrokeToPanelMs[sample] !== undefined) return;
    const r = await timedEdit(sample, edit);
    assert.notEqual(r.after, r.before);
  });
}

test('Show Schedule draws a Gantt chart of the events', { skip: samples.length === 0 && 'no samples' }, async () => {
  await openFile(`samples/${samples[0]}`);
  await runCommand('M3V: Show Schedule');
  const frame = await panelFrame('schedule');
  const state = await waitFor(async () => {
    const s = await frame.evaluate(() => ({
      bars: Number(document.querySelector('canvas')?.dataset.bars ?? 0),
      status: document.getElementById('status')?.innerText ?? '',
      title: document.getElementById('schedule-title')?.innerText ?? '',
    }));
    return s.bars > 0 || s.status ? s : undefined;
  }, 'schedule content');
  await shot('06-schedule');
  assert.ok(state.bars > 0 || state.status, JSON.stringify(state));
  if (state.status) console.log(`schedule panel says: ${state.status}`);
});

test('Compare Strategies shows every strategy; Simulate Scenario shows frames, switches and misses; wheel zooms', { skip: samples.length === 0 && 'no samples' }, async (t) => {
  // A sample with a scenario block and a MoE (so token_by_token differs), else the first one.
  const sample =
    samples.find((s) => /\bscenario\b/.test(readFileSync(join(workspace, 'samples', s), 'utf8')) && /\bmoe\b/.test(readFileSync(join(workspace, 'samples', s), 'utf8'))) ?? samples[0];
  await openFile(`samples/${sample}`);
  await runCommand('M3V: Compare Strategies');
  const frame = await panelFrame('schedule');
  const strategies = await waitFor(async () => {
    const n = await frame.evaluate(() => document.querySelectorAll('h2.strategy').length);
    return n >= 3 ? n : undefined;
  }, 'three strategy charts');
  assert.equal(strategies, 3);
  await shot('07-compare');
  // Zoom in on the first chart: fewer cycles per pixel, so the decimated bar count can only grow or stay.
  const canvas = frame.locator('canvas').first();
  const barsBefore = Number(await canvas.getAttribute('data-bars'));
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
  await page.waitForTimeout(300);
  const barsAfter = Number(await canvas.getAttribute('data-bars'));
  console.log(`gantt bars drawn: ${barsBefore} → ${barsAfter} after zooming in`);
  await shot('08-zoomed');
  const hasScenario = /\bscenario\b/.test(readFileSync(join(workspace, 'samples', sample), 'utf8'));
  if (!hasScenario) return t.skip('no sample has a scenario');
  await runCommand('M3V: Simulate Scenario');
  await page.waitForTimeout(500);
  // One scenario is picked automatically; several open a quick pick: accept the first.
  if (await page.locator('.quick-input-widget input').isVisible()) await page.keyboard.press('Enter');
  const title = await waitFor(() => frame.evaluate(() => document.getElementById('scenario-title')?.innerText), 'the scenario table');
  await shot('09-scenario');
  assert.match(title, /Scenario \w+: \d+ frames, \d+ task switches, \d+ deadline misses/);
});

test('panels survive a window reload (serializer + setState)', { skip: samples.length === 0 && 'no samples' }, async () => {
  await page.reload();
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The Schedule panel was the visible one: VS Code restores it through registerWebviewPanelSerializer and it
  // redraws from its persisted state before the host answers `ready`.
  const frame = await panelFrame('schedule');
  const title = await waitFor(() => frame.evaluate(() => document.getElementById('schedule-title')?.innerText), 'the restored schedule title', 30_000);
  await shot('10-after-reload');
  assert.match(title, / on /);
});

test('Open Run Result… shows the Run panel: heat maps over the image and expert-load histograms', async () => {
  // A saved `m3v run --json` output: 8×16 patches (+cls), 2 MoE layers, 4 experts, a 16×8 gradient PNG.
  const { PNG } = await import('pngjs');
  const png = new PNG({ width: 16, height: 8 });
  for (let i = 0; i < 16 * 8; i++) png.data.set([i * 2, 128, 255 - i * 2, 255], i * 4);
  const tokens = 1 + 8 * 16;
  const layer = (l) => ({ layer: l, experts: Array.from({ length: tokens }, (_, t) => [(t + l) % 4, (t + l + 1) % 4]), scores: [] });
  const run = { task: 'semseg', latency_ms: 12.34, grid: { rows: 8, cols: 16 }, trace: { experts: 4, layers: [layer(1), layer(3)] }, input_png: PNG.sync.write(png).toString('base64') };
  const file = join(workspace, 'demo-run.json');
  writeFileSync(file, JSON.stringify(run));
  await runCommand('M3V: Open Run Result');
  await chooseInFileDialog(file, '11-run-dialog');
  const frame = await panelFrame('run');
  const info = await waitFor(async () => {
    const r = await frame.evaluate(() => ({
      title: document.getElementById('run-title')?.innerText ?? '',
      layers: document.querySelectorAll('section[data-layer]').length,
    }));
    return r.layers > 0 ? r : undefined;
  }, 'the run panel');
  await shot('12-run');
  assert.equal(info.layers, 2);
  assert.match(info.title, /semseg · measured 12\.34 ms/);
});

test('Run Model on Image… runs the model from the packaged .vsix; the Run panel shows the routing m3v run prints', async () => {
  // A real run: the extension calls the packaged CLI, which runs onnxruntime-node in its child process (seeded
  // weights) on this image. The same run from the repository's CLI must route every token the same way.
  const { PNG } = await import('pngjs');
  const png = new PNG({ width: 256, height: 128 });
  for (let y = 0; y < 128; y++) for (let x = 0; x < 256; x++) png.data.set([x, y * 2, (x * y) % 256, 255], (y * 256 + x) * 4);
  const image = join(workspace, 'gradient.png');
  writeFileSync(image, PNG.sync.write(png));
  const sample = 'samples/edge-moe-traced.m3v';
  await openFile(sample);
  await runCommand('M3V: Run Model on Image');
  await chooseInFileDialog(image);
  const frame = await panelFrame('run');
  // The panel may still show the saved result of the previous test: wait for this run's (input and output images).
  const shown = await waitFor(async () => {
    const r = await frame.evaluate(() => ({
      title: document.getElementById('run-title')?.innerText ?? '',
      loads: Object.fromEntries([...document.querySelectorAll('section[data-layer]')].map((s) => [s.dataset.layer, s.dataset.expertLoad])),
      images: document.querySelectorAll('figure img').length,
    }));
    return Object.keys(r.loads).length > 0 && r.images === 2 && !r.title.includes('12.34 ms') ? r : undefined;
  }, 'the Run panel with a real run', 90_000, 200);
  await shot('13-run-model');
  const task = /task (\S+)/.exec(shown.title)?.[1];
  assert.ok(task, shown.title);
  assert.match(shown.title, /measured \d+\.\d\d ms/);
  assert.equal(shown.images, 2, 'input image and output map');
  const cli = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'run', join(workspace, sample), '--task', task, '--image', image, '--threads', '2', '--json'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout).expert_counts;
  const want = Object.fromEntries(Object.entries(expected).map(([layer, counts]) => [layer, counts.join(',')]));
  assert.deepEqual(shown.loads, want);
});

/** Sets a user setting the way a user does, in settings.json; VS Code applies a colour theme change live. */
function setUserSetting(key, value) {
  const file = env.M3V_E2E_USER_SETTINGS;
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  settings[key] = value;
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** Relative luminance of a computed `rgb(…)` colour, 0 (black) … 1 (white). */
function luminance(rgb) {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/**
 * The theme as a user sets it (settings.json), then a window reload: code-server offline cannot list themes in the
 * picker (it searches the marketplace first), and a settings file written from outside is not always picked up live.
 */
async function applyTheme(theme) {
  setUserSetting('workbench.colorTheme', theme);
  await page.reload();
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The reload restarts the extension host: the next step's command would be typed while the extension is still
  // activating (its palette entry then runs nothing, seen as flaky theme tests). Wait until it is back.
  await waitForExtensionHost();
}

/**
 * The extension host is up and the extension active once the M3V status bar item shows the active design's
 * task@target (it needs an active .m3v editor: one is opened if the reload restored none).
 */
async function waitForExtensionHost() {
  const shown = async () => ((await page.locator('.statusbar-item').allInnerTexts()).some((t) => /\w@\w/.test(t)) ? true : undefined);
  if (!(await page.title()).includes('.m3v') && samples.length) await openFile(`samples/${samples[0]}`);
  await waitFor(shown, 'the M3V status bar item after the reload (extension host ready)', 60_000, 100);
}

for (const [theme, bodyClass, light] of [
  ['Default Light Modern', 'vscode-light', true],
  ['Default High Contrast', 'vscode-high-contrast', false],
]) {
  test(`the panels follow the ${theme} theme`, { skip: (samples.length === 0 || !env.M3V_E2E_USER_SETTINGS) && 'no samples or settings' }, async () => {
    await applyTheme(theme);
    await openFile(`samples/${samples[0]}`);
    // Right after a reload the extension may still be activating when the command is typed: wait for its status bar
    // item (the design's task@target), then open the panel.
    await waitFor(async () => ((await page.locator('.statusbar-item').allInnerTexts()).some((t) => /\w@\w/.test(t)) ? true : undefined), 'the M3V status bar item', 30_000, 100);
    await runCommand('M3V: Show Resource Panel');
    const frame = await panelFrame('resources');
    // The theme reaches the webview as a body class and the --vscode-* variables; the panel's colours come from them.
    let last;
    const look = await waitFor(async () => {
      const l = (last = await frame.evaluate(() => ({
        cls: document.body.className,
        background: getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
        text: getComputedStyle(document.body).color,
        cell: document.querySelector('#tasks-table td') ? getComputedStyle(document.querySelector('#tasks-table td')).color : undefined,
      })));
      return l.cls.split(' ').includes(bodyClass) && l.cell ? l : undefined;
    }, `the ${theme} theme in the panel`, 30_000).catch((error) => {
      throw new Error(`${error.message}; the panel last showed ${JSON.stringify(last)}; workbench: ${readFileSync(env.M3V_E2E_USER_SETTINGS, 'utf8')}`);
    });
    await shot(`14-theme-${bodyClass}`);
    const backgroundLuminance = luminance(look.background.replace(/^#(..)(..)(..).*$/, (_, r, g, b) => `rgb(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)})`));
    assert.equal(backgroundLuminance > 0.5, light, `${theme}: editor background ${look.background}`);
    // Text contrasts with the background in both themes: dark on light, light on dark.
    assert.equal(luminance(look.text) < 0.5, light, `${theme}: text ${look.text} on ${look.background}`);
    assert.equal(luminance(look.cell) < 0.5, light, `${theme}: table text ${look.cell}`);
  });
}

test('back to the dark theme', { skip: !env.M3V_E2E_USER_SETTINGS && 'no settings file' }, async () => {
  await applyTheme('Default Dark Modern');
});

test('after a reload and reopening, each panel has one tab (no stale restored duplicate)', async () => {
  const titles = await page.locator('.tabs-container .tab .label-name').allInnerTexts();
  for (const title of ['M3V Resources', 'M3V Schedule', 'M3V Run']) {
    assert.ok(titles.filter((t) => t.trim() === title).length <= 1, `${title} tabs: ${titles.join(' | ')}`);
  }
});

test('no Content-Security-Policy violation was logged by any panel', () => {
  // Only the panels' own frames count (the workbench page has its own policy and messages).
  const ours = cspViolations.filter((t) => /dist\/webviews\//.test(t) || /vscode-resource/.test(t));
  assert.deepEqual(ours, []);
});

// ---------------------------------------------------------------- issue 15: Schedule, Compare, Scenario, Resources
const PASCAL = 'm3vit-small-pascal-zcu104.m3v';
const hasPascal = () => samples.includes(PASCAL);

/** Opens the sample as it is on disk: the keystroke tests above left their edits (experts 16 → 32) unsaved. */
async function openPristine(rel) {
  await openFile(rel);
  await runCommand('File: Revert File');
  await page.waitForTimeout(500);
}

/** "lane=#rrggbb;…" of a Gantt canvas (webviews/schedule/main.ts data-colours) as a Map. */
function laneColours(attr) {
  return new Map((attr ?? '').split(';').filter(Boolean).map((kv) => kv.split('=')));
}

test('Schedule: a lane keeps its colour after zooming with the buttons and the wheel, and the window really changes', { skip: !hasPascal() && `no ${PASCAL}` }, async () => {
  await openPristine(`samples/${PASCAL}`);
  await runCommand('M3V: Show Schedule');
  const frame = await panelFrame('schedule');
  const canvas = frame.locator('canvas[data-strategy="expert_by_expert"]').first();
  const before = await waitFor(async () => {
    const c = await canvas.getAttribute('data-colours').catch(() => null);
    return c && (await frame.locator('#zoom-in').count()) ? { colours: c, window: await canvas.getAttribute('data-window') } : undefined;
  }, 'the Gantt chart with its lane colours', 60_000);
  for (let i = 0; i < 3; i++) await frame.locator('#zoom-in').click();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
  await page.waitForTimeout(300);
  const after = { colours: await canvas.getAttribute('data-colours'), window: await canvas.getAttribute('data-window') };
  await shot('15-schedule-zoomed');
  assert.notEqual(after.window, before.window, 'the zoom changed the window');
  const [a, b] = [laneColours(before.colours), laneColours(after.colours)];
  const common = [...a.keys()].filter((lane) => b.has(lane));
  assert.ok(common.length >= 2, `lanes drawn before ${before.colours} and after ${after.colours}`);
  for (const lane of common) assert.equal(b.get(lane), a.get(lane), `${lane} changed colour on zoom`);
  // One colour per lane: no two lanes share one.
  assert.equal(new Set(a.values()).size, a.size, before.colours);
  await frame.locator('#zoom-reset').click();
  await page.waitForTimeout(200);
  assert.equal(await canvas.getAttribute('data-window'), before.window, 'Reset shows the whole frame again');
});

test('Schedule on the Edge-MoE sample: ping and pong rows, a time axis, layer bands, expert ids on bars, tokens per expert queue, the per-layer table', { skip: !existsSync(join(workspace, 'samples', 'edge-moe-zcu102.m3v')) && 'no edge-moe-zcu102.m3v' }, async () => {
  // Expected from the design by hand: 12 blocks, MoE on the odd ones (1, 3, …, 11), 16 experts, top-2 of 129 tokens
  // with balanced routing: each MoE layer's queues hold 129 × 2 = 258 token slots over 16 experts.
  await openPristine('samples/edge-moe-zcu102.m3v');
  await runCommand('M3V: Show Schedule');
  const frame = await panelFrame('schedule');
  // The panel may still show the previous design for a moment: wait for this design's queues (6 MoE layers).
  await waitFor(async () => ((await frame.evaluate(() => document.querySelectorAll('#expert-queues .qrow').length)) === 6 ? true : undefined), 'the Edge-MoE schedule', 60_000);
  const canvas = frame.locator('canvas[data-strategy="expert_by_expert"]').first();
  const whole = await waitFor(async () => {
    const d = await canvas.evaluate((c) => ({ ...c.dataset })).catch(() => undefined);
    return d?.ticks && d.bands ? d : undefined;
  }, 'the Gantt chart drawn with its bands and axis', 60_000);
  const rows = whole.rows.split(';');
  assert.ok(rows.includes('load · ping') && rows.includes('load · pong'), `ping and pong are two rows of the load lane: ${whole.rows}`);
  const ticks = whole.ticks.split(';').filter(Boolean);
  assert.ok(ticks.length >= 3 && ticks.every((t) => /^[\d.,]+ (ns|µs|ms|s)$/.test(t)), `a time axis, not cycles: ${whole.ticks}`);
  assert.ok(Number(whole.bands) >= 12, `one band per layer over the whole frame: ${whole.bands}`);
  // Tokens per expert queue: one row per MoE layer, 16 cells, 258 slots each.
  const queues = await frame.evaluate(() => [...document.querySelectorAll('#expert-queues .qrow')].map((r) => ({ layer: Number(r.getAttribute('data-layer')), tokens: r.getAttribute('data-tokens').split(',').map(Number) })));
  assert.deepEqual(queues.map((q) => q.layer), [1, 3, 5, 7, 9, 11]);
  for (const q of queues) {
    assert.equal(q.tokens.length, 16, `layer ${q.layer}: one cell per expert`);
    assert.equal(q.tokens.reduce((a, b) => a + b, 0), 258, `layer ${q.layer}: 129 tokens × top-2`);
  }
  // The per-layer table has every block; clicking block 1 (MoE) zooms the chart to it, where each expert bar is wide
  // enough to carry its id: the ids drawn are experts whose queue in block 1 is not empty.
  const tableLayers = await frame.evaluate(() => [...document.querySelectorAll('#layers-table tr[data-layer]')].map((r) => Number(r.getAttribute('data-layer'))));
  for (let l = 0; l < 12; l++) assert.ok(tableLayers.includes(l), `per-layer table row for block ${l}: ${tableLayers.join(',')}`);
  await frame.locator('#layers-table tr[data-layer="1"]').click();
  const block1 = await waitFor(async () => {
    const d = await canvas.evaluate((c) => ({ ...c.dataset }));
    return d.window !== whole.window ? d : undefined;
  }, 'the chart zoomed to block 1', 20_000);
  assert.equal(block1.bands, '1', `block 1 alone in view: ${JSON.stringify(block1)}`);
  // An expert's compute (~16 µs here) is a few pixels wide in a 1 ms window: wheel-zoom on block 1's first expert
  // FC1, placed from `m3v schedule --json` (cycles, as the chart's window), until ids fit on the bars.
  const schedule = JSON.parse(spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'schedule', join(workspace, 'samples', 'edge-moe-zcu102.m3v'), '--task', 'semseg', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout);
  const fc1 = schedule.events.find((e) => e.layer === 1 && e.op === 'expert_fc1');
  assert.ok(fc1, 'block 1 computes an expert FC1');
  let zoomed = block1;
  await canvas.scrollIntoViewIfNeeded(); // the table row clicked is below the chart
  for (let i = 0; i < 12 && !zoomed.expertLabels; i++) {
    const [w0, w1] = zoomed.window.split('-').map(Number);
    const [left, right] = zoomed.area.split(',').map(Number);
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + left + (((fc1.start + fc1.end) / 2 - w0) / (w1 - w0)) * (right - left), box.y + box.height / 2);
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(150);
    zoomed = await canvas.evaluate((c) => ({ ...c.dataset }));
  }
  assert.ok(zoomed.expertLabels, `expert ids drawn after zooming in: ${JSON.stringify(zoomed)}`);
  const ticksZoomed = zoomed.ticks.split(';').filter(Boolean);
  assert.equal(new Set(ticksZoomed).size, ticksZoomed.length, `zoomed ticks are distinct: ${zoomed.ticks}`);
  const used = new Set(queues[0].tokens.flatMap((n, e) => (n > 0 ? [e] : [])));
  const labelled = zoomed.expertLabels.split(',').map(Number);
  assert.ok(labelled.length > 0 && labelled.every((e) => used.has(e)), `expert ids drawn ${zoomed.expertLabels} are block 1's used experts`);
  assert.ok(zoomed.ticks.split(';').filter(Boolean).every((t) => /^[\d.,]+ (ns|µs|ms|s)$/.test(t)), `zoomed axis in time units: ${zoomed.ticks}`);
  // The lane utilisation table lists the chart's rows.
  const laneRows = await frame.evaluate(() => [...document.querySelectorAll('#lanes-table tr[data-row]')].map((r) => r.getAttribute('data-row')));
  assert.ok(laneRows.length >= 3, `lane utilisation rows: ${laneRows.join(', ')}`);
  await shot('15b-schedule-edge-moe-block1');
});

test('Resources on the Edge-MoE sample: the "not costed" list and the MACs by operation are those of `m3v analyze --json`', { skip: !existsSync(join(workspace, 'samples', 'edge-moe-zcu102.m3v')) && 'no edge-moe-zcu102.m3v' }, async () => {
  await openPristine('samples/edge-moe-zcu102.m3v');
  await runCommand('M3V: Show Resource Panel');
  const frame = await panelFrame('resources');
  const report = JSON.parse(spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'analyze', join(workspace, 'samples', 'edge-moe-zcu102.m3v'), '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout);
  // The panel may still show the previous design for a moment: wait for this design (its name in the title), then
  // compare the list.
  await waitFor(async () => ((await frame.evaluate(() => document.body.textContent.includes('m3vit_tiny on xczu9eg'))) ? true : undefined), 'the Edge-MoE design in the panel', 60_000);
  const listed = await waitFor(async () => {
    const items = await frame.evaluate(() => [...document.querySelectorAll('#not-costed li')].map((li) => li.textContent));
    return items.length ? items : undefined;
  }, 'the not-costed list', 60_000);
  assert.deepEqual(listed, report.not_costed);
  const ops = await frame.evaluate(() => [...document.querySelectorAll('#macs-op-table tr[data-op]')].map((tr) => tr.getAttribute('data-op')));
  assert.ok(ops.length >= 5 && ops.includes('experts'), `MACs by operation rows: ${ops.join(', ')}`);
});

test(`Compare Strategies on ${PASCAL}: a red banner on all_resident (it does not fit), a summary table row per strategy`, { skip: !hasPascal() && `no ${PASCAL}` }, async () => {
  await openPristine(`samples/${PASCAL}`);
  await runCommand('M3V: Compare Strategies');
  const frame = await panelFrame('schedule');
  const banner = await waitFor(
    () => frame.evaluate(() => document.querySelector('.banner.error[data-strategy="all_resident"]')?.textContent ?? undefined),
    'the all_resident banner',
    60_000,
    50,
  );
  await shot('16-compare-banner');
  // m3v analyze --json: all_resident needs 3,509 BRAM36 of the XCZU7EV's 312 (catalog).
  const report = JSON.parse(spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'analyze', join(workspace, 'samples', PASCAL), '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout);
  const ar = report.targets[0].strategies.all_resident;
  assert.ok(ar.bram36 > report.targets[0].resources.available.bram36, 'all_resident exceeds the BRAM36 of the part');
  assert.match(banner, /all_resident does not fit on zcu104/);
  assert.ok(banner.replace(/,/g, '').includes(`${ar.bram36} BRAM36 of ${report.targets[0].resources.available.bram36}`), banner);
  const rows = await frame.evaluate(() => [...document.querySelectorAll('#compare-table tr[data-strategy]')].map((r) => r.getAttribute('data-strategy')));
  assert.deepEqual([...rows].sort(), ['all_resident', 'expert_by_expert', 'token_by_token']);
  assert.ok(await frame.locator('#fit-warning').count(), 'the fit warning above the charts');
});

test(`Resources on ${PASCAL}: the per-buffer table's BRAM36/URAM blocks equal \`m3v analyze --json\``, { skip: !hasPascal() && `no ${PASCAL}` }, async () => {
  await openPristine(`samples/${PASCAL}`);
  await runCommand('M3V: Show Resource Panel');
  const frame = await panelFrame('resources');
  const report = JSON.parse(spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'analyze', join(workspace, 'samples', PASCAL), '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout);
  const target = report.targets[0];
  const want = target.strategies[target.schedule].buffers;
  // The panel may still show the previous design's table for a moment: wait for this design's buffers, by name.
  const names = want.map((b) => b.name).join(',');
  const rows = await waitFor(async () => {
    const r = await frame.evaluate(() => [...document.querySelectorAll('#buffers-table tr[data-buffer]')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent.trim());
      return { name: tr.getAttribute('data-buffer'), memory: cells[2], bram: cells[5], uram: cells[6] };
    }));
    return r.map((x) => x.name).join(',') === names ? r : undefined;
  }, `the per-buffer table of ${PASCAL}`, 60_000);
  await shot('17-resources-buffers');
  assert.equal(rows.length, want.length, 'every buffer is listed');
  const num = (t) => (t === '' ? 0 : Number(t.replace(/,/g, '')));
  for (const [i, b] of want.entries()) {
    assert.equal(rows[i].name, b.name);
    assert.equal(rows[i].memory, b.memory);
    assert.equal(num(b.memory === 'bram' ? rows[i].bram : rows[i].uram), b.memory === 'bram' || b.memory === 'uram' ? b.blocks : 0, `${b.name} blocks`);
  }
  const bramSum = rows.reduce((n, r) => n + num(r.bram), 0);
  assert.equal(bramSum, target.strategies[target.schedule].bram36, 'the rows add up to the verdict’s BRAM36');
});

test(`Resources on ${PASCAL}: the roofline has every operation of MACs by op (the pup head's convolutions too), roofs with sources, a bound per point`, { skip: !hasPascal() && `no ${PASCAL}` }, async () => {
  await openPristine(`samples/${PASCAL}`);
  await runCommand('M3V: Show Resource Panel');
  const frame = await panelFrame('resources');
  const seen = await waitFor(async () => {
    const r = await frame.evaluate(() => ({
      families: [...document.querySelectorAll('#roofline-table tr[data-op]')].map((tr) => tr.getAttribute('data-family')),
      ops: [...document.querySelectorAll('#roofline-table tr[data-op]')].map((tr) => tr.getAttribute('data-op')),
      bounds: [...document.querySelectorAll('#roofline-table tr[data-op]')].map((tr) => tr.getAttribute('data-bound')),
      macsByOp: [...document.querySelectorAll('#macs-op-table tr[data-op]')].map((tr) => tr.getAttribute('data-op')),
      roofs: Object.fromEntries([...document.querySelectorAll('#roofline-roofs tr[data-roof]')].map((tr) => [tr.getAttribute('data-roof'), tr.textContent])),
      note: document.getElementById('roofline-note')?.textContent ?? '',
      canvas: !!document.querySelector('canvas[data-slot="roofline"]'),
    }));
    return r.ops.length && r.macsByOp.length ? r : undefined;
  }, 'the roofline and MACs-by-op tables', 60_000);
  for (const op of seen.macsByOp) assert.ok(seen.families.includes(op), `${op} of MACs by op is on the roofline`);
  for (const conv of ['conv1', 'conv2', 'conv3', 'conv4', 'conv_out']) assert.ok(seen.ops.includes(conv), `the semseg pup head's ${conv}`);
  for (const b of seen.bounds) assert.ok(['compute', 'weight port', 'activation ports', 'DDR'].includes(b), `bound ${b}`);
  // The sample's hardware block: linear 16 x 16, port weights 128 bit, port acts 4 x 128 bit at 300 MHz.
  assert.match(seen.roofs.linear, /linear 16 x 16/);
  assert.match(seen.roofs.weight_port, /4\.80 GB\/s/);
  assert.match(seen.roofs.act_ports, /19\.2 GB\/s/);
  assert.match(seen.note, /off chip between operations/);
  assert.ok(seen.canvas, 'the chart is drawn');
  await frame.locator('canvas[data-slot="roofline"]').scrollIntoViewIfNeeded();
  await shot('17b-resources-roofline');
});

for (const [theme, bodyClass] of [
  ['Default Dark Modern', 'vscode-dark'],
  ['Default Light Modern', 'vscode-light'],
  ['Default High Contrast', 'vscode-high-contrast'],
]) {
  test(`screenshots of Resources, Schedule, Compare, Scenario and Design Space in ${theme}`, { skip: (!hasPascal() || !env.M3V_E2E_USER_SETTINGS) && 'no PASCAL sample or settings' }, async () => {
    await applyTheme(theme);
    await openPristine(`samples/${PASCAL}`);
    await waitFor(async () => ((await page.locator('.statusbar-item').allInnerTexts()).some((t) => /\w@\w/.test(t)) ? true : undefined), 'the M3V status bar item', 30_000, 100);
    await runCommand('M3V: Show Resource Panel');
    const resources = await panelFrame('resources');
    // Its charts are drawn after its figures (webviews/shared/patch.ts AfterPaint): shoot once they are.
    await waitFor(async () => (await resources.evaluate((cls) => document.body.classList.contains(cls) && !!document.getElementById('roofline-table') && document.body.dataset.charts === 'drawn', bodyClass)) || undefined, `Resources in ${theme}`, 60_000);
    await page.waitForTimeout(300);
    await shot(`18-resources-${bodyClass}`);
    await runCommand('M3V: Show Schedule');
    const schedule = await panelFrame('schedule');
    await waitFor(async () => (await schedule.evaluate((cls) => document.body.classList.contains(cls) && !!document.getElementById('layers-table') && !document.getElementById('compare-table'), bodyClass)) || undefined, `Schedule in ${theme}`, 60_000);
    await shot(`19-schedule-${bodyClass}`);
    await runCommand('M3V: Compare Strategies');
    await waitFor(async () => (await schedule.evaluate(() => document.querySelectorAll('h2.strategy').length === 3 && !!document.getElementById('compare-table'))) || undefined, 'Compare', 60_000);
    // The banner is red in every theme: its border is the theme's error colour. all_resident on the ZCU104 needs
    // 3,509 BRAM36 of 312 (16 experts resident), so Compare shows one.
    const border = await schedule.evaluate(() => {
      const b = document.querySelector('.banner.error');
      return b ? getComputedStyle(b).borderLeftColor : undefined;
    });
    assert.ok(border, 'all_resident does not fit the ZCU104: the banner is shown');
    await shot(`20-compare-${bodyClass}`);
    const withScenario = samples.find((s) => /\bscenario\b/.test(readFileSync(join(workspace, 'samples', s), 'utf8')));
    if (withScenario) {
      await openFile(`samples/${withScenario}`);
      await runCommand('M3V: Simulate Scenario');
      await page.waitForTimeout(500);
      if (await page.locator('.quick-input-widget input').isVisible()) await page.keyboard.press('Enter');
      const cols = await waitFor(async () => {
        const h = await schedule.evaluate(() => [...document.querySelectorAll('#scenario-table tr:first-child th')].map((th) => th.textContent));
        return h.length > 3 ? h : undefined;
      }, 'the scenario table', 60_000);
      assert.equal(cols[2], 'task switch', 'the switch column has a header');
      assert.equal(cols.length, 3 + 3, 'one column per strategy');
      await shot(`21-scenario-${bodyClass}`);
    }
    // The Design Space panel in this theme: the PASCAL sample's explore block (36 points), run from the panel.
    await openFile(`samples/${PASCAL}`);
    await runCommand('M3V: Open Design Space');
    const explore = await panelFrame('explore');
    // The panel knows the design's explore blocks once its list arrived (the select then names one).
    await waitFor(async () => (await explore.evaluate((cls) => document.body.classList.contains(cls) && document.getElementById('explore')?.value === 'experts_under_bram', bodyClass)) || undefined, `Design Space in ${theme}`, 60_000);
    await explore.locator('#run').click();
    const front = await waitFor(
      () => explore.evaluate(() => (document.body.dataset.running === 'false' && document.getElementById('scatter')?.dataset.front ? document.getElementById('summary')?.dataset.front : undefined)),
      'the exploration to finish',
      60_000,
      100,
    );
    await shot(`22-explore-${bodyClass}`);
    assert.ok(Number(front) > 0, `a Pareto front is shown (${front} points)`);
  });
}

test('back to the dark theme after the issue-15 screenshots', { skip: !env.M3V_E2E_USER_SETTINGS && 'no settings file' }, async () => {
  await applyTheme('Default Dark Modern');
});

test('no Content-Security-Policy violation in the issue-15 panels either (styles go through the CSSOM)', () => {
  const ours = cspViolations.filter((t) => /dist\/webviews\//.test(t) || /vscode-resource/.test(t));
  assert.deepEqual(ours, []);
});
// ---------------------------------------------------------------- Run panel, export, walkthrough (issue 15)

test('the Run panel of a real run with seeded weights says "seeded", labels the CPU time and notices the aspect ratio', async () => {
  // A 512 × 128 image (4:1) into the traced sample's 256 × 128 input (2:1), seeded weights (no --weights).
  const { PNG } = await import('pngjs');
  const png = new PNG({ width: 512, height: 128 });
  for (let y = 0; y < 128; y++) for (let x = 0; x < 512; x++) png.data.set([x % 256, y * 2, 90, 255], (y * 512 + x) * 4);
  const image = join(workspace, 'wide.png');
  writeFileSync(image, PNG.sync.write(png));
  // Right after the theme tests' reload the palette sometimes runs nothing (no dialog in 60 s, seen twice on the
  // loaded machine): a second attempt from the editor, with a screenshot of the first.
  for (let attempt = 1; ; attempt++) {
    await openFile('samples/edge-moe-traced.m3v');
    // The extension is active again once its status bar item (task@target) shows, as the theme tests wait for it.
    await waitFor(async () => ((await page.locator('.statusbar-item').allInnerTexts()).some((t) => /\w@\w/.test(t)) ? true : undefined), 'the M3V status bar item', 30_000, 100);
    await runCommand('M3V: Run Model on Image');
    try {
      await chooseInFileDialog(image);
      break;
    } catch (error) {
      await shot(`15-run-no-dialog-attempt-${attempt}`);
      await page.keyboard.press('Escape');
      if (attempt >= 2) throw error;
    }
  }
  const frame = await panelFrame('run');
  const shown = await waitFor(async () => {
    const r = await frame.evaluate(() => ({
      seeded: document.getElementById('run-seeded')?.textContent ?? '',
      title: document.getElementById('run-title')?.textContent ?? '',
      notice: document.getElementById('run-input-notice')?.textContent ?? '',
      legend: document.querySelectorAll('#run-legend [data-class], #run-colourbar').length,
      ticks: Array.from(document.querySelectorAll('section[data-layer] canvas[data-x-ticks]')).map((c) => c.dataset.xTicks),
      maps: document.querySelectorAll('canvas.token-map').length,
    }));
    return r.notice.includes('512 × 128') ? r : undefined;
  }, 'the Run panel of the 512 × 128 run', 90_000, 200);
  await shot('15-run-seeded-dark');
  assert.match(shown.seeded, /^seeded weights — predictions are meaningless; routing is real for these weights/);
  assert.match(shown.title, /measured \d+\.\d\d ms on CPU \(onnxruntime, \d+ threads?\)$/);
  assert.match(shown.notice, /changing its aspect ratio \(4\.00 → 2\.00\)/);
  assert.ok(shown.legend > 0, 'a class legend or a colour bar under the output');
  assert.ok(shown.ticks.length > 0 && shown.ticks.every((t) => t === shown.ticks[0] && t.split(',').every((label, e) => label === String(e))), `every expert labelled: ${shown.ticks[0]}`);
  assert.equal(shown.maps, shown.ticks.length, 'a tokens × experts map per MoE layer');
});

test('Export HTML from the Run panel writes one self-contained file with the panel\'s tokens per expert', async () => {
  const frame = await panelFrame('run');
  const loads = await frame.evaluate(() => Array.from(document.querySelectorAll('section[data-layer]')).map((s) => `${s.dataset.layer},${s.dataset.expertLoad}`));
  const out = join(workspace, 'run-report.html');
  await frame.click('#export-html');
  await chooseInFileDialog(out);
  await waitFor(async () => (existsSync(out) ? true : undefined), 'the exported HTML file', 20_000, 100);
  const html = readFileSync(out, 'utf8');
  await waitFor(async () => ((await page.locator('.notifications-toasts').innerText().catch(() => '')).match(/wrote the run report .*run-report\.html \([\d.]+ KiB\)/) ? true : undefined), 'the "wrote … (size)" notification', 10_000, 100);
  await shot('16-run-exported');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  assert.doesNotMatch(html, /<script|(src|href)="https?:/i);
  assert.match(html, /seeded weights — predictions are meaningless/);
  const rows = [...html.matchAll(/<tr>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/g)]
    .map((m) => [...m[1].matchAll(/data-value="([^"]+)"/g)].map((v) => v[1]).join(','))
    .filter((r) => loads.some((l) => l.split(',')[0] === r.split(',')[0] && r.split(',').length === l.split(',').length));
  assert.deepEqual(rows, loads, 'the expert-load table equals the panel\'s histograms');
});

/** Like runCommand, but presses Enter only once the palette's focused row is this very command. */
async function runExactCommand(title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  try {
    await waitFor(async () => ((await page.locator('.quick-input-list .monaco-list-row.focused').first().getAttribute('aria-label').catch(() => '')) ?? '').includes(title) || undefined, `the palette to focus '${title}'`, 10_000, 100);
  } catch (error) {
    await shot('palette-no-match');
    await page.keyboard.press('Escape');
    throw error;
  }
  await page.keyboard.press('Enter');
}

test('the walkthrough\'s first step opens the sample with its Resources and Schedule panels', async () => {
  await runExactCommand('M3V: Open the Edge-MoE Sample with Its Panels');
  // Both panels open (as tabs; a panel that already existed is revealed where it is), the sample in the editor.
  await waitFor(async () => {
    const titles = (await page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
    return ['edge-moe-zcu102.m3v', 'M3V Resources', 'M3V Schedule'].every((t) => titles.includes(t)) ? true : undefined;
  }, 'the sample and both panel tabs', 30_000, 200);
  await panelFrame('schedule');
  await shot('17-walkthrough-sample');
});

// The dark theme's Run panel is 15-run-seeded-dark.png (a real run); light and high contrast here, then back to dark.
for (const [theme, name] of [['Default Light Modern', 'light'], ['Default High Contrast', 'high-contrast']]) {
  test(`the Run panel in the ${theme} theme (screenshot)`, { skip: !env.M3V_E2E_USER_SETTINGS && 'no settings file' }, async () => {
    await applyTheme(theme);
    await openFile('samples/edge-moe-traced.m3v');
    // The saved result of the first Run test (demo-run.json) is enough to show the panel's layout in this theme.
    // Right after the reload the first attempt sometimes opens no frame (seen twice in high contrast on the loaded
    // machine, with the dialog accepted): one more attempt, with a screenshot of the first for the record.
    // The same once more when a frame opened but never filled (seen once in CI in the light theme: the frame found
    // was the panel's before the reload).
    for (let attempt = 1; ; attempt++) {
      await runCommand('M3V: Open Run Result');
      await chooseInFileDialog(join(workspace, 'demo-run.json'));
      try {
        const frame = await panelFrame('run');
        await waitFor(async () => ((await frame.evaluate(() => document.querySelectorAll('section[data-layer]').length)) > 0 ? true : undefined), 'the Run panel');
        break;
      } catch (error) {
        await shot(`18-run-${name}-attempt-${attempt}`);
        if (attempt >= 2) throw error;
      }
    }
    await shot(`18-run-${name}`);
  });
}

test('dark theme again after the Run panel screenshots', { skip: !env.M3V_E2E_USER_SETTINGS && 'no settings file' }, async () => {
  await applyTheme('Default Dark Modern');
});

// ------------------------------------------------------------------ Design Space (issue 13): explore in the editor

/** Keydown → the suggest widget showing rows, on the browser's clock (MutationObserver), for Ctrl+Space at the caret. */
async function completionLatencyMs() {
  await page.evaluate(() => {
    window.__m3vSuggest = { keyAt: undefined, shownAt: undefined };
    window.addEventListener('keydown', () => (window.__m3vSuggest.keyAt ??= Date.now()), { capture: true, once: true });
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    const observer = new MutationObserver(() => {
      if (editor?.querySelector('.suggest-widget.visible .monaco-list-row')) {
        window.__m3vSuggest.shownAt ??= Date.now();
        observer.disconnect();
      }
    });
    observer.observe(editor ?? document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.keyboard.press('Control+Space');
  const ms = await waitFor(() => page.evaluate(() => (window.__m3vSuggest.shownAt ? window.__m3vSuggest.shownAt - window.__m3vSuggest.keyAt : undefined)), 'the completion list', 10_000, 5);
  await page.keyboard.press('Escape');
  return ms;
}

/** The Design Space test's design, written into the workspace. */
const EXPLORE_E2E = 'explore-e2e.m3v';

/**
 * Focuses the design's editor without moving its caret (clicking the text would): its tab first, since a click in
 * the panel makes the panel's group the active one.
 */
async function focusEditor() {
  await page.locator('.tabs-container .tab', { hasText: EXPLORE_E2E }).first().click();
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
}

/** Puts the caret at the end of the first match of `text` (Find, as a user does) and scrolls it into view. */
async function caretAfterText(text) {
  await focusEditor();
  await page.keyboard.press('Control+F');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowRight');
}

test('Design Space: a 41,040-point explore shows progress, completion stays under 100 ms, a clicked point edits the design and the lens follows', async () => {
  // A fixture of the repository's tests, written into the workspace (not samples/, which every other test iterates).
  const name = EXPLORE_E2E;
  writeFileSync(join(workspace, name), readFileSync(join(repo, 'test', 'fixtures', 'explore-41040.m3v'), 'utf8'));
  await openFile(name);
  // Lenses of this design's editor only: earlier tests may leave other designs open in other editor groups.
  const ownLenses = async () =>
    (await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  const hardwareLens = async () => {
    await caretAfterText('hardware zcu102');
    return waitFor(async () => (await ownLenses()).find((t) => /^DSP /.test(t)), 'the hardware lens', 20_000, 100);
  };
  const exploreLens = async () => {
    await caretAfterText('explore big_space');
    return waitFor(async () => (await ownLenses()).find((t) => t.startsWith('41,040 points')), 'the explore lens', 20_000, 100);
  };
  const hardwareBefore = await hardwareLens();
  await exploreLens();
  // Caret at the end of the hardware block's schedule value, where completion offers the strategies: probing it
  // changes no text.
  await caretAfterText('schedule      expert_by_expert');
  const idle = [];
  for (let i = 0; i < 3; i++) idle.push(await completionLatencyMs());

  // The lens runs the block (m3v.exploreDesignSpace): the panel opens and shows progress.
  await exploreLens();
  await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: '41,040 points' }).first().click();
  const frame = await panelFrame('explore');
  // The frame says data-panel=explore before its script has built the page: wait for the page.
  await waitFor(() => frame.evaluate(() => document.getElementById('progress-text') !== null || undefined), 'the Design Space page');
  await frame.evaluate(() => {
    window.__m3vProgress = [];
    const text = document.getElementById('progress-text');
    new MutationObserver(() => window.__m3vProgress.push(text.textContent)).observe(text, { childList: true, characterData: true, subtree: true });
  });
  // Completion while the run goes, in the editor (the panel opened beside it without taking the focus). Two clocks:
  // the language server's round trip as the extension logs it (`completion server=…ms`, the budget: < 100 ms), and
  // keydown → suggest rows drawn in the workbench (code-server's own rendering included; compared with idle).
  await caretAfterText('schedule      expert_by_expert');
  const serverTimes = () => [...extensionLog().matchAll(/completion server=([\d.]+)ms/g)].map((m) => Number(m[1]));
  const serverBefore = serverTimes().length;
  const during = [];
  const serverDuring = [];
  let shotTaken = false;
  // Up to 40 rounds. A probe counts as "during the run" only when the run was going both when it was sent and when its
  // answer was drawn: a run of 41,040 points lasts seconds, so most probes of a round land inside it. (The old
  // fixture of 6,840 points finished in ~0.1 s on a warm server, and CI saw 1 probe of 60 rounds land inside it.)
  const isRunning = () => frame.evaluate(() => document.body.dataset.running === 'true');
  let rounds = 0;
  let runs = 1;
  for (; rounds < 40 && during.length < 8; rounds++) {
    if (!(await isRunning()) && rounds > 0) {
      // A fast machine finishes before enough probes: run it again from the panel, then back to the editor (the
      // click in the panel leaves the editor's caret where it was: focusing the editor is enough, and fast).
      await frame.locator('#run').click();
      await waitFor(async () => (await isRunning()) || undefined, 'the run to start again', 10_000, 20);
      await focusEditor();
      runs++;
    }
    const runningBefore = await isRunning();
    const logged = serverTimes().length;
    const ms = await completionLatencyMs();
    if (runningBefore && (await isRunning())) {
      during.push(ms);
      // The log line of this probe's request (the log is flushed asynchronously: wait for it).
      serverDuring.push(await waitFor(() => serverTimes()[logged], 'the completion log line', 10_000, 50));
    }
    if (!shotTaken && (await frame.evaluate(() => /of 41,040 points/.test(document.getElementById('progress-text')?.textContent ?? '')))) {
      await shot('20-explore-progress');
      shotTaken = true;
    }
  }
  const summary = await waitFor(() => frame.evaluate(() => (document.body.dataset.running === 'false' && document.getElementById('summary')?.dataset.front ? document.getElementById('summary').textContent : undefined)), 'the run to finish', 120_000, 100);
  const progressTexts = await frame.evaluate(() => window.__m3vProgress);
  await shot('21-explore-done');
  const p95of = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const p95 = p95of(serverDuring);
  const idleServer = serverTimes().slice(0, serverBefore).slice(-3);
  timings.exploreCompletionMs = { serverIdle: idleServer, serverDuring, serverP95: p95, uiIdle: idle, uiDuring: during, uiP95: p95of(during) };
  console.log(
    `explore e2e: completion server round trip idle ${idleServer.join(', ')} ms, during the run ${serverDuring.join(', ')} ms (p95 ${p95} ms); ` +
      `keydown → suggest drawn idle ${idle.join(', ')} ms, during ${during.join(', ')} ms; ${rounds} rounds over ${runs} runs; progress texts ${progressTexts.length}`,
  );
  assert.ok(progressTexts.some((t) => /^\d[\d,]* of 41,040 points · front \d+/.test(t) && !t.startsWith('41,040 of')), `progress shown while running: ${progressTexts.slice(0, 5).join(' | ')}`);
  assert.ok(during.length >= 3, `completion probed while the run went (${during.length} probes in ${rounds} rounds over ${runs} runs)`);
  assert.ok(p95 < 100, `completion p95 (server round trip) during the run ${p95} ms (probes ${serverDuring.join(', ')})`);
  // In the workbench the run costs completion nothing a user would see beside code-server's own drawing time.
  assert.ok(median(during) - median(idle) < 100, `keydown → suggest: median ${median(during)} ms during the run vs ${median(idle)} ms idle`);
  assert.match(summary, /big_space on zcu102: 41,040 evaluated/);
  const front = Number(await frame.evaluate(() => document.getElementById('summary').dataset.front));

  // The lens shows the front once run.
  const runLens = await waitFor(async () => {
    const t = await exploreLens();
    return t.includes(`front ${front} of`) ? t : undefined;
  }, 'the explore lens with the front', 20_000, 200);
  assert.ok(!runLens.includes('stale'), runLens);

  // Hover, then click a front dot that differs from the design as written (the design has weights fixed<16,2>).
  const dots = (await frame.evaluate(() => document.getElementById('scatter').dataset.frontDots)).split(';').map((d) => {
    const [index, xy] = d.split(':');
    const [x, y] = xy.split(',').map(Number);
    return { index, x, y };
  });
  const box = await frame.locator('#scatter').boundingBox();
  let tip;
  let chosen;
  for (const d of dots) {
    await page.mouse.move(box.x + d.x, box.y + d.y);
    tip = await waitFor(() => frame.evaluate(() => (document.getElementById('tip').style.display === 'block' ? document.getElementById('tip').textContent : undefined)), 'the hover tip');
    // On a front of hundreds of dots two can share a pixel: the tip names the dot under the pointer, which must be a
    // front dot drawn within a few pixels of the one aimed at.
    const shown = dots.find((f) => f.index === /^point (\d+) · on the Pareto front/.exec(tip)?.[1]);
    assert.ok(shown && Math.hypot(shown.x - d.x, shown.y - d.y) <= 4, `the tip at front dot ${d.index} names a front dot beside it: ${tip}`);
    if (!/weights fixed<16,2>/.test(tip) || d === dots.at(-1)) {
      chosen = shown;
      break;
    }
  }
  await shot('22-explore-hover');
  await page.mouse.click(box.x + chosen.x, box.y + chosen.y);
  await waitFor(() => frame.evaluate((i) => document.getElementById('applied')?.dataset.point === i || undefined, chosen.index), 'the point to be applied');
  const appliedText = await frame.evaluate(() => document.getElementById('applied').textContent);
  assert.match(appliedText, /^Applied point \d+ to the design/, appliedText);
  // The design changed (its tab is marked dirty), the hardware lens follows, the explore lens stays valid.
  await waitFor(async () => ((await page.locator('.tabs-container .tab.dirty', { hasText: name }).count()) > 0 ? true : undefined), 'the design tab to be marked edited');
  const hardwareAfter = await waitFor(async () => {
    const h = await hardwareLens();
    return h !== hardwareBefore ? h : undefined;
  }, 'the hardware lens to follow the point', 20_000, 200);
  const exploreLensAfter = await exploreLens();
  assert.ok(exploreLensAfter.includes(`front ${front} of`) && !exploreLensAfter.includes('stale'), exploreLensAfter);
  await shot('23-explore-applied');
  // One undoable edit: a single Undo brings back the design as written.
  await focusEditor();
  await page.keyboard.press('Control+Z');
  await waitFor(async () => ((await hardwareLens()) === hardwareBefore ? true : undefined), 'one Undo to restore the hardware lens', 20_000, 200);
  console.log(`explore e2e: applied point ${chosen.index}: hardware lens "${hardwareBefore}" → "${hardwareAfter}", undone with one Ctrl+Z`);
});
