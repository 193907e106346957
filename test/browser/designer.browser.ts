/**
 * The browser designer in a real browser (Debian Chromium via playwright-core) against `m3v serve`: it loads and
 * becomes interactive; typing an error puts a marker in the editor and a located reason in the panels, and fixing
 * it removes both; changing `experts` 16 → 32 changes the Resources and Schedule panels to exactly what
 * `m3v analyze --json` and `m3v schedule --json` print for the edited text; hover, completion, reveal and the
 * explicit Save work, and nothing is written before Save. Screenshots and timings: test-results/browser/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '../../cli/serve/server';
import { formatCount } from '../../engine/units';
import { runCli } from '../fixtures/runCli';
import { launchChromium, repoRoot, serveScratchSamples, waitFor } from './harness';
import { createLanguageServices } from '../../language/src/services/index';
import { PhaseCache } from '../../language/src/phases';

const SAMPLE = 'edge-moe-zcu102.m3v';
const artifacts = join(repoRoot, 'test-results', 'browser');
const timings: Record<string, unknown> = {};
let browser: Browser;
let page: Page;
let server: RunningServer;
let workspace: string;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ({ server, workspace } = await serveScratchSamples());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
});

after(async () => {
  writeFileSync(join(artifacts, 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
  await browser?.close();
  await server?.close();
});

const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

function panel(kind: 'resources' | 'schedule'): Frame {
  const frame = page.frames().find((f) => f.url().endsWith(`/panel/${kind}`));
  assert.ok(frame, `the ${kind} panel frame`);
  return frame;
}

const editorText = () => page.evaluate(() => (window as any).m3vDesigner.editor.getModel().getValue() as string);
const errorSquiggles = () => page.locator('#editor .squiggly-error').count();
const tasksTable = () => panel('resources').evaluate(() => document.getElementById('tasks-table')?.innerText ?? '');
const panelStatus = (kind: 'resources' | 'schedule') => panel(kind).evaluate(() => document.getElementById('status')?.textContent ?? '');

/**
 * Waits until both panels have drawn the analysis of the editor's current text (each keystroke is analysed, so an
 * intermediate text's figures can be on screen for a moment).
 */
async function settled(): Promise<void> {
  await waitFor(
    () =>
      page.evaluate(() => {
        const d = (window as any).m3vDesigner;
        return d.lastAnalysis?.version === d.editor.getModel().getVersionId() && d.rendered.resources === d.sentSeq.resources && d.rendered.schedule === d.sentSeq.schedule;
      }),
    'the panels to show the current text',
  );
}

/** Puts the caret at the end of the first line containing `needle` (through the editor API), then focuses it. */
async function caretAfter(needle: string): Promise<void> {
  await page.evaluate((n) => {
    const editor = (window as any).m3vDesigner.editor;
    const model = editor.getModel();
    const match = model.findMatches(n, false, false, true, null, false)[0];
    if (!match) throw new Error(`no '${n}' in the design`);
    editor.setPosition({ lineNumber: match.range.endLineNumber, column: match.range.endColumn });
    editor.focus();
  }, needle);
}

test('the page loads a design, colours it with the grammar and fills both panels', async () => {
  const started = Date.now();
  await page.goto(`${server.url}?design=${encodeURIComponent(`/files/${SAMPLE}`)}`);
  const interactiveMs = await waitFor(() => page.evaluate(() => (window as any).m3vDesigner?.interactiveMs as number | undefined), 'the designer to start');
  await waitFor(async () => (await tasksTable()) || undefined, 'the Resources tasks table');
  timings.interactiveMs = interactiveMs;
  timings.loadToPanelsMs = Date.now() - started;
  // Colouring from the TextMate grammar: a block keyword, a key and a number get three different colours (monaco
  // tokenizes lines asynchronously after the first paint, hence the wait).
  const colours = await waitFor(async () => {
    // (No named functions inside evaluate callbacks: tsx would wrap them in a helper the page does not have.)
    const [model, dim, number] = await page.locator('#editor .view-line span span').evaluateAll((spans) =>
      ['model', 'dim', '192'].map((text) => {
        const span = spans.find((s) => s.textContent === text);
        return span ? getComputedStyle(span).color : undefined;
      }),
    );
    const c = { model, dim, number };
    return c.model && c.dim && c.number && new Set([c.model, c.dim, c.number]).size === 3 ? c : undefined;
  }, 'grammar colours on `model`, `dim` and `192`');
  timings.colours = colours;
  const title = await panel('schedule').evaluate(() => document.getElementById('schedule-title')?.textContent ?? '');
  assert.match(title, /semseg on zcu102/);
  await shot('01-loaded');
});

