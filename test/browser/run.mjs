// Runs the browser designer's tests (test/browser/*.browser.ts) in Debian's Chromium via playwright-core.
// Usage: npm run test:browser. Chromium comes from test/e2e/setup.sh's apt line (apt-get install chromium).
//   M3V_BROWSER_REQUIRED=1  a missing Chromium fails (exit 1) instead of skipping (exit 0) — CI sets it.
// Artifacts (screenshots, timings.json) go to test-results/browser/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const chromium = process.env.M3V_E2E_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.M3V_E2E_NO_INSTALL;
  if (canInstall) {
    console.log('m3v browser tests: installing Debian chromium');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (!existsSync(chromium)) {
    console.log(`m3v browser tests: SKIPPED — no Chromium at ${chromium}`);
    process.exit(process.env.M3V_BROWSER_REQUIRED ? 1 : 0);
  }
}
const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const files = readdirSync(join(root, 'test', 'browser')).filter((f) => f.endsWith('.browser.ts')).map((f) => join('test', 'browser', f));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
