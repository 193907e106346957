/**
 * The packaged .vsix is what users install, so its `m3v serve` must work from the unpacked extension alone: the
 * test packages the current dist/ (`scripts/package.mjs --no-build`; `npm test` builds first), unpacks the .vsix
 * into a scratch folder, starts `node extension/dist/cli.js serve` from there (no repository beside it) and fetches
 * the page, every asset the page names, a panel and the designer's workers. Needs `unzip` (skips, saying so, without).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const unzip = ['/usr/bin/unzip', '/bin/unzip'].find((p) => existsSync(p));

test('the packaged .vsix carries the designer: m3v serve started from the unpacked extension serves the page', { skip: unzip ? false : 'no unzip on this machine to unpack the .vsix' }, async (t) => {
  if (!existsSync(join(root, 'dist', 'designer', 'main.js'))) assert.fail('dist/ is not built: run npm run build first (npm test does)');
  const scratch = mkdtempSync(join(tmpdir(), 'm3v-vsix-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const vsix = join(scratch, 'm3v.vsix');
  const pack = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--no-build', '--out', vsix], { cwd: root, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stdout + pack.stderr);
  const unpack = spawnSync(unzip!, ['-q', vsix, '-d', join(scratch, 'x')], { encoding: 'utf8' });
  assert.equal(unpack.status, 0, unpack.stderr);
  const ext = join(scratch, 'x', 'extension');
  for (const f of ['main.js', 'main.css', 'language.worker.js', 'heavy.worker.js', 'editor.worker.js', 'panel-shim.js', 'onig.wasm', 'theme.css', 'designer.css'])
    assert.ok(existsSync(join(ext, 'dist', 'designer', f)), `the .vsix has dist/designer/${f}`);
  assert.ok(existsSync(join(ext, 'dist', 'explore-worker.js')), 'the .vsix has the explore pool worker the language server starts');
  for (const f of ['open-sample.md', 'resources.md', 'schedule.md', 'run.md', 'export.md']) assert.ok(existsSync(join(ext, 'media', 'walkthrough', f)), `the .vsix has the walkthrough's media/walkthrough/${f}`);

  // cwd is the scratch folder: nothing of the repository can be found by accident.
  const child = spawn(process.execPath, [join(ext, 'dist', 'cli.js'), 'serve', join(ext, 'samples'), '--port', '0'], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGTERM'));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`m3v serve printed no URL in 20 s:\n${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /M3V designer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`m3v serve exited ${code}:\n${out}`)));
  });
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /M3V Designer/);
  // Every script and stylesheet the page names is served (a missing bundle would be a 404 here).
  const assets = [...html.matchAll(/(?:src|href)="(\/designer\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.length >= 4, `assets named by the page: ${assets.join(', ')}`);
  for (const a of [...assets, '/designer/language.worker.js', '/designer/onig.wasm', '/webviews/resources.js']) {
    const r = await fetch(new URL(a, url));
    assert.equal(r.status, 200, `${a} from the packaged extension`);
    assert.ok((await r.arrayBuffer()).byteLength > 0, `${a} is not empty`);
  }
  const designs = (await (await fetch(new URL('/api/designs', url))).json()) as { designs: { label: string }[] };
  assert.ok(designs.designs.some((d) => d.label === 'edge-moe-zcu102.m3v'), 'the packaged samples are listed');
});