test('code lenses and semantic colouring come from the same language server as VS Code', async () => {
  // The lens titles the server's services give for this very text (computed here in Node by the same services).
  const text = await editorText();
  const services = createLanguageServices({ phases: new PhaseCache() });
  services.update('mem://lens.m3v', 1, text);
  const all = services.codeLenses('mem://lens.m3v').filter((l) => l.command?.title);
  assert.ok(all.length >= 4, `the services give lenses for the sample: ${all.map((l) => l.command!.title).join(' | ')}`);
  // monaco draws only the lines in view: the lenses expected on screen are those of the visible lines.
  const visible = await page.evaluate(() => ((window as any).m3vDesigner.editor.getVisibleRanges() as { startLineNumber: number; endLineNumber: number }[]).map((r) => [r.startLineNumber, r.endLineNumber]));
  const expected = all.filter((l) => visible.some(([a, b]) => l.range.start.line + 1 >= a && l.range.start.line + 1 <= b)).map((l) => l.command!.title);
  assert.ok(expected.length >= 3, `lenses on the visible lines ${JSON.stringify(visible)}: ${expected.join(' | ')}`);
  let last = '';
  const shown = await waitFor(async () => {
    const t = (last = (await page.locator('#editor .codelens-decoration').allInnerTexts()).map((x) => x.trim()).filter(Boolean).join('\n'));
    // monaco joins the lenses of one line with " | ".
    return expected.every((title) => t.includes(title)) ? t : undefined;
  }, 'the code lenses of the server', 30_000).catch((error: Error) => {
    throw new Error(`${error.message}; expected ${JSON.stringify(expected)}, shown ${JSON.stringify(last)}`);
  });
  timings.codeLenses = expected.length;
  assert.ok(shown.length > 0);
  // Semantic tokens arrived from the server, and a task named in a budget line (the grammar cannot tell it from any
  // other word) is coloured as the server's `variable` token type.
  const tokens = await waitFor(() => page.evaluate((url) => (window as any).m3vDesigner.semanticTokens[url] as number | undefined, `/files/${SAMPLE}`), 'semantic tokens');
  assert.ok(tokens > 50, `${tokens} semantic tokens`);
  const light = await page.evaluate(() => window.matchMedia('(prefers-color-scheme: light)').matches);
  const want = light ? 'rgb(0, 112, 193)' : 'rgb(79, 193, 255)';
  const colour = await waitFor(async () => {
    const c = await page.locator('#editor .view-line', { hasText: 'latency semseg' }).locator('span span', { hasText: /^semseg$/ }).first().evaluate((e) => getComputedStyle(e).color);
    return c === want ? c : undefined;
  }, `semseg in the budget line coloured ${want}`).catch(async (error) => {
    const c = await page.locator('#editor .view-line', { hasText: 'latency semseg' }).locator('span span').allInnerTexts();
    throw new Error(`${(error as Error).message}; spans of the line: ${JSON.stringify(c)}`);
  });
  assert.equal(colour, want);
  await shot('01b-lens-semantic');
});

test('typing an error shows a marker and a located reason in the panels; fixing it removes both', async () => {
  assert.equal(await errorSquiggles(), 0);
  await caretAfter('dim   192');
  await page.keyboard.type(' banana');
  await waitFor(async () => (await errorSquiggles()) > 0, 'an error marker');
  const reason = await waitFor(async () => (await panelStatus('resources')) || undefined, 'the stale reason in the Resources panel');
  assert.match(reason, /^\d+:\d+: /, `the reason names a line and column: ${reason}`);
  assert.match(await page.locator('#footer').innerText(), /^[1-9]\d* errors?/);
  await shot('02-error');
  for (let i = 0; i < ' banana'.length; i++) await page.keyboard.press('Backspace');
  await waitFor(async () => (await errorSquiggles()) === 0, 'the marker to go');
  await waitFor(async () => (await panelStatus('resources')) === '', 'the panel to recover');
  assert.match(await page.locator('#footer').innerText(), /^0 errors/);
});

