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
  assert.match(lines[1], /^makespan 5,514,230 cycles = 18\.4 ms; weight loads 34\.3 MiB in \d+ loads; compute waited 4,646 cycles for weights$/);
  // embed, 12 blocks, head.
  const rows = lines.filter((l) => /^(embed|head|\d+)\s/.test(l));
  assert.equal(rows.length, 14);
  assert.match(text, /^1\s+moe\s+453,940\s+1\.513\s+0\s+38\s+.*\s16\s+16$/m);
  assert.match(text, /^2\s+dense\s+446,208\s+1\.487\s+0\s+7\s/m);
  assert.match(text, /^lanes busy: load \d+\.\d %, linear \d+\.\d %, attention/m);
  assert.match(text, /^not costed: DDR contention/m);
});

test('simulate text: per strategy the totals, the switch model sentence and one line per frame', () => {
  const text = scenarioText(simulateScenario(edgeMoeDesign(), 'drive'));
  assert.match(text, /^scenario drive on zcu102: 30 frames at 30 fps \(deadline 33\.333 ms after each release\), simulated$/m);
  assert.match(text, /^expert_by_expert \(declared\): 0 of 30 frames missed; worst latency 18\.38\d ms/m);
  assert.match(text, /^token_by_token: 30 of 30 frames missed/m);
  assert.match(text, /^ {2}all_resident keeps the routers .* 20 switches cost 13300 cycles \(0\.044 ms\) and 768160 B beyond normal frames \(665 cycles, 38408 B each\)/m);
  assert.equal(text.split('\n').filter((l) => /^\s+\d+\s+(semseg|depth)\s/.test(l)).length, 90);
  assert.equal(text.split('\n').filter((l) => /MISSED$/.test(l)).length, 30);
});
