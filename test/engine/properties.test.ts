/**
 * Property tests over random valid designs (fast-check): every number finite and non-negative, counts monotonic in
 * experts, top_k, tokens and depth, and the strategy invariants that hold by construction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countDesign } from '../../engine/costs/taskCounts';
import { countParams } from '../../engine/costs/params';
import { planOnchip } from '../../engine/memory/buffers';
import { frameTraffic } from '../../engine/memory/traffic';
import { routeAllLayers } from '../../engine/schedule/routing';
import { analyzeDesign } from '../../engine/analyze';
import { analysisToJson } from '../../engine/analysisJson';
import type { Design, HeadSpec } from '../../engine/design';
import { task, target } from './fixtures';

const span = { start: 0, end: 0 };

interface Shape {
  heads: number;
  headDim: number;
  depth: number;
  gridH: number;
  gridW: number;
  patch: number;
  experts: number;
  topK: number;
  hidden: number;
  mlp: number;
  shared: boolean;
  head: 'linear' | 'cls' | 'pup';
  every: number;
}

const shapeArb: fc.Arbitrary<Shape> = fc
  .record({
    heads: fc.integer({ min: 1, max: 4 }),
    headDim: fc.integer({ min: 4, max: 32 }),
    depth: fc.integer({ min: 1, max: 6 }),
    gridH: fc.integer({ min: 1, max: 6 }),
    gridW: fc.integer({ min: 1, max: 6 }),
    patch: fc.constantFrom(4, 8, 16),
    experts: fc.integer({ min: 1, max: 12 }),
    topK: fc.integer({ min: 1, max: 12 }),
    hidden: fc.integer({ min: 4, max: 96 }),
    mlp: fc.integer({ min: 4, max: 128 }),
    shared: fc.boolean(),
    head: fc.constantFrom('linear' as const, 'cls' as const, 'pup' as const),
    every: fc.integer({ min: 1, max: 3 }),
  })
  .map((s) => ({ ...s, topK: Math.min(s.topK, s.experts) }));

function designOf(s: Shape): Design {
  const dim = s.heads * s.headDim;
  const layers = Array.from({ length: s.depth }, (_, i) => i).filter((i) => i % s.every === s.every - 1 || s.every === 1);
  const head: HeadSpec = s.head === 'pup' ? { kind: 'pup', output: 'classes', count: 3, width: 8 } : s.head === 'cls' ? { kind: 'cls', output: 'classes', count: 5 } : { kind: 'linear', output: 'classes', count: 4 };
  return {
    model: {
      name: 'rand',
      span,
      input: { channels: 3, height: s.gridH * s.patch, width: s.gridW * s.patch },
      patch: { height: s.patch, width: s.patch },
      dim,
      heads: s.heads,
      depth: s.depth,
      mlpHidden: s.mlp,
      cls: true,
      eps: 1e-6,
      moe: layers.length
        ? {
            span,
            layers,
            experts: s.experts,
            topK: s.topK,
            hidden: s.hidden,
            gate: s.shared ? { kind: 'shared', embedDim: 8 } : { kind: 'per_task' },
            routing: { kind: 'balanced' },
          }
        : undefined,
    },
    tasks: [task('a', head), task('b', { kind: 'linear', output: 'channels', count: 1 })],
    targets: [target('xczu7ev', { name: 'zcu104' }), target('xczu3eg', { name: 'ultra96', linear: { inputs: 8, outputs: 8, units: 1 } })],
    budgets: [],
    scenarios: [],
  };
}

function allFiniteNonNegative(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) || value < 0 ? `${path} = ${value}` : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = allFiniteNonNegative(value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Reductions may be negative by definition (a MoE can cost more than the dense baseline).
      // `layer` is -1 for the embedding by definition.
      if (k.startsWith('reduction') || k === 'layer') continue;
      const bad = allFiniteNonNegative(v, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return undefined;
}

test('the full analysis of a random design has no NaN and no negative number', () => {
  fc.assert(
    fc.property(shapeArb, (s) => {
      const json = analysisToJson(analyzeDesign(designOf(s), { skipSwitch: false }));
      const bad = allFiniteNonNegative(json);
      assert.equal(bad, undefined, bad);
    }),
    { numRuns: 40 },
  );
});

test('MACs grow strictly with experts, top_k, tokens and depth', () => {
  const macs = (d: Design) => countDesign(d).tasks[0].count.macs;
  fc.assert(
    fc.property(shapeArb, (s) => {
      const base = macs(designOf(s));
      if (designOf(s).model.moe) {
        // One more expert adds gate logits (N × d_gate per token); one more top_k adds N expert passes.
        assert.ok(macs(designOf({ ...s, experts: s.experts + 1 })) > base);
        if (s.topK < s.experts) assert.ok(macs(designOf({ ...s, topK: s.topK + 1 })) > base);
      }
      assert.ok(macs(designOf({ ...s, gridW: s.gridW + 1 })) > base);
      assert.ok(macs(designOf({ ...s, depth: s.depth + 1 })) > base);
    }),
    { numRuns: 100 },
  );
});

test('parameters grow with experts; expert loads of expert_by_expert ≤ the other strategies; expert storage per strategy', () => {
  fc.assert(
    fc.property(shapeArb, (s) => {
      const d = designOf(s);
      if (!d.model.moe) return;
      assert.ok(countParams(designOf({ ...s, experts: s.experts + 1 })).total > countParams(d).total);
      const params = countParams(d);
      const routings = routeAllLayers(d, { kind: 'balanced' });
      const t = d.targets[0];
      const ebe = frameTraffic(d, t, 'expert_by_expert', d.tasks[0], params, routings);
      const tbt = frameTraffic(d, t, 'token_by_token', d.tasks[0], params, routings);
      const all = frameTraffic(d, t, 'all_resident', d.tasks[0], params, routings);
      // Each used expert is loaded at least once by token_by_token, exactly once by expert_by_expert.
      assert.ok(ebe.expertLoads <= tbt.expertLoads);
      assert.ok(ebe.expertLoads <= all.expertLoads);
      // Expert weights on chip: all_resident holds all E experts (fc1 + fc2); expert_by_expert holds none beyond
      // its ping/pong, which are sized by the larger of a dense matrix and one expert matrix.
      const expertStore = planOnchip(d, t, 'all_resident').buffers.find((b) => b.name === 'expert_weights_all')!.bytes;
      const wB = 2;
      assert.equal(expertStore, s.experts * 2 * Math.ceil((d.model.dim * s.hidden) / 256) * 256 * wB);
      const ping = planOnchip(d, t, 'expert_by_expert').buffers.find((b) => b.name === 'linear_weights_ping')!.bytes;
      // Heads also run through ping/pong (linear: D×4 and D×1, cls: D×5); pup convolutions are checked elsewhere.
      // The buffer is laid out in 16 × 16 tiles (Edge-MoE load_linear_weights writes one block per tile), so each
      // matrix out × in needs ⌈out/16⌉·⌈in/16⌉ words of 256 weights.
      if (s.head !== 'pup') {
        const D = d.model.dim;
        const words = (out: number, inn: number) => Math.ceil(out / 16) * Math.ceil(inn / 16);
        const mats: [number, number][] = [[D, D], [s.hidden, D], [D, s.hidden], [s.head === 'cls' ? 5 : 4, D]];
        if (s.depth > d.model.moe.layers.length) mats.push([s.mlp, D], [D, s.mlp]);
        const maxWords = Math.max(...mats.map(([o, i]) => words(o, i)));
        assert.equal(ping, maxWords * 256 * wB);
      }
    }),
    { numRuns: 100 },
  );
});