test('experts 16 → 32: the panels show what m3v analyze --json and m3v schedule --json print for the edited text', async () => {
  const beforeTable = await tasksTable();
  await caretAfter('experts 16');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('32');
  await settled();
  const afterTable = await tasksTable();
  assert.notEqual(afterTable, beforeTable);
  await shot('03-experts-32');
  const text = await editorText();
  assert.match(text, /experts 32/);
  // The CLI on the very text in the editor (written to a scratch file beside the design, so relative paths hold).
  const edited = join(workspace, 'edited-by-test.m3v');
  writeFileSync(edited, text);
  const analyzed = await runCli(['analyze', edited, '--json']);
  const report = JSON.parse(analyzed.out) as { tasks: { name: string; macs: number; flops: number; params_active: number; dense_mtl_macs: number; all_experts_macs: number }[] };
  const rows = new Map(afterTable.split('\n').slice(1).map((line) => line.split('\t').map((c) => c.trim())).map((cells) => [cells[0], cells.slice(1)]));
  for (const t of report.tasks) {
    assert.deepEqual(
      rows.get(t.name),
      [t.macs, t.flops, t.params_active, t.dense_mtl_macs, t.all_experts_macs].map(formatCount),
      `task ${t.name}: panel row vs m3v analyze --json`,
    );
  }
  // And the edit did change what a demanding user would check: all-experts MACs grow with E.
  assert.notEqual(rows.get('semseg')?.[4], new Map(beforeTable.split('\n').slice(1).map((l) => l.split('\t').map((c) => c.trim())).map((c) => [c[0], c.slice(1)])).get('semseg')?.[4]);
  const scheduled = await runCli(['schedule', edited, '--task', 'semseg', '--json']);
  const makespan = (JSON.parse(scheduled.out) as { makespan_cycles: number }).makespan_cycles;
  const heading = await waitFor(async () => {
    const h = await panel('schedule').evaluate(() => document.querySelector('h2.strategy')?.textContent ?? '');
    return h.includes(makespan.toLocaleString('en-US')) ? h : undefined;
  }, `the Schedule panel to show ${makespan} cycles`);
  assert.match(heading, /^expert_by_expert: /);
});

test('compare strategies and a scenario: the Schedule panel shows what m3v simulate --json prints', async () => {
  await page.locator('#compare').check();
  const strategies = await waitFor(async () => {
    const h = await panel('schedule').evaluate(() => Array.from(document.querySelectorAll('h2.strategy')).map((e) => e.getAttribute('data-strategy')));
    return h.length === 3 ? h : undefined;
  }, 'three strategy charts');
  assert.deepEqual([...strategies].sort(), ['all_resident', 'expert_by_expert', 'token_by_token']);
  await page.locator('#compare').uncheck();
  await page.locator('#scenario-select').selectOption('drive');
  const title = await waitFor(() => panel('schedule').evaluate(() => document.getElementById('scenario-title')?.textContent ?? undefined), 'the scenario title');
  await shot('03b-scenario');
  const edited = join(workspace, 'edited-by-test.m3v');
  writeFileSync(edited, await editorText());
  const simulated = JSON.parse((await runCli(['simulate', edited, '--scenario', 'drive', '--json'])).out) as {
    runs: { declared: boolean; frames: { met: boolean; task: string; previousTask: string | null }[] }[];
  };
  const own = simulated.runs.find((r) => r.declared)!;
  const switches = own.frames.filter((f) => f.previousTask !== null && f.previousTask !== f.task).length;
  const misses = own.frames.filter((f) => !f.met).length;
  assert.equal(title, `Scenario drive: ${own.frames.length} frames, ${switches} task switches, ${misses} deadline misses`);
  await page.locator('#scenario-select').selectOption('');
  await waitFor(async () => (await panel('schedule').evaluate(() => document.getElementById('scenario-title') === null)) || undefined, 'one frame again');
});

