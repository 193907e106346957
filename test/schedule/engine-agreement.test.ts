/**
 * The schedule and the engine's traffic model (engine/memory/traffic.ts) count the same weight loads: for every
 * strategy in steady state, the bytes the simulated frame loads equal the traffic model's weight + expert bytes,
 * and the expert loads per MoE layer agree. One of them drifting from the other fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STRATEGIES } from '../../engine/design';
import type { Design, Strategy } from '../../engine/design';
import { frameSummary, routeAllLayers } from '../../engine/schedule/index';
import { frameTraffic } from '../../engine/memory/traffic';
import { countParams } from '../../engine/costs/params';
import { designArb, edgeMoeDesign } from './fixtures';

function agree(design: Design, strategy: Strategy, targetName: string): void {
  const target = design.targets.find((t) => t.name === targetName)!;
  for (const task of design.tasks) {
    const s = frameSummary({ design, task: task.name, target: targetName, strategy });
    const routings = design.model.moe ? routeAllLayers(design, design.model.moe.routing) : [];
    const traffic = frameTraffic(design, target, strategy, task, countParams(design), routings);
    assert.equal(s.loadBytes, traffic.weights + traffic.experts, `${strategy} ${task.name}: weight bytes loaded`);
    const scheduledExpertLoads = s.layers.reduce((a, l) => a + (l.expertLoads ?? 0), 0);
    assert.equal(scheduledExpertLoads, traffic.expertLoads, `${strategy} ${task.name}: expert loads`);
  }
}

test('Edge-MoE: schedule loads = traffic model weights + experts, for every strategy', () => {
  for (const strategy of STRATEGIES) agree(edgeMoeDesign(), strategy, 'zcu102');
  for (const strategy of STRATEGIES) agree(edgeMoeDesign({ kind: 'skewed', alpha: 1.1, seed: 5 }), strategy, 'zcu102');
});

test('property: schedule loads = traffic model on random designs', () => {
  fc.assert(
    fc.property(designArb, fc.constantFrom(...STRATEGIES), (design, strategy) => agree(design, strategy, 'fpga')),
    { numRuns: 100 },
  );
});

test('property: they agree with the router on the linear arrays and weight buffers that tile the matrices too', () => {
  fc.assert(
    fc.property(designArb, fc.constantFrom(...STRATEGIES), fc.constantFrom(512, 4096, 65536), (design, strategy, bufferBytes) => {
      const tiled: Design = {
        ...design,
        targets: design.targets.map((t) => ({ ...t, gateUnit: undefined, weightBuffer: { kind: 'bytes' as const, bytes: bufferBytes }, queues: 'compact' as const })),
      };
      agree(tiled, strategy, 'fpga');
    }),
    { numRuns: 100 },
  );
});
