/**
 * The browser designer's start-up budget (issue 7): the page is interactive in < 2 s locally. Measures, over fresh
 * page loads in Debian's Chromium against `m3v serve` (in-process, port 0, loopback): time to interactive (the
 * editor holds the design, coloured by the grammar, with its markers), time until both panels have drawn, and the
 * initial JavaScript the page downloads — everything but the two workers (monaco's editor worker and our language
 * worker). Skips with a line when Chromium is absent.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, chromiumPath, repoRoot, serveScratchSamples } from '../test/browser/harness';

const LOADS = 5;
const GOAL_MS = 2000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  if (!chromiumPath()) {
    console.log('designer: SKIPPED (no Chromium; apt-get install chromium)');
    return;
  }
  const { server } = await serveScratchSamples();
  const browser = await launchChromium();
  const interactive: number[] = [];
  const panels: number[] = [];
  let initialJs = 0;
  // Worker scripts are fetched by the workers, out of the page's response events: their sizes on disk.
  const workerJs = ['editor.worker.js', 'language.worker.js'].reduce((sum, f) => sum + statSync(join(repoRoot, 'dist', 'designer', f)).size, 0);
  try {
    for (let i = 0; i < LOADS; i++) {
      // A fresh context per load: no HTTP cache, no session state, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
      const page = await context.newPage();
      const scripts = new Map<string, number>();
      page.on('response', async (r) => {
        if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) scripts.set(r.url(), (await r.body().catch(() => Buffer.alloc(0))).length);
      });
      await page.goto(`${server.url}?design=${encodeURIComponent('/files/edge-moe-zcu102.m3v')}`);
      await page.waitForFunction(() => (window as any).m3vDesigner?.panelsMs !== undefined, null, { timeout: 30_000 });
      const t = await page.evaluate(() => ({ i: (window as any).m3vDesigner.interactiveMs as number, p: (window as any).m3vDesigner.panelsMs as number }));
      interactive.push(t.i);
      panels.push(t.p);
      if (i === 0) {
        for (const [url, bytes] of scripts) {
          if (!/\/designer\/(editor|language)\.worker\.js$/.test(url)) initialJs += bytes;
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const row = (name: string, goal: string, measured: string, ratio: string) => console.log(`${name.padEnd(44)} ${goal.padStart(12)} ${measured.padStart(14)} ${ratio.padStart(10)}`);
  console.log(`designer start-up: ${LOADS} fresh loads of samples/edge-moe-zcu102.m3v in Chromium (median; min–max)`);
  row('measure', 'goal', 'measured', 'of goal');
  row('time to interactive', `< ${GOAL_MS} ms`, `${median(interactive).toFixed(0)} ms`, `${(median(interactive) / GOAL_MS).toFixed(2)}×`);
  console.log(`${''.padEnd(44)} ${''.padStart(12)} ${`(${Math.min(...interactive).toFixed(0)}–${Math.max(...interactive).toFixed(0)})`.padStart(14)}`);
  row('both panels drawn', '—', `${median(panels).toFixed(0)} ms`, '');
  row('initial JavaScript (page + panels, minified)', '—', `${(initialJs / 1024).toFixed(0)} KiB`, '');
  row('worker scripts (editor + language, on disk)', '—', `${(workerJs / 1024).toFixed(0)} KiB`, '');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