test('hover and completion come from the language server in the worker', async () => {
  await caretAfter('top_k   2');
  await page.keyboard.press('End');
  const box = await page.locator('#editor .view-line span span', { hasText: /^top_k$/ }).first().boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hoverText = await waitFor(async () => {
    const texts = await page.locator('.monaco-hover-content').allInnerTexts();
    return texts.find((t) => t.trim());
  }, 'a hover');
  assert.match(hoverText, /top_k/i);
  await page.mouse.move(5, 5);
  // A new line inside the model block: completion offers the block's keys not set yet (the sample sets every key of
  // its moe block, and the server leaves out keys already set).
  await caretAfter('mlp   4x');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Space');
  const labels = await waitFor(async () => {
    const items = await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts();
    return items.some((l) => /^(cls|eps|normalize)$/.test(l.trim())) ? items : undefined;
  }, 'the model keys not set yet among the completion items');
  assert.ok(!labels.some((l) => /^(dim|heads|depth)$/.test(l.trim())), `keys already set are left out: ${labels.join(', ')}`);
  await shot('04-completion');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace'); // remove the new line again (and any auto-indent)
  await page.keyboard.press('Control+Backspace');
});

test('clicking a task row in the Resources panel reveals the task in the editor', async () => {
  await panel('resources').locator('#tasks-table tr[data-task="depth"]').click();
  const selected = await waitFor(async () => {
    const s = await page.evaluate(() => {
      const e = (window as any).m3vDesigner.editor;
      return e.getModel().getValueInRange(e.getSelection()) as string;
    });
    return s || undefined;
  }, 'a selection in the editor');
  assert.equal(selected, 'depth');
});

