/** `m3v serve` as a command: it prints a loopback URL and serves until stopped; bad usage is one line, exit 2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runServe } from '../../cli/commands/serve';
import { runCli } from '../fixtures/runCli';

const samples = join(__dirname, '..', '..', 'samples');

test('serves a folder on 127.0.0.1, prints the URL, lists its designs, and stops cleanly', async () => {
  const lines: string[] = [];
  const stop = new AbortController();
  const done = runServe([samples, '--port', '0'], { out: (t) => void lines.push(t), err: (t) => void lines.push(t) }, stop.signal);
  while (!lines.some((l) => l.startsWith('M3V designer: '))) await new Promise((r) => setTimeout(r, 10));
  const url = /^M3V designer: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(lines[0])?.[1];
  assert.ok(url, lines.join('\n'));
  const list = (await (await fetch(`${url}api/designs`)).json()) as { designs: { label: string }[] };
  assert.ok(list.designs.some((d) => d.label === 'edge-moe-zcu102.m3v'));
  assert.match((await (await fetch(url)).text()), /M3V Designer/);
  stop.abort();
  assert.equal(await done, 0);
  await assert.rejects(fetch(url), 'the server is closed');
});

test('a FILE opens first; a missing path, a non-design file and a bad port are one-line usage errors', async () => {
  const missing = await runCli(['serve', join(samples, 'nope.m3v')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file or folder: .*nope\.m3v/);
  const notDesign = await runCli(['serve', join(samples, 'traces', 'edge-moe-frame0-semseg.json')]);
  assert.equal(notDesign.code, 2);
  assert.match(notDesign.err, /not a \.m3v design/);
  const badPort = await runCli(['serve', samples, '--port', '70000']);
  assert.equal(badPort.code, 2);
  assert.match(badPort.err, /--port must be an integer from 0 to 65535, got '70000'/);
});

test('a port in use is a one-line error that names --port', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = await runCli(['serve', samples, '--port', String(port)]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`port ${port} is in use on 127\\.0\\.0\\.1: pass another with --port N`));
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  } finally {
    blocker.close();
  }
});
