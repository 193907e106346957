/**
 * Files that are not files (node/safeFiles.ts, used by the CLI, the language server, `m3v serve` and the
 * weights folder reader): FIFOs, directories, a symlink to /dev/zero and oversize files are refused with one clear
 * line before a byte is read; outputs naming an input are refused before any work; writes are atomic and keep the
 * file mode. Generated inputs in a fresh temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRefusal, readRegularFile, refuseOutputsOverInputs, writeFileAtomic, MAX_TRACE_BYTES } from '../../node/safeFiles';
import { edgeMoeTensorSpecs } from '../../model/weights/edgeMoeFolder';
import { analyzeDocument } from '../../language/src/analyze';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const dir = mkdtempSync(join(tmpdir(), 'm3v-files-'));
const SAMPLE = readFileSync(join(__dirname, '..', '..', 'samples', 'edge-moe-zcu102.m3v'), 'utf8');

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** A sparse file of `bytes` (no disk used): what a 3 GB tensor looks like to stat. */
function sparse(name: string, bytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  return { code: await main(args, io), out, err };
}

test('reading refuses a FIFO (without blocking), a directory, a link to /dev/zero and an oversize file', () => {
  const limit = { maxBytes: 1024, what: 'routing trace' };
  const cases: [string, RegExp][] = [
    [fifo('t.fifo.json'), /is a named pipe \(FIFO\), not a regular file/],
    [dir, /is a directory, not a regular file/],
    [(symlinkSync('/dev/zero', join(dir, 'zero.json')), join(dir, 'zero.json')), /is a character device, not a regular file/],
    [sparse('big.json', 3 * 1024 ** 3), /is 3\.00 GiB, over the limit of 1\.00 KiB/],
    [join(dir, 'missing.json'), /cannot read routing trace .*missing\.json' \(ENOENT\)/],
  ];
  for (const [path, message] of cases) assert.throws(() => readRegularFile(path, limit), (e: unknown) => e instanceof FileRefusal && message.test(e.message) && e.message.includes(path));
  writeFileSync(join(dir, 'ok.json'), '{"layers":[]}');
  assert.equal(readRegularFile(join(dir, 'ok.json'), limit).toString(), '{"layers":[]}');
});

test('m3v analyze and check: a routing trace that is /dev/zero, a FIFO or over the trace cap is exit 2 with one line', async () => {
  const fifoTrace = fifo('trace.fifo');
  const bigTrace = sparse('huge-trace.json', MAX_TRACE_BYTES + 1);
  for (const [trace, message] of [['/dev/zero', /character device/], [fifoTrace, /named pipe/], [bigTrace, /over the limit of 64\.00 MiB/]] as const) {
    const design = join(dir, `traced-${Math.random().toString(36).slice(2)}.m3v`);
    writeFileSync(design, SAMPLE.replace('routing balanced', `routing trace "${trace}"`));
    const r = await cli(['analyze', design]);
    assert.equal(r.code, 2, r.err.join('\n'));
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], message);
    assert.doesNotMatch(r.err[0], /\n|at .*\.ts:/);
  }
  const r = await cli(['check', '/dev/zero']);
  assert.equal(r.code, 2);
  assert.match(r.err[0], /design file '\/dev\/zero' is a character device/);
});

test('Edge-MoE weights folder: a tensor that is a FIFO, a directory, a /dev/zero link or too big is refused by name, before reading', async () => {
  const design = join(dir, 'design.m3v');
  writeFileSync(design, SAMPLE);
  const spec = edgeMoeTensorSpecs(analyzeDocument(SAMPLE).design!)[0];
  const file = `${spec.name}.float32.bin`;
  const need = spec.shape.reduce((a, b) => a * b, 1) * 4;
  const makers: [string, (path: string) => void, RegExp][] = [
    ['fifo', (p) => execFileSync('mkfifo', [p]), /named pipe/],
    ['dir', (p) => mkdirSync(p), /directory/],
    ['zero', (p) => symlinkSync('/dev/zero', p), /character device/],
    ['big', (p) => sparse(p.slice(dir.length + 1), 3 * 1024 ** 3), new RegExp(`3\\.00 GiB, over the limit .*needs ${need} bytes`)],
  ];
  for (const [name, make, message] of makers) {
    const folder = join(dir, `weights-${name}`);
    mkdirSync(folder);
    make(join(folder, file));
    const r = await cli(['export-onnx', design, '-o', join(dir, `${name}.onnx`), '--weights', folder]);
    assert.equal(r.code, 2, `${name}: ${r.err.join('\n')}`);
    assert.match(r.err[0], message, name);
    assert.ok(r.err[0].includes(file), `${name}: names the tensor file`);
  }
});

test('outputs that name an input, or each other, are refused before any work; nothing is written', async () => {
  const design = join(dir, 'mine.m3v');
  writeFileSync(design, SAMPLE);
  const cases: string[][] = [
    ['export-onnx', design, '-o', design],
    ['export-weights', design, '-o', join(dir, '.', 'mine.m3v')],
    ['run', design, '--task', 'semseg', '--trace', design],
    ['run', design, '--task', 'semseg', '--trace', join(dir, 'a.json'), '--features', join(dir, 'a.json')],
  ];
  linkSync(design, join(dir, 'hardlink.m3v'));
  cases.push(['export-weights', design, '-o', join(dir, 'hardlink.m3v')]);
  for (const args of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err[0], /refusing to overwrite it/);
    assert.equal(readFileSync(design, 'utf8'), SAMPLE, 'the design is untouched');
  }
  assert.throws(() => refuseOutputsOverInputs([{ label: '-o', path: '/dev/null' }], []), /character device, not a regular file/);
});

test('writes are atomic (no temporary file left), keep an existing file\'s mode, and fail with the old file whole', () => {
  const out = join(dir, 'out.bin');
  writeFileSync(out, 'old');
  chmodSync(out, 0o600);
  writeFileAtomic(out, 'new contents');
  assert.equal(readFileSync(out, 'utf8'), 'new contents');
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  // A folder that does not exist: the write fails as one line, nothing is left behind.
  assert.throws(() => writeFileAtomic(join(dir, 'nope', 'x.bin'), 'x'), (e: unknown) => e instanceof FileRefusal && /cannot write output .*ENOENT.*unchanged/.test(e.message));
  assert.throws(() => writeFileAtomic(dir, 'x'), /is a directory, not a regular file: refusing to replace it/);
});
