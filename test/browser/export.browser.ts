/**
 * `m3v analyze FILE --html OUT` in a real browser (Debian Chromium via playwright-core): the page loads with its
 * strict CSP (no violation, no request leaves the page), and its per-strategy table shows the same numbers as
 * `m3v analyze --json` of the same file — read from the rendered page, compared with the JSON field by field.
 * Screenshots in light, dark and forced high-contrast colours: test-results/browser/export-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli } from '../fixtures/runCli';
import { launchChromium, repoRoot } from './harness';

const artifacts = join(repoRoot, 'test-results', 'browser');
let browser: Browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
});
after(async () => browser?.close());

test('the exported HTML opens in Chromium with no request and no CSP violation, and shows what m3v analyze --json prints', async () => {
  const design = join(repoRoot, 'samples', 'edge-moe-zcu102.m3v');
  const out = join(mkdtempSync(join(tmpdir(), 'm3v-export-')), 'report.html');
  const written = await runCli(['analyze', design, '--html', out]);
  assert.equal(written.code, 0, written.err);
  const json = await runCli(['analyze', design, '--json']);
  const doc = JSON.parse(json.out);

  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const violations: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && !r.url().startsWith('file:')) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  // Loaded as text (setContent keeps the document's own CSP meta) from an opaque origin.
  await page.setContent(readFileSync(out, 'utf8'), { waitUntil: 'load' });
  // The inline style applied (its hash is in the CSP): the table cells are padded.
  const padding = await page.evaluate(() => getComputedStyle(document.querySelector('td')!).paddingLeft);
  assert.equal(padding, '10px', 'the report style is applied under its CSP hash');
  assert.deepEqual(requests, [], 'nothing is fetched');
  assert.deepEqual(violations, []);

  for (const target of doc.targets) {
    const rows = await page.evaluate((id) => {
      const table = document.querySelector(`table[data-table="target-${id}"]`)!;
      const head = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent);
      return Array.from(table.querySelectorAll('tbody tr')).map((tr) => Object.fromEntries(Array.from(tr.children).map((td, i) => [head[i], { text: td.textContent, value: (td as HTMLElement).dataset.value }])));
    }, target.name);
    const strategies = Object.entries<any>(target.strategies);
    assert.equal(rows.length, strategies.length * doc.tasks.length, `one row per strategy and task on ${target.name}`);
    for (const row of rows) {
      const s = target.strategies[row.strategy.text];
      const task = row.task.text;
      assert.ok(s, `strategy ${row.strategy.text}`);
      // Exact values in data-value; the shown text is the same number rounded (4 significant digits or whole).
      const checks: [string, number][] = [
        ['on-chip bytes', s.onchip_bytes],
        ['BRAM36', s.bram36],
        ['URAM', s.uram],
        ['on-chip % of device', s.onchip_percent],
        ['off-chip traffic bytes', s.traffic_by_task[task].total],
        ['latency ms', s.latency_ms[task]],
        ['FPS', s.fps[task]],
        ['energy mJ', s.energy_mj[task]],
        ['switch cost ms', s.switch_cost_ms],
      ];
      for (const [column, expected] of checks) {
        assert.equal(Number(row[column].value), expected, `${target.name} ${row.strategy.text} ${task} ${column}`);
        const shown = Number((row[column].text ?? "").replace(/,/g, ''));
        assert.ok(Math.abs(shown - expected) <= Math.abs(expected) * 5e-4 + 1e-12, `${column}: shown ${row[column].text} vs ${expected}`);
      }
      assert.equal(row.fits.text, s.onchip_percent <= 100 ? 'yes' : 'no');
    }
  }
  const tasks = await page.evaluate(() => Array.from(document.querySelectorAll('table[data-table="tasks"] tbody tr')).map((tr) => Array.from(tr.children).map((td) => (td as HTMLElement).dataset.value ?? td.textContent)));
  assert.deepEqual(tasks, doc.tasks.map((t: any) => [t.name, String(t.macs), String(t.flops), String(t.params_active), String(t.dense_mtl_macs), String(t.all_experts_macs)]));
  // Every chart is an inline SVG inside the page's width.
  const charts = await page.evaluate(() => Array.from(document.querySelectorAll('figure[data-chart] svg')).map((s) => s.getBoundingClientRect().right));
  assert.ok(charts.length >= 2, 'latency and on-chip charts');
  for (const right of charts) assert.ok(right <= 1200, `chart inside the page (${right})`);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(artifacts, `export-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'dark', forcedColors: 'active' });
  await page.screenshot({ path: join(artifacts, 'export-high-contrast.png'), fullPage: true });
  await page.close();
});

test('m3v analyze --html refuses to write over the design and names the option', async () => {
  const design = join(repoRoot, 'samples', 'edge-moe-zcu102.m3v');
  const r = await runCli(['analyze', design, '--html', design]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--html/);
  assert.doesNotMatch(r.err, /\n\s+at /);
});
