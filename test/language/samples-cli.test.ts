/** Every sample checks clean, and `m3v check` run in-process: text and JSON output, exit codes, usage errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const repoRoot = resolve(__dirname, '..', '..');
const samplesDir = join(repoRoot, 'samples');
const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.m3v')).sort();

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(args, io);
  return { code, out, err };
}

test('the five required samples exist', () => {
  for (const name of ['edge-moe-zcu102.m3v', 'm3vit-small-pascal-zcu104.m3v', 'task-conditioned-gate.m3v', 'dense-vit-baseline.m3v', 'stress.m3v']) assert.ok(samples.includes(name), name);
});

for (const name of samples) {
  test(`sample ${name} checks clean`, () => {
    const a = analyzeDocument(readFileSync(join(samplesDir, name), 'utf8'));
    assert.deepEqual(a.diagnostics.map((d) => d.message), []);
    assert.ok(a.design);
  });
}

test('stress sample is as large as promised', () => {
  const d = analyzeDocument(readFileSync(join(samplesDir, 'stress.m3v'), 'utf8')).design!;
  assert.ok(d.tasks.length >= 32);
  assert.ok(d.model.moe!.experts >= 256);
  assert.ok(d.model.depth >= 48);
  assert.ok(d.targets.length >= 2 && d.budgets.length >= 2 && d.scenarios.length >= 2);
});

test('PASCAL-Context sample has the M3ViT heads', () => {
  const d = analyzeDocument(readFileSync(join(samplesDir, 'm3vit-small-pascal-zcu104.m3v'), 'utf8')).design!;
  assert.deepEqual(d.tasks.map((t) => `${t.name}:${t.head.kind}:${t.head.output}:${t.head.count}`), [
    // M3ViT's PASCAL-Context order and heads (utils/config.py; ../shared/research/measured-boards.md).
    'semseg:pup:classes:21', 'human_parts:pup:classes:7', 'sal:pup:channels:1', 'normals:pup:channels:3', 'edge:pup:channels:1',
  ]);
  // The paper's hardware configuration: K = 4 of N = 16 experts, expert size scaled down four times (hidden 384), 300 MHz.
  assert.deepEqual([d.model.moe!.experts, d.model.moe!.topK, d.model.moe!.hidden], [16, 4, 384]);
  assert.equal(d.targets[0].device, 'xczu7ev');
  assert.equal(d.targets[0].clockHz, 300e6);
});

test('m3v check: clean file prints a summary and exits 0', async () => {
  const r = await run(['check', join(samplesDir, 'edge-moe-zcu102.m3v')]);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, [`${join(samplesDir, 'edge-moe-zcu102.m3v')}: ok — model m3vit_tiny: 129 tokens, 12 layers (6 MoE × 16 experts, top-2), 2 tasks, 1 target, 5 budgets, 1 scenario`]);
});

const dir = mkdtempSync(join(tmpdir(), 'm3v-check-'));
const bad = join(dir, 'bad.m3v');
writeFileSync(bad, readFileSync(join(samplesDir, 'edge-moe-zcu102.m3v'), 'utf8').replace('clock         300 MHz', 'clock         19.2 GB/s'));

test('m3v check: errors print FILE:LINE:COL (1-based) and exit 1', async () => {
  const r = await run(['check', bad]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out, [`${bad}:27:17: error: expected a frequency, got 19.2 GB/s`]);
});

test('m3v check --json prints exactly the diagnostics object', async () => {
  const r = await run(['check', '--json', bad]);
  assert.equal(r.code, 1);
  assert.equal(r.out.length, 1);
  assert.deepEqual(JSON.parse(r.out[0]), {
    diagnostics: [{ file: bad, line: 27, column: 17, endLine: 27, endColumn: 26, severity: 'error', message: 'expected a frequency, got 19.2 GB/s' }],
  });
  const clean = await run(['check', '--json', join(samplesDir, 'dense-vit-baseline.m3v')]);
  assert.equal(clean.code, 0);
  assert.deepEqual(JSON.parse(clean.out[0]), { diagnostics: [] });
});

test('m3v check: several files, exit 1 if any has an error', async () => {
  const r = await run(['check', join(samplesDir, 'dense-vit-baseline.m3v'), bad]);
  assert.equal(r.code, 1);
  assert.equal(r.out.length, 2);
  assert.match(r.out[0], /dense-vit-baseline\.m3v: ok — /);
});

test('m3v check: usage errors are one line, exit 2, no stack', async () => {
  const cases: [string[], string][] = [
    [['check'], 'm3v check: no design file given. Usage: m3v check FILE... [--json]'],
    [['check', join(dir, 'missing.m3v')], `m3v check: cannot read design file '${join(dir, 'missing.m3v')}' (ENOENT)`],
    [['check', dir], `m3v check: design file '${dir}' is a directory, not a regular file`],
    [['check', '--frobnicate', bad], "m3v check: unknown option '--frobnicate'. Usage: m3v check FILE... [--json]"],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.deepEqual(r.err, [message]);
    assert.deepEqual(r.out, []);
  }
});
