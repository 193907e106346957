/**
 * `m3v schedule` and `m3v simulate` in-process, on the spec's Edge-MoE example written to a temp directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeMoeDesignText } from '../fixtures/edgeMoeText';
import { runCli } from '../fixtures/runCli';


const EDGE_MOE = edgeMoeDesignText('ROUTING') + `scenario drive {
  frames repeat 10 { semseg depth semseg }
  fps    25
}
`;

const run = runCli;

function designFile(routing = 'balanced'): string {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-schedule-'));
  const file = join(dir, 'edge.m3v');
  writeFileSync(file, EDGE_MOE.replace('ROUTING', routing));
  return file;
}

test('m3v schedule prints the per-layer summary and JSON with the simulator makespan', async () => {
  const file = designFile();
  const text = await run(['schedule', file, '--task', 'semseg']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /semseg on zcu102, expert_by_expert, 300 MHz \(simulated\)/);
  const json = await run(['schedule', file, '--task', 'semseg', '--json']);
  const parsed = JSON.parse(json.out) as { clock_mhz: number; makespan_cycles: number; events: { lane: string }[]; summary: { strategy: string; loads: number } };
  assert.equal(parsed.clock_mhz, 300);
  // The text and the JSON report the same simulator run, and `m3v analyze` gets its latency from the same simulator.
  assert.match(text.out, new RegExp(`makespan ${parsed.makespan_cycles.toLocaleString('en-US')} cycles = ${(parsed.makespan_cycles / 300e3).toFixed(1)} ms`));
  const analyzed = JSON.parse((await run(['analyze', file, '--json'])).out);
  assert.equal(analyzed.targets[0].strategies.expert_by_expert.latency_cycles.semseg, parsed.makespan_cycles);
  // One load event per weight load; 16 experts × 2 FCs in each of the 6 MoE layers among them.
  assert.equal(parsed.events.filter((e) => e.lane === 'load').length, parsed.summary.loads);
  assert.match(text.out, /^1\s+moe\s+[\d,]+\s+[\d.]+\s+[\d,]+\s+38\s+.*\s16\s+16$/m);
  const tbt = JSON.parse((await run(['schedule', file, '--task', 'depth', '--strategy', 'token_by_token', '--json'])).out);
  assert.equal(tbt.summary.strategy, 'token_by_token');
});

test('m3v schedule: unknown task, strategy, target → exit 2 listing the valid ones', async () => {
  const file = designFile();
  const r1 = await run(['schedule', file, '--task', 'normals']);
  assert.equal(r1.code, 2);
  assert.match(r1.err, /^m3v schedule: unknown task 'normals'; tasks: semseg, depth\n$/);
  const r2 = await run(['schedule', file, '--task', 'semseg', '--strategy', 'greedy']);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /unknown strategy 'greedy'; strategies: all_resident, token_by_token, expert_by_expert/);
  const r3 = await run(['schedule', file, '--task', 'semseg', '--target', 'u50']);
  assert.equal(r3.code, 2);
  assert.match(r3.err, /unknown target 'u50'; targets: zcu102/);
  const r4 = await run(['schedule', file]);
  assert.equal(r4.code, 2);
  assert.match(r4.err, /--task is required; tasks: semseg, depth/);
});

test('m3v schedule: design errors are located and exit 1; a missing or malformed trace is one line, exit 2', async () => {
  const broken = designFile().replace(/edge\.m3v$/, 'broken.m3v');
  writeFileSync(broken, EDGE_MOE.replace('ROUTING', 'balanced').replace('dim    192', 'dim    19.2 GB/s'));
  const r = await run(['schedule', broken, '--task', 'semseg']);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken\.m3v:\d+:\d+: error: /);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');

  const missing = designFile('trace "traces/f0.json"');
  const r2 = await run(['schedule', missing, '--task', 'semseg']);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /^m3v schedule: cannot read routing trace '.*traces\/f0\.json' \(ENOENT\)\n$/);

  const malformed = designFile('trace "traces/f0.json"');
  mkdirSync(join(malformed, '..', 'traces'));
  writeFileSync(join(malformed, '..', 'traces', 'f0.json'), '{"layers": [{"layer": 1, "experts": 3}]}');
  const r3 = await run(['schedule', malformed, '--task', 'semseg']);
  assert.equal(r3.code, 2);
  assert.match(r3.err, /routing trace '.*f0\.json': layers\[0\]\.experts must be an array of per-token arrays of expert indices/);

  // A well-formed trace for the wrong model still schedules, and says so.
  writeFileSync(join(malformed, '..', 'traces', 'f0.json'), JSON.stringify({ tokens: 65, layers: [] }));
  const r4 = await run(['schedule', malformed, '--task', 'semseg']);
  assert.equal(r4.code, 0, r4.err);
  assert.match(r4.out, /routing: layer 1: trace "traces\/f0\.json" has 65 tokens, the design has 129; assumed balanced routing/);
});

test('m3v simulate prints each strategy with its switch model, frames and energy; unknown scenario exits 2', async () => {
  const file = designFile();
  const r = await run(['simulate', file, '--scenario', 'drive']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /scenario drive on zcu102: 30 frames at 25 fps/);
  assert.match(r.out, /expert_by_expert \(declared\): 0 of 30 frames missed/);
  assert.match(r.out, /token_by_token: 30 of 30 frames missed/);
  assert.match(r.out, /20 switches cost 0 cycles/);
  assert.match(r.out, /all_resident: .*\n  all_resident keeps the routers .*20 switches cost \d+ cycles .* and 768160 B beyond normal frames/);
  const json = JSON.parse((await run(['simulate', file, '--scenario', 'drive', '--strategy', 'all_resident', '--json'])).out);
  assert.equal(json.runs.length, 1);
  assert.equal(json.runs[0].frames.length, 30);
  assert.equal(json.runs[0].totals.switchOverheadBytes, 768_160);
  const bad = await run(['simulate', file, '--scenario', 'city']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown scenario 'city'; scenarios: drive/);
});
