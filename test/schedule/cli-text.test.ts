/** The text reports of `m3v schedule` and `m3v simulate` on the Edge-MoE fixture (no file, no parser needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateFrame, simulateScenario } from '../../engine/schedule/index';
import { scheduleText } from '../../cli/commands/schedule-text';
import { scenarioText } from '../../cli/commands/simulate-text';
import { edgeMoeDesign } from './fixtures';

test('schedule text: header, one row per layer with kind, cycles, ms, loads and experts, then lanes', () => {
  const s = simulateFrame({ design: edgeMoeDesign(), task: 'semseg', target: 'zcu102' });
  const text = scheduleText(s, 12);
  const lines = text.split('\n');
  assert.equal(lines[0], 'semseg on zcu102, expert_by_expert, 300 MHz (simulated)');
  // The line restates the simulator's own totals (pinned by hand in schedule.test.ts), in cycles and at 300 MHz.
  const head = /^makespan ([\d,]+) cycles = ([\d.]+) ms; weight loads 34\.3 MiB in (\d+) loads; compute waited ([\d,]+) cycles for weights$/.exec(lines[1]);
  assert.ok(head, lines[1]);
  const int = (t: string) => Number(t.replace(/,/g, ''));
  assert.equal(int(head[1]), s.makespan_cycles);
  assert.equal(head[2], (s.makespan_cycles / 300e3).toFixed(1));
  assert.equal(Number(head[3]), s.summary.loads);
  assert.equal(int(head[4]), s.summary.stallCycles);
  // embed, 12 blocks, head.
  const rows = lines.filter((l) => /^(embed|head|\d+)\s/.test(l));
  assert.equal(rows.length, 14);
  const layer = (n: number) => s.summary.layers.find((l) => l.layer === n)!;
  const fmt = (n: number) => n.toLocaleString('en-US');
  assert.match(text, new RegExp(`^1\\s+moe\\s+${fmt(layer(1).cycles)}\\s+${(layer(1).cycles / 300e3).toFixed(3)}\\s+${fmt(layer(1).stallCycles)}\\s+38\\s+.*\\s16\\s+16$`, 'm'));
  assert.match(text, new RegExp(`^2\\s+dense\\s+${fmt(layer(2).cycles)}\\s+${(layer(2).cycles / 300e3).toFixed(3)}\\s+${fmt(layer(2).stallCycles)}\\s+7\\s`, 'm'));
  assert.match(text, /^lanes busy: load \d+\.\d %, linear \d+\.\d %, attention/m);
  assert.match(text, /^not costed: DDR contention/m);
});

test('simulate text: per strategy the totals, the switch model sentence and one line per frame', () => {
  const text = scenarioText(simulateScenario(edgeMoeDesign(), 'drive'));
  assert.match(text, /^scenario drive on zcu102: 30 frames at 25 fps \(deadline 40\.000 ms after each release\), simulated$/m);
  // ~35 ms frames (the measured board: 34.64 ms) fit the 40 ms period; token_by_token (~125 ms) misses every frame.
  assert.match(text, /^expert_by_expert \(declared\): 0 of 30 frames missed; worst latency 3[45]\.\d{3} ms/m);
  assert.match(text, /^token_by_token: 30 of 30 frames missed/m);
  // A switch reloads the new task's routers (6 layers × 16 × 192 × 2 B = 36,864 B) and head (192·k + k biases, ×2 B:
  // 1,544 B for semseg's 7 classes, 386 B for depth's 1 channel): 38,408 B into semseg, 37,250 B into depth.
  assert.match(text, /^ {2}all_resident keeps the routers .* 20 switches cost \d+ cycles \([\d.]+ ms\) and 768160 B beyond normal frames/m);
  assert.equal(text.split('\n').filter((l) => /^\s+\d+\s+(semseg|depth)\s/.test(l)).length, 90);
  assert.equal(text.split('\n').filter((l) => /MISSED$/.test(l)).length, 30);
});
