/**
 * The schedule invariants over every sample design (samples/*.m3v) for every task × target × strategy, and every
 * scenario.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRATEGIES } from '../../engine/design';
import type { Design } from '../../engine/design';
import { frameLatency, simulateScenario } from '../../engine/schedule/index';
import { checkAllInvariants } from './invariants';
import { analyzeDocument } from '../../language/src/analyze';

const root = join(__dirname, '..', '..');
const samplesDir = join(root, 'samples');
const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.m3v')).sort();

async function designOf(file: string): Promise<Design | undefined> {
  return analyzeDocument(readFileSync(join(samplesDir, file), 'utf8')).design;
}

test('every sample: invariants for every task × target × strategy, and every scenario', async (t) => {
  for (const file of samples) {
    await t.test(file, async () => {
      const design = await designOf(file);
      // Samples whose routing names a trace file are scheduled with the balanced fallback here (no file I/O).
      assert.ok(design, `${file} has errors`);
      for (const target of design.targets)
        for (const strategy of STRATEGIES)
          design.tasks.forEach((task, i) => {
            // Every event-level invariant on the first task (the backbone is the same for all tasks); the head of
            // every other task through the numbers-only path, which must still add up.
            if (i === 0) {
              checkAllInvariants(design, { task: task.name, target: target.name, strategy });
              if (strategy === 'all_resident') checkAllInvariants(design, { task: task.name, target: target.name, strategy, previousTask: null });
            } else {
              const lat = frameLatency({ design, task: task.name, target: target.name, strategy });
              assert.equal(lat.perLayer.reduce((a, l) => a + l.cycles, 0), lat.cycles);
            }
          });
      for (const scenario of design.scenarios)
        for (const target of design.targets) {
          const r = simulateScenario(design, scenario.name, { target: target.name });
          for (const run of r.runs) {
            assert.equal(run.frames.length, scenario.frames.length);
            if (run.strategy !== 'all_resident') assert.equal(run.totals.switchOverheadBytes, 0);
          }
        }
    });
  }
});
