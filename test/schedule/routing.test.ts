import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { routeLayer } from '../../engine/schedule/routing';
import type { RoutingTrace } from '../../engine/routing-trace';
import { tokenCount } from '../../engine/design';
import { designArb, edgeMoeDesign, routingArb } from './fixtures';

function assertWellFormed(r: ReturnType<typeof routeLayer>, tokens: number, experts: number, k: number): void {
  assert.equal(r.perToken.length, tokens);
  assert.equal(r.counts.length, experts);
  assert.equal(r.counts.reduce((a, b) => a + b, 0), tokens * k);
  for (const choice of r.perToken) {
    assert.equal(choice.length, k);
    assert.equal(new Set(choice).size, k, `experts of a token must be distinct: ${choice.join()}`);
    for (const e of choice) assert.ok(Number.isInteger(e) && e >= 0 && e < experts);
  }
}

test('balanced routing of Edge-MoE: 129 tokens × top-2 over 16 experts = 258 → 2 experts get 17, 14 get 16', () => {
  const d = edgeMoeDesign();
  const r = routeLayer(d, 1, { kind: 'balanced' });
  assert.equal(r.source, 'balanced');
  // 258 = 16·16 + 2: the first two experts take the remainder.
  assert.deepEqual(r.counts, [17, 17, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16]);
  assert.deepEqual(r.perToken[0], [0, 1]);
  assert.deepEqual(r.perToken[8], [0, 1]);
  assert.deepEqual(r.perToken[7], [14, 15]);
  assertWellFormed(r, 129, 16, 2);
});

test('worst routing: all 129 tokens on experts 0 and 1', () => {
  const r = routeLayer(edgeMoeDesign(), 3, { kind: 'worst' });
  assert.equal(r.source, 'worst');
  assert.deepEqual(r.counts, [129, 129, ...new Array(14).fill(0)]);
  assertWellFormed(r, 129, 16, 2);
});

test('skewed routing is deterministic per seed and layer, differs across seeds, and favours few experts', () => {
  const d = edgeMoeDesign();
  const a = routeLayer(d, 1, { kind: 'skewed', alpha: 1.5, seed: 7 });
  const b = routeLayer(d, 1, { kind: 'skewed', alpha: 1.5, seed: 7 });
  const c = routeLayer(d, 1, { kind: 'skewed', alpha: 1.5, seed: 8 });
  const otherLayer = routeLayer(d, 3, { kind: 'skewed', alpha: 1.5, seed: 7 });
  assert.deepEqual(a.perToken, b.perToken);
  assert.notDeepEqual(a.perToken, c.perToken);
  assert.notDeepEqual(a.perToken, otherLayer.perToken);
  assertWellFormed(a, 129, 16, 2);
  // With alpha 1.5 the most popular expert has weight 1 vs Σ 1/r^1.5 ≈ 2.2 over 16: it is picked first by about
  // 45 % of tokens; a balanced router would give it 16/258 ≈ 6 %. Assert only a loose, robust bound.
  assert.ok(Math.max(...a.counts) > 40, `max count ${Math.max(...a.counts)}`);
});

test('skewed with alpha 0 is uniform random: every token still gets k distinct experts', () => {
  const r = routeLayer(edgeMoeDesign(), 5, { kind: 'skewed', alpha: 0, seed: 1 });
  assertWellFormed(r, 129, 16, 2);
  assert.ok(Math.max(...r.counts) < 40);
});

function traceOf(layers: RoutingTrace['layers'], extra: Partial<RoutingTrace> = {}): RoutingTrace {
  return { format: 'm3v-routing-trace', version: 1, tokens: 129, experts: 16, top_k: 2, ...extra, layers };
}

test('trace routing uses the traced layer with the same index', () => {
  const experts = Array.from({ length: 129 }, (_, t) => [t % 3, 15]);
  const trace = traceOf([{ layer: 1, experts, scores: experts.map(() => [0.5, 0.2]) }]);
  const r = routeLayer(edgeMoeDesign(), 1, { kind: 'trace', path: 't.json' }, trace);
  assert.equal(r.source, 'trace');
  assert.deepEqual(r.counts, [43, 43, 43, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 129]);
  assertWellFormed(r, 129, 16, 2);
});

test('trace fallbacks: missing layer, wrong tokens, wrong experts, bad expert, repeated expert, no trace', () => {
  const good = Array.from({ length: 129 }, () => [2, 4]);
  const cases: [RoutingTrace | undefined, RegExp][] = [
    [traceOf([{ layer: 3, experts: good, scores: [] }]), /no layer 1/],
    [traceOf([{ layer: 1, experts: good, scores: [] }], { tokens: 65 }), /65 tokens, the design has 129/],
    [traceOf([{ layer: 1, experts: good, scores: [] }], { experts: 8 }), /8 experts, the design has 16/],
    [traceOf([{ layer: 1, experts: good, scores: [] }], { top_k: 1 }), /top_k 1, the design has 2/],
    [traceOf([{ layer: 1, experts: good.slice(1), scores: [] }], { tokens: undefined }), /routes 128 tokens/],
    [traceOf([{ layer: 1, experts: [[2, 16], ...good.slice(1)], scores: [] }]), /token 0 names expert 16, valid are 0..15/],
    [traceOf([{ layer: 1, experts: [...good.slice(1), [3, 3]], scores: [] }]), /token 128 names expert 3 twice/],
    [undefined, /was not loaded/],
  ];
  for (const [trace, reason] of cases) {
    const r = routeLayer(edgeMoeDesign(), 1, { kind: 'trace', path: 't.json' }, trace);
    assert.equal(r.source, 'balanced-fallback');
    assert.match(r.reason ?? '', reason);
    assert.deepEqual(r.counts, routeLayer(edgeMoeDesign(), 1, { kind: 'balanced' }).counts);
  }
});

test('property: every routing of every random design gives N·k assignments of k distinct in-range experts', () => {
  fc.assert(
    fc.property(designArb, routingArb, (design, routing) => {
      const moe = design.model.moe;
      if (!moe) return;
      const n = tokenCount(design.model);
      for (const layer of moe.layers) {
        const r = routeLayer(design, layer, routing);
        assertWellFormed(r, n, moe.experts, moe.topK);
        if (routing.kind === 'balanced') {
          const lo = Math.floor((n * moe.topK) / moe.experts);
          const extra = (n * moe.topK) % moe.experts;
          r.counts.forEach((c, e) => assert.equal(c, lo + (e < extra ? 1 : 0)));
        }
        if (routing.kind === 'worst') r.counts.forEach((c, e) => assert.equal(c, e < moe.topK ? n : 0));
      }
    }),
    { numRuns: 150 },
  );
});
