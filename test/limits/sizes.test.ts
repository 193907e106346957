/**
 * Sizes the machine cannot hold, on generated designs: run/export estimate memory before allocating and refuse over
 * --max-memory with the figures; the analysis is linear in tasks (the switch cost has one entry per task, not per
 * pair) and refuses what it cannot do in bounded time with one located error that `check` reports too; --threads
 * is bounded by the cores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { ANALYSIS_LIMITS, analysisLimitProblem } from '../../language/src/check/limits';
import { analyzeDesign } from '../../engine/index';
import { estimateMemory, memoryBudget } from '../../cli/commands/memory-budget';
import { parseThreads } from '../../cli/commands/run';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const root = join(__dirname, '..', '..');
const SAMPLE = readFileSync(join(root, 'samples', 'edge-moe-zcu102.m3v'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'm3v-sizes-'));
const head = SAMPLE.slice(0, SAMPLE.indexOf('task semseg'));
const hardware = SAMPLE.slice(SAMPLE.indexOf('hardware zcu102'), SAMPLE.indexOf('budget zcu102'));

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  return { code: await main(args, io), out, err };
}

test('run, export-onnx and export-weights refuse the stress sample over --max-memory, with the figure, before allocating', async () => {
  const stress = join(root, 'samples', 'stress.m3v');
  for (const args of [['run', stress, '--task', 't00'], ['export-onnx', stress, '-o', join(dir, 'x.onnx')], ['export-weights', stress, '-o', join(dir, 'x.st')], ['export-weights', stress, '-o', join(dir, 'y.st'), '--names', 'm3vit']]) {
    const before = process.memoryUsage().rss;
    const r = await cli([...args, '--max-memory', '2GB']);
    assert.equal(r.code, 2, r.err.join('\n'));
    assert.match(r.err[0], /needs about [\d.]+ GiB of memory \([\d.]+ GiB of float32 weights \(\d+ parameters\).*over the budget of 2\.00 GiB/);
    assert.ok(process.memoryUsage().rss - before < 512 * 1024 ** 2, 'refused before the weights were allocated');
    assert.ok(!existsSync(args[3] ?? ''), 'nothing written');
  }
});

test('the weight estimate is 4 bytes per parameter, counted by hand for a small MoE', () => {
  // input 3 x 32 x 32, patch 16 → 4 patches + cls = 5 tokens; dim 8, 1 head, depth 2, mlp 2x (16), moe in layer 1:
  // 2 experts of hidden 4, top-1, one task with a linear head of 3 classes.
  const text = 'model t {\n  input 3 x 32 x 32\n  patch 16\n  dim 8\n  heads 1\n  depth 2\n  mlp 2x\n  moe {\n    layers [1]\n    experts 2\n    top_k 1\n    hidden 4\n  }\n}\ntask a { head linear classes 3 }\nhardware h { device xczu9eg; clock 100 MHz }\n';
  const design = analyzeDocument(text).design!;
  // patch embed 768·8 + 8; pos 5·8; cls 8; per block: norms 4·8, qkv 8·24 + 24, proj 64 + 8 → 320;
  // dense MLP (block 0): 8·16 + 16 + 16·8 + 8 = 280; expert: 8·4 + 4 + 4·8 + 8 = 76, × 2; gate 8·2 = 16; head 8·3 + 3 = 27.
  const params = 768 * 8 + 8 + 40 + 8 + 2 * 320 + 280 + 2 * 76 + 16 + 27;
  assert.equal(estimateMemory(design, 'export-weights').weightBytes, 4 * params);
  assert.throws(() => memoryBudget('lots'), /--max-memory must be a size such as 2GB/);
  assert.equal(memoryBudget('1.5GB').bytes, 1.5 * 1024 ** 3);
});

test('the switch cost has one entry per task, not per pair (2,000 generated tasks)', () => {
  const tasks = Array.from({ length: 2000 }, (_, i) => `task t${i} { head linear classes 7 }`).join('\n');
  const a = analyzeDocument(`${head}${tasks}\n${hardware}`);
  assert.ok(a.design, a.diagnostics.slice(0, 3).map((d) => d.message).join(' | '));
  const report = analyzeDesign(a.design, { strategies: ['all_resident'] });
  const resident = report.targets[0].strategies[0];
  assert.equal(resident.switchCost.toTask.length, 2000, 'was 2000 × 1999 pairs');
  assert.ok(resident.switchCost.bytes > 0);
});

test('designs beyond the analysis limits are one located error in check and in analyze (the same function)', async () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `hardware h${i} { device xczu9eg; clock 300 MHz }`).join('\n');
  const cases: [string, RegExp][] = [
    [`${head}task a { head linear classes 7 }\n${many(10_000)}\n`, /the design has 10000 hardware targets; the analysis handles at most 1000/],
    [`${SAMPLE.replace('input 3 x 128 x 256', 'input 3 x 65536 x 65536').replace('patch 16', 'patch 8')}`, /67108865 tokens per frame/],
    [`${head}${Array.from({ length: 200 }, (_, i) => `task t${i} { head linear classes 7 }`).join('\n')}\n${many(200)}\n`, /200 targets × 200 tasks/],
    [`${head}${Array.from({ length: 5001 }, (_, i) => `task t${i} { head linear classes 7 }`).join('\n')}\n${hardware}`, /the design has 5001 tasks; the analysis handles at most 5000/],
  ];
  for (const [text, message] of cases) {
    const a = analyzeDocument(text);
    const e = a.diagnostics.find((d) => d.code === 'design-too-large');
    assert.ok(e, a.diagnostics.slice(0, 3).map((d) => d.message).join(' | '));
    assert.match(e.message, message);
    assert.equal(a.design, undefined, 'check does not say ok');
    const file = join(dir, `big-${Math.random().toString(36).slice(2)}.m3v`);
    writeFileSync(file, text);
    const checked = await cli(['check', file]);
    assert.equal(checked.code, 1);
    assert.ok(checked.out.some((l) => message.test(l)));
    const analyzed = await cli(['analyze', file]);
    assert.equal(analyzed.code, 1);
    assert.ok(analyzed.err.some((l) => message.test(l)), analyzed.err.join('\n'));
  }
  // Just under every limit is accepted by the same function.
  const ok = analyzeDocument(`${head}task a { head linear classes 7 }\n${many(ANALYSIS_LIMITS.targets)}\n`);
  assert.ok(ok.design && analysisLimitProblem(ok.design) === undefined);
});

test('--threads is bounded by the cores: 10000 is refused at once, clearly', async () => {
  assert.throws(() => parseThreads('10000', 2), /--threads must be a whole number from 1 to 2 \(the cores of this machine\), got '10000'/);
  assert.equal(parseThreads('2', 2), 2);
  assert.throws(() => parseThreads('0', 8), /from 1 to 8/);
  const design = join(dir, 'd.m3v');
  writeFileSync(design, SAMPLE);
  const r = await cli(['run', design, '--task', 'semseg', '--threads', '10000']);
  assert.equal(r.code, 2);
  assert.match(r.err[0], /--threads must be a whole number from 1 to \d+/);
});