test('go to definition and rename work over LSP with the worker', async () => {
  // F12 on the task named in a budget line goes to the task's declaration.
  await caretAfter('latency semseg');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('F12');
  const definition = await waitFor(async () => {
    const p = await page.evaluate(() => (window as any).m3vDesigner.editor.getPosition() as { lineNumber: number });
    const line = await page.evaluate((n) => (window as any).m3vDesigner.editor.getModel().getLineContent(n) as string, p.lineNumber);
    return line.startsWith('task semseg') ? line : undefined;
  }, 'the caret on the semseg task');
  assert.match(definition, /^task semseg \{/);
  // F2 on the depth task renames it and every reference (the scenario's frames).
  await caretAfter('task depth');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('F2');
  const box = page.locator('.rename-box input');
  await box.waitFor({ state: 'visible' });
  await box.fill('depthmap');
  await page.keyboard.press('Enter');
  const text = await waitFor(async () => {
    const t = await editorText();
    return t.includes('task depthmap') ? t : undefined;
  }, 'the rename');
  // The declaration and the scenario's reference are renamed; the model's `depth 12` key is not a task name.
  assert.equal((text.match(/\bdepthmap\b/g) ?? []).length, 2);
  assert.match(text, /^  depth 12$/m);
  assert.match(text, /frames repeat 10 \{ semseg depthmap semseg \}/);
  await settled();
  await shot('06-renamed');
});

test('edits stay in the page until Save; Save writes exactly the editor text', async () => {
  const file = join(workspace, SAMPLE);
  const original = readFileSync(join(repoRoot, 'samples', SAMPLE), 'utf8');
  assert.equal(readFileSync(file, 'utf8'), original, 'nothing was written by typing');
  assert.match(await page.locator('#dirty').innerText(), /unsaved/);
  assert.equal(await page.locator('#save').isEnabled(), true);
  await page.locator('#save').click();
  await waitFor(async () => (await page.locator('#dirty').innerText()) === '', 'the unsaved mark to clear');
  assert.equal(readFileSync(file, 'utf8'), await editorText());
  assert.equal(await page.locator('#save').isEnabled(), false);
  await shot('05-saved');
});

// ------------------------------------------------------------------ the Design Space panel (issue 13)

function explorePanel(): Frame {
  const frame = page.frames().find((f) => f.url().endsWith('/panel/explore'));
  assert.ok(frame, 'the Design Space panel frame');
  return frame;
}

test('Design Space: runs the explore block in the worker, draws the front, and a clicked point is one undoable edit', async () => {
  // The panels are tabs over the panel area (webviews/designer/layout.ts): bring the Design Space tab to the front.
  await page.locator('#tab-panel-explore').click();
  const frame = explorePanel();
  // The panel lists the design's explore blocks (from the server's summary).
  const name = await waitFor(() => frame.evaluate(() => (document.getElementById('explore') as HTMLSelectElement | null)?.value || undefined), 'the explore list');
  assert.equal(name, 'cheapest_30fps');
  await frame.locator('#run').click();
  const summary = await waitFor(() => frame.evaluate(() => document.getElementById('summary')?.dataset.front && document.getElementById('summary')!.textContent), 'the run to finish', 60_000);
  // The space as written in the sample: 5 linear × 3 attention × 7 clocks.
  assert.match(summary, /cheapest_30fps on zcu102: 105 evaluated/);
  const front = Number(await frame.evaluate(() => document.getElementById('summary')!.dataset.front));
  assert.ok(front > 0);
  const drawn = await frame.evaluate(() => ({ dots: Number(document.getElementById('scatter')!.dataset.dots), front: Number(document.getElementById('scatter')!.dataset.front) }));
  assert.equal(drawn.front, front, 'every front point is drawn');
  assert.ok(drawn.dots >= front);
  assert.equal(await frame.locator('#front tr[data-point]').count(), front, 'one table row per front point');
  // The block's code lens follows the run without an edit (the server's workspace/codeLens/refresh): bring the block
  // into view (monaco draws lenses of visible lines only) and wait for the front's size on it.
  const blockLine = (await editorText()).split('\n').findIndex((l) => l.startsWith(`explore ${name}`)) + 1;
  assert.ok(blockLine > 0, `the explore block ${name} in the editor`);
  await page.evaluate((line) => (window as any).m3vDesigner.editor.revealLineInCenter(line), blockLine);
  const lens = await waitFor(async () => (await page.locator('#editor .codelens-decoration').allInnerTexts()).find((t) => t.includes(`front ${front} of`)), 'the explore lens with the front', 20_000);
  assert.ok(!lens.includes('stale'), lens);
  // The scatter in view, in the page and inside the panel's frame, so the pointer can reach it.
  await frame.locator('#scatter').scrollIntoViewIfNeeded();
  await shot('07-design-space');

  // Hover a front dot: its values. Click it: the design gets them, in one edit Undo takes back.
  const [first] = (await frame.evaluate(() => document.getElementById('scatter')!.dataset.frontDots!)).split(';');
  const [index, xy] = first.split(':');
  const [x, y] = xy.split(',').map(Number);
  const box = (await frame.locator('#scatter').boundingBox())!;
  await page.mouse.move(box.x + x, box.y + y);
  const tip = await waitFor(() => frame.evaluate(() => (document.getElementById('tip')!.style.display === 'block' ? document.getElementById('tip')!.textContent : undefined)), 'the hover tip');
  assert.match(tip, new RegExp(`point ${index} · on the Pareto front`));
  const before = await editorText();
  await page.mouse.click(box.x + x, box.y + y);
  const applied = await waitFor(async () => {
    const t = await editorText();
    return t !== before ? t : undefined;
  }, 'the point written into the editor');
  for (const line of tip.split('\n').filter((l) => /^(linear|attention|clock) /.test(l))) {
    const [key, ...value] = line.split(' ');
    assert.match(applied, new RegExp(`\\n\\s+${key}\\s+${value.join(' ')}`), `${line} in the design`);
  }
  await waitFor(() => frame.evaluate(() => document.getElementById('applied')?.dataset.point), 'the panel to confirm');
  await page.evaluate(() => (window as any).m3vDesigner.editor.trigger('test', 'undo', null));
  assert.equal(await editorText(), before, 'one Undo restores the design as it was');
  await settled();
});
