/**
 * Terminal output and the language server under hostile input: control characters from a design never reach the
 * terminal raw (the built `m3v`), at most 1,000 diagnostics are printed or published then one line with the count,
 * and the built language server answers a design whose trace is /dev/zero or a FIFO and 3,000 nested blocks,
 * promptly and without dying. Needs dist/ (`npm test` builds first).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const root = join(__dirname, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');
const serverJs = join(root, 'dist', 'server.js');
const SAMPLE = readFileSync(join(root, 'samples', 'edge-moe-zcu102.m3v'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'm3v-term-'));
 
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('control characters in a design (ESC, BEL, NUL, CSI) are printed escaped, in check and in analyze', () => {
  assert.ok(existsSync(cliJs), 'dist/cli.js is missing: run `node build.mjs` first');
  const file = join(dir, 'esc.m3v');
  writeFileSync(file, SAMPLE.replace('task depth', 'task de\u001b[31mpth\u0007\u0000\u009b2J').replace('routing balanced', 'routing trace "\u001b]0;pwned\u0007.json"'));
  for (const command of ['check', 'analyze']) {
    const r = spawnSync(process.execPath, [cliJs, command, file], { encoding: 'utf8' });
    const all = r.stdout + r.stderr;
    assert.ok(all.length > 0);
    assert.ok(!RAW_CONTROL.test(all), `${command}: ${JSON.stringify(all.slice(0, 300))}`);
    assert.match(all, /\\u001b/);
    assert.doesNotMatch(all, /internal error|    at /);
  }
});

test('at most 1,000 diagnostics are printed, then one line with the count', () => {
  const file = join(dir, 'many.m3v');
  writeFileSync(file, 'bogus 1\n'.repeat(5000));
  const r = spawnSync(process.execPath, [cliJs, 'check', file], { encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(r.status, 1);
  assert.equal(lines.length, 1001);
  assert.match(lines[1000], /… and 4001 more diagnostics not shown \(at most 1000 per file\)$/);
});

let child: ChildProcess;
let connection: MessageConnection;
const published = new Map<string, PublishDiagnosticsParams>();
const waiting = new Map<string, () => void>();

before(async () => {
  assert.ok(existsSync(serverJs), 'dist/server.js is missing: run `node build.mjs` first');
  child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p);
    waiting.get(p.uri)?.();
  });
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
});

after(() => {
  connection?.dispose();
  child?.kill();
});

/** Opens `text` as a file in the temporary folder and waits (10 s at most: a hang fails) for its diagnostics. */
async function open(name: string, text: string): Promise<PublishDiagnosticsParams> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const got = new Promise<PublishDiagnosticsParams>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${name} within 10 s`)), 10_000);
    waiting.set(uri, () => {
      clearTimeout(timer);
      resolve(published.get(uri)!);
    });
  });
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version: 1, text } });
  return got;
}

test('the language server survives a trace that is /dev/zero or a FIFO, 3,000 nested blocks, and 5,000 errors', async () => {
  execFileSync('mkfifo', [join(dir, 'trace.fifo')]);
  for (const [name, trace, why] of [
    ['zero.m3v', '/dev/zero', /is a character device, not a regular file/],
    ['fifo.m3v', './trace.fifo', /not a regular file/],
    ['missing.m3v', './nowhere.json', /the file does not exist/],
  ] as const) {
    const text = SAMPLE.replace('routing balanced', `routing trace "${trace}"`);
    const d = await open(name, text);
    // Not silent: a warning on the `routing trace` statement says why the trace is not used.
    const w = d.diagnostics.find((x) => x.code === 'trace-not-used');
    assert.ok(w, `${name}: ${JSON.stringify(d.diagnostics.map((x) => x.message))}`);
    assert.equal(w.severity, 2);
    assert.match(typeof w.message === 'string' ? w.message : w.message.value, why);
    const line = text.split('\n').findIndex((l) => l.includes('routing trace'));
    assert.equal(w.range.start.line, line);
  }
  const deep = await open('deep.m3v', '{'.repeat(3000) + '}'.repeat(3000) + '\n');
  assert.ok(deep.diagnostics.some((x) => /nest more than 100 deep/.test(typeof x.message === 'string' ? x.message : x.message.value)));
  const many = await open('many.m3v', 'bogus 1\n'.repeat(5000));
  assert.equal(many.diagnostics.length, 1001);
  const last = many.diagnostics[1000].message;
  assert.match(typeof last === 'string' ? last : last.value, /4001 more diagnostics not shown/);
  // Still alive and answering.
  const lenses = await connection.sendRequest('textDocument/codeLens', { textDocument: { uri: pathToFileURL(join(dir, 'zero.m3v')).href } });
  assert.ok(Array.isArray(lenses));
  assert.equal(child.exitCode, null);
});
