/**
 * `m3v serve`'s HTTP server: what it serves, what it refuses, and that only an explicit save writes a file.
 * Real server on 127.0.0.1 (port 0), real HTTP requests with node:http (so the Host header can be forged).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDesignerServer, type RunningServer } from '../../cli/serve/server';
import { SAVE_HEADER } from '../../webviews/designer/designsApi';

const repoRoot = join(__dirname, '..', '..');
let server: RunningServer;
let workspace: string;
let samples: string;
const DESIGN = 'model tiny {\n  dim 8\n}\n';
/** A design naming a routing trace: the one JSON file the server may serve. */
const TRACED = 'model tiny {\n  dim 8\n  moe { routing trace "traces/t.json" }\n}\n';

function http(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

before(async () => {
  const base = mkdtempSync(join(tmpdir(), 'm3v-serve-test-'));
  workspace = join(base, 'work');
  samples = join(base, 'samples');
  mkdirSync(join(workspace, 'sub', 'traces'), { recursive: true });
  mkdirSync(join(workspace, 'node_modules', 'x'), { recursive: true });
  mkdirSync(samples);
  writeFileSync(join(workspace, 'a.m3v'), DESIGN);
  writeFileSync(join(workspace, 'sub', 'b c.m3v'), TRACED);
  writeFileSync(join(workspace, 'sub', 'traces', 'other.json'), '{"secret":1}');
  mkdirSync(join(workspace, '.hidden'));
  writeFileSync(join(workspace, '.hidden', 'x.m3v'), DESIGN);
  execFileSync('mkfifo', [join(workspace, 'pipe.m3v')]);
  writeFileSync(join(workspace, 'private.m3v'), DESIGN);
  chmodSync(join(workspace, 'private.m3v'), 0o600);
  writeFileSync(join(workspace, 'sub', 'traces', 't.json'), '{"layers":[]}');
  writeFileSync(join(workspace, 'node_modules', 'x', 'hidden.m3v'), DESIGN);
  writeFileSync(join(workspace, 'notes.txt'), 'secret');
  writeFileSync(join(base, 'outside.m3v'), 'outside');
  symlinkSync(join(base, 'outside.m3v'), join(workspace, 'link.m3v'));
  writeFileSync(join(samples, 's.m3v'), DESIGN);
  server = await startDesignerServer({ roots: { workspace, samples, initialFile: join(workspace, 'sub', 'b c.m3v') }, port: 0, distDir: join(repoRoot, 'dist') });
});

after(() => server?.close());

test('listens on 127.0.0.1 only and prints a loopback URL', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('the page comes with a Content-Security-Policy that allows only its own origin', async () => {
  const r = await http('GET', '/');
  assert.equal(r.status, 200);
  assert.match(r.body, /<script src="\/designer\/main\.js"><\/script>/);
  const csp = String(r.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
});

test('lists the workspace designs (not node_modules, not symlinks out of the folder) and the samples, read-only, and names the initial file', async () => {
  const r = await http('GET', '/api/designs');
  const list = JSON.parse(r.body) as { root: string; designs: { url: string; label: string; group: string; writable: boolean }[]; initial?: string };
  assert.equal(list.root, workspace);
  assert.deepEqual(
    list.designs.map((d) => [d.label, d.url, d.group, d.writable]),
    [
      ['a.m3v', '/files/a.m3v', 'workspace', true],
      ['pipe.m3v', '/files/pipe.m3v', 'workspace', true],
      ['private.m3v', '/files/private.m3v', 'workspace', true],
      ['sub/b c.m3v', '/files/sub/b%20c.m3v', 'workspace', true],
      ['s.m3v', '/samples/s.m3v', 'samples', false],
    ],
  );
  assert.equal(list.initial, '/files/sub/b%20c.m3v');
});

test('serves designs and traces; refuses other files, traversal and symlinks out of the folder', async () => {
  assert.equal((await http('GET', '/files/sub/b%20c.m3v')).body, TRACED);
  assert.equal((await http('GET', '/files/sub/traces/t.json')).status, 200);
  assert.equal((await http('GET', '/samples/s.m3v')).body, DESIGN);
  assert.equal((await http('GET', '/files/notes.txt')).status, 403);
  assert.equal((await http('GET', '/files/..%2Fsamples%2Fs.m3v')).status, 400);
  assert.equal((await http('GET', '/files/sub/..%2F..%2Foutside.m3v')).status, 400);
  // Dot segments, even percent-encoded, are resolved by the URL parser before routing: this is `/outside.m3v`.
  assert.equal((await http('GET', '/files/%2e%2e/outside.m3v')).status, 404);
  const viaLink = await http('GET', '/files/link.m3v');
  assert.equal(viaLink.status, 403);
  assert.doesNotMatch(viaLink.body, /outside/);
  assert.equal((await http('GET', '/files/missing.m3v')).status, 404);
  assert.equal((await http('GET', '/designer/..%2F..%2Fpackage.json')).status, 404);
});

test('serves only the JSON a design names, nothing in dot-folders, and a FIFO does not block', async () => {
  const other = await http('GET', '/files/sub/traces/other.json');
  assert.equal(other.status, 403, 'a JSON file no design names');
  assert.doesNotMatch(other.body, /secret/);
  assert.equal((await http('GET', '/files/.hidden/x.m3v')).status, 403);
  assert.equal((await http('GET', '/files/.git/config.json')).status, 403);
  // A FIFO named like a design: refused at once (opening it for reading would wait for a writer forever).
  const pipe = await http('GET', '/files/pipe.m3v');
  assert.equal(pipe.status, 403);
  assert.match(pipe.body, /named pipe \(FIFO\), not a regular file/);
  assert.equal((await http('GET', '/api/designs')).status, 200, 'the server still answers');
});

test('every response forbids framing by other sites; the panels allow only the designer page', async () => {
  for (const path of ['/', '/api/designs', '/files/a.m3v', '/nothing']) {
    const r = await http('GET', path);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/, path);
    assert.equal(r.headers['x-frame-options'], 'DENY', path);
  }
  const panel = await http('GET', '/panel/resources');
  assert.match(String(panel.headers['content-security-policy']), /frame-ancestors 'self'/);
  assert.equal(panel.headers['x-frame-options'], 'SAMEORIGIN');
});

test('a save keeps the file mode (0600 stays 0600) and is atomic (no temporary file left)', async () => {
  const file = join(workspace, 'private.m3v');
  const saved = await http('PUT', '/files/private.m3v', { headers: { [SAVE_HEADER]: '1' }, body: DESIGN + '// saved\n' });
  assert.equal(saved.status, 204);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(readFileSync(file, 'utf8'), DESIGN + '// saved\n');
  assert.deepEqual(readdirSync(workspace).filter((n) => n.endsWith('.tmp')), []);
  const pipe = await http('PUT', '/files/pipe.m3v', { headers: { [SAVE_HEADER]: '1' }, body: DESIGN });
  assert.equal(pipe.status, 409, 'a FIFO is not replaced by a save');
});

test('a request naming another host is refused (DNS rebinding)', async () => {
  const r = await http('GET', '/api/designs', { headers: { Host: 'attacker.example:80' } });
  assert.equal(r.status, 403);
  assert.equal((await http('GET', '/api/designs', { headers: { Host: `localhost:${server.port}` } })).status, 200);
});

test('the panels are the extension bundles in the HTML shell with the designer prelude and a nonce CSP', async () => {
  const r = await http('GET', '/panel/schedule');
  assert.equal(r.status, 200);
  const nonce = /nonce-([A-Za-z0-9]{32})/.exec(r.body)?.[1];
  assert.ok(nonce);
  assert.ok(r.body.indexOf(`<script nonce="${nonce}" src="/designer/panel-shim.js">`) < r.body.indexOf(`<script nonce="${nonce}" src="/webviews/schedule.js">`));
  assert.match(r.body, /<body data-panel="schedule">/);
  assert.equal((await http('GET', '/panel/run')).status, 404, 'no Run panel: model runs need onnxruntime-node');
});

test('only an explicit save writes, and only existing workspace designs', async () => {
  const file = join(workspace, 'a.m3v');
  const edited = DESIGN.replace('8', '16');
  // No save header: refused (a cross-site form post cannot add one).
  assert.equal((await http('PUT', '/files/a.m3v', { body: edited })).status, 403);
  assert.equal(readFileSync(file, 'utf8'), DESIGN);
  const saved = await http('PUT', '/files/a.m3v', { headers: { [SAVE_HEADER]: '1' }, body: edited });
  assert.equal(saved.status, 204);
  assert.equal(readFileSync(file, 'utf8'), edited);
  assert.equal((await http('PUT', '/samples/s.m3v', { headers: { [SAVE_HEADER]: '1' }, body: 'x' })).status, 403);
  assert.equal(readFileSync(join(samples, 's.m3v'), 'utf8'), DESIGN);
  assert.equal((await http('PUT', '/files/new.m3v', { headers: { [SAVE_HEADER]: '1' }, body: 'x' })).status, 404);
  const json = await http('PUT', '/files/sub/traces/t.json', { headers: { [SAVE_HEADER]: '1' }, body: 'x' });
  assert.equal(json.status, 403);
  assert.doesNotMatch(json.body, /samples/, 'a workspace trace is not a sample');
  // A real 413 response, read by the client (not a connection reset taken for one).
  const huge = await http('PUT', '/files/a.m3v', { headers: { [SAVE_HEADER]: '1' }, body: Buffer.alloc(5 * 1024 * 1024, 32) });
  assert.equal(huge.status, 413);
  assert.match(huge.body, /larger than 4 MiB is not saved/);
  assert.equal(readFileSync(file, 'utf8'), edited, 'a refused save leaves the file as it was');
  assert.equal((await http('DELETE', '/files/a.m3v')).status, 405);
});
