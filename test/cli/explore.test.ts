/**
 * `m3v explore` in-process: the documented --json keys on a sample, --csv written atomically, --shard + --merge equal
 * one run, and usage errors as one line (exit 2) — a bad shard, an unknown explore, a file that is not a result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../fixtures/runCli';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'edge-moe-zcu102.m3v');

function inTemp<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-explore-'));
  return f(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('m3v explore --json: evaluated, skipped, failed_budgets and the front with values as written', async () => {
  const r = await runCli(['explore', SAMPLE, '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.points, 105);
  assert.equal(j.evaluated + j.skipped, 105);
  assert.equal(typeof j.failed_budgets, 'number');
  assert.ok(j.front.length > 0);
  for (const p of j.front) {
    assert.deepEqual(Object.keys(p.values), ['linear', 'attention', 'clock']);
    assert.match(p.values.linear, /^\d+ x \d+$/);
    assert.match(p.values.clock, /^\d+ MHz$/);
    assert.equal(typeof p.objectives.dsp, 'number');
    assert.equal(typeof p.objectives.fps, 'number');
  }
});

test('m3v explore --csv and --shard I/N merged with --merge equal one run', async () => {
  await inTemp(async (dir) => {
    const whole = await runCli(['explore', SAMPLE, '--json', '--workers', '2', '--csv', join(dir, 'front.csv')]);
    assert.equal(whole.code, 0, whole.err);
    const csv = readFileSync(join(dir, 'front.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'index,linear,attention,clock,dsp (DSP slices),fps (frames per second)');
    assert.equal(csv.length - 1, JSON.parse(whole.out).front.length);
    assert.deepEqual(readdirSync(dir).sort(), ['front.csv'], 'no temp file left');
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await runCli(['explore', SAMPLE, '--json', '--workers', '1', '--shard', `${i}/3`]);
      assert.equal(s.code, 0, s.err);
      writeFileSync(join(dir, `s${i}.json`), s.out);
      files.push(join(dir, `s${i}.json`));
    }
    const merged = await runCli(['explore', '--merge', ...files, '--json']);
    assert.equal(merged.code, 0, merged.err);
    const a = JSON.parse(whole.out);
    const b = JSON.parse(merged.out);
    for (const key of ['evaluated', 'skipped', 'failed_budgets', 'feasible', 'front', 'best', 'budgets']) assert.deepEqual(b[key], a[key], key);
    writeFileSync(join(dir, 'bad.json'), '{"front": []}');
    const bad = await runCli(['explore', '--merge', files[0], join(dir, 'bad.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /is not an 'm3v explore --json' result/);
  });
});

test('m3v explore usage errors are one line with exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['explore', SAMPLE, '--shard', '3/3'], /--shard expects I\/N with 0 ≤ I < N/],
    [['explore', SAMPLE, '--workers', '0'], /--workers expects a whole number 1..256/],
    [['explore', SAMPLE, '--explore', 'nope'], /unknown explore 'nope'; the design declares: cheapest_30fps/],
    [['explore', '--merge'], /--merge needs the --json results/],
    [['explore'], /missing design file/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1);
  }
});

/**
 * The built CLI as a user runs it, under node flags of both kinds: a V8 heap size (which a worker may not be given
 * explicitly) with and without a module-loader flag (which the bundled worker is started without).
 */
test('dist/cli.js explore on 2 workers under --max-old-space-size, with and without --import', (t) => {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  if (!existsSync(cli)) return t.skip('dist/cli.js is not built (npm test builds it first)');
  const oneRun = (flags: string[]) => spawnSync(process.execPath, [...flags, cli, 'explore', SAMPLE, '--json', '--workers', '2'], { encoding: 'utf8', timeout: 60_000 });
  const plain = oneRun([]);
  assert.equal(plain.status, 0, plain.stderr);
  const front = JSON.parse(plain.stdout).front;
  assert.ok(front.length > 0);
  for (const flags of [['--max-old-space-size=2048'], ['--import', 'tsx', '--max-old-space-size=2048'], ['--import', 'tsx']]) {
    const r = oneRun(flags);
    assert.equal(r.status, 0, `${flags.join(' ')}: ${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout).front, front, flags.join(' '));
  }
});
