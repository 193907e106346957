// End-to-end suite in a real VS Code: code-server 4.100.3 (VS Code 1.100) driven by playwright-core with Debian's
// Chromium, against the PACKAGED .vsix. Usage: npm run test:e2e
//   M3V_E2E_TOOLS   tools folder (default ~/.cache/m3v-e2e) holding code-server
//   M3V_E2E_VSIX    use this .vsix instead of packaging one
//   M3V_E2E_NO_INSTALL=1  never apt/npm install; skip when something is missing
//   M3V_E2E_REQUIRED=1    a missing prerequisite fails (exit 1) instead of skipping (exit 0)
// Artifacts (screenshots, timings.json, code-server log) go to test-results/e2e/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, cpSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const root = new URL('../..', import.meta.url).pathname;
const tools = process.env.M3V_E2E_TOOLS ?? join(homedir(), '.cache', 'm3v-e2e');
const codeServer = join(tools, 'node_modules', '.bin', 'code-server');
const chromium = process.env.M3V_E2E_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(root, 'test-results', 'e2e');

function skip(reason) {
  console.log(`m3v e2e: SKIPPED — ${reason}`);
  process.exit(process.env.M3V_E2E_REQUIRED ? 1 : 0);
}

function timed(label, fn) {
  const t0 = Date.now();
  const r = fn();
  console.log(`m3v e2e: ${label} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

// 1. prerequisites
if (!existsSync(codeServer) || !existsSync(chromium)) {
  if (process.env.M3V_E2E_NO_INSTALL) skip(`code-server (${codeServer}) or Chromium (${chromium}) missing and M3V_E2E_NO_INSTALL is set`);
  const r = timed('setup (apt + code-server)', () => spawnSync('bash', [join(root, 'test/e2e/setup.sh')], { stdio: 'inherit' }));
  if (r.status !== 0) skip(`setup failed (exit ${r.status}); see the lines above`);
}
try {
  await import('playwright-core');
} catch {
  skip('playwright-core is not installed (npm ci)');
}

// 2. the packaged extension
mkdirSync(artifacts, { recursive: true });
let vsix = process.env.M3V_E2E_VSIX;
if (!vsix) {
  vsix = join(tmpdir(), `m3v-e2e-${process.pid}.vsix`);
  const r = timed('package', () => spawnSync(process.execPath, [join(root, 'scripts/package.mjs'), '--out', vsix], { cwd: root, stdio: 'inherit' }));
  if (r.status !== 0) {
    console.error('m3v e2e: packaging failed');
    process.exit(1);
  }
}

// 3. a throwaway profile, extensions dir and workspace (a copy of samples/: the suite edits files)
const scratch = mkdtempSync(join(tmpdir(), 'm3v-e2e-'));
const userData = join(scratch, 'user-data');
const extensions = join(scratch, 'extensions');
const workspace = join(scratch, 'workspace');
mkdirSync(workspace, { recursive: true });
if (existsSync(join(root, 'samples'))) cpSync(join(root, 'samples'), join(workspace, 'samples'), { recursive: true });
// The spec's example design, so the harness has a design to open even before samples/ exists.
cpSync(join(root, 'test/e2e/fixtures'), join(workspace, 'samples'), { recursive: true });
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'editor.codeLens': true,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.commandCenter': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
  }),
);
const install = timed('install .vsix into code-server', () =>
  spawnSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix], { encoding: 'utf8' }),
);
if (install.status !== 0) {
  console.error(`m3v e2e: installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
  process.exit(1);
}

// 4. code-server
const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const serverLog = createWriteStream(join(artifacts, 'code-server.log'));
const server = spawn(
  codeServer,
  ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extensions, '--user-data-dir', userData,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: false },
);
server.stdout.pipe(serverLog);
server.stderr.pipe(serverLog);
const stopServer = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', stopServer);

const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (r.ok) break;
  } catch {}
  if (Date.now() > deadline || server.exitCode !== null) {
    console.error('m3v e2e: code-server did not come up; see test-results/e2e/code-server.log');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}

// 5. the suite (node:test, sequential), then clean up
process.env.M3V_E2E_URL = url;
process.env.M3V_E2E_WORKSPACE = workspace;
process.env.M3V_E2E_USER_SETTINGS = join(userData, 'User', 'settings.json');
process.env.M3V_E2E_USER_DATA = userData;
process.env.M3V_E2E_ARTIFACTS = artifacts;
process.env.M3V_E2E_CHROMIUM = chromium;
process.env.M3V_E2E_REPO = root;
// M3V_E2E_ONLY=REGEX runs only the tests whose names match (node:test's --test-name-pattern), for work on one test.
const only = process.env.M3V_E2E_ONLY ? [`--test-name-pattern=${process.env.M3V_E2E_ONLY}`] : [];
const suite = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...only, join(root, 'test/e2e/suite.mjs')], {
  stdio: 'inherit',
  env: process.env,
});
stopServer();
await new Promise((r) => setTimeout(r, 300));
if (!process.env.M3V_E2E_KEEP) rmSync(scratch, { recursive: true, force: true });
if (!process.env.M3V_E2E_VSIX) rmSync(vsix, { force: true });
process.exit(suite.status ?? 1);
