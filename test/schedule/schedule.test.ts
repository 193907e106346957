import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STRATEGIES } from '../../engine/design';
import type { Design, RoutingSpec } from '../../engine/design';
import { frameLatency, frameSummary, frameTime, simulateFrame, ScheduleRequestError, OP_FILL_CYCLES } from '../../engine/schedule/index';
import { designArb, edgeMoeDesign, denseDesign, zcu102 } from './fixtures';
import { checkAllInvariants } from './invariants';

const base = { task: 'semseg', target: 'zcu102' } as const;

function durations(design: Design, strategy: (typeof STRATEGIES)[number], layer: number, op: string): number[] {
  return simulateFrame({ design, ...base, strategy })
    .events.filter((e) => e.layer === layer && e.op === op)
    .map((e) => e.end - e.start);
}

// The Edge-MoE board as built (fixtures.ts zcu102): every port 128 bit = 16 B a clock, DDR4-2133 × 64 bit =
// 17.07 GB/s = 56.9 B a clock at 300 MHz, four activation ports, loads then computes (prefetch off).
const PORT = 16;

test('cycle model on the Edge-MoE board as built: 16×16 MACs, 4×8 attention, 128-bit ports at 300 MHz', () => {
  const d = edgeMoeDesign();
  const fill = OP_FILL_CYCLES;
  // Q: 129 rows × ⌈192/16⌉ × ⌈192/16⌉ = 18,576 MAC cycles; its read and write streams (129·192·4 B each on their own
  // port) take 99,072 / 16 = 6,192 cycles: the MACs set the pace.
  assert.deepEqual(durations(d, 'expert_by_expert', 2, 'q'), [fill + 129 * 12 * 12]);
  // Dense fc1 192→768: 129 × 12 × 48 MACs; writing 129·768·4 B = 396,288 B / 16 = 24,768 cycles is slower than reading.
  assert.deepEqual(durations(d, 'expert_by_expert', 2, 'fc1'), [fill + 129 * 12 * 48]);
  // Q·Kᵀ: 33 passes × 129 key steps; a step streams one 192-value K row (768 B) through a 16 B port = 48 cycles,
  // slower than the unit's ⌈192/8⌉ = 24 (attention.cpp read_kv: one 256-bit block per iteration, 2 port beats each).
  assert.deepEqual(durations(d, 'expert_by_expert', 2, 'qk'), [fill + 33 * 129 * (768 / PORT)]);
  assert.deepEqual(durations(d, 'expert_by_expert', 2, 'av'), [fill + 33 * 129 * (768 / PORT)]);
  // Gate unit 16×8: per token ⌈192/8⌉ = 24 logit cycles, then the running softmax at II 3 and the top-k at II 1 over
  // 16 experts (moe.cpp lines 207, 138): 24 + 16·4 = 88; its input stream (768 B / 16 = 48 cycles) is faster.
  assert.deepEqual(durations(d, 'expert_by_expert', 1, 'gate'), [fill + 129 * 88]);
  // LayerNorm: read x and write the result, 99,072 B each on their own port = 6,192 cycles; two passes of the
  // 8-lane unit over 24,768 values take the same 6,192.
  assert.deepEqual(durations(d, 'expert_by_expert', 2, 'norm1'), [fill + 6192]);
  // Residual add x += tmp: x is read and written through one port (2 × 99,072 B / 16).
  assert.deepEqual(durations(d, 'expert_by_expert', 2, 'add1'), [fill + 12_384]);
  // Balanced: experts 0,1 get 17 tokens, the rest 16. fc1: rows × 12 × 24; fc2 (384→192): rows × 24 × 12.
  const fc1 = durations(d, 'expert_by_expert', 1, 'expert_fc1');
  assert.deepEqual(fc1, [17, 17, ...new Array(14).fill(16)].map((rows) => fill + rows * 288));
  assert.deepEqual(durations(d, 'expert_by_expert', 1, 'expert_fc2'), fc1);
  // Expert fc1 weights: (192·384 + 384) × 2 B = 148,224 B through the 16 B weight port = 9,264 cycles.
  const loads = simulateFrame({ design: d, ...base }).events.filter((e) => e.layer === 1 && e.what === 'fc1');
  assert.equal(loads.length, 16);
  for (const l of loads) {
    assert.equal(l.bytes, 148_224);
    assert.equal(l.end - l.start, fill + 148_224 / PORT);
  }
});

test('Edge-MoE as built (prefetch off): each load and compute runs alone, so a layer is the sum of its steps', () => {
  const d = edgeMoeDesign();
  const s = frameSummary({ design: d, ...base, strategy: 'expert_by_expert' });
  const fill = OP_FILL_CYCLES;
  const load = (bytes: number) => fill + Math.ceil(bytes / PORT);
  const norm = fill + 6192;
  const add = fill + 12_384;
  const lin192 = fill + 129 * 144;
  const attn = fill + 33 * 129 * 48;
  const mlp = fill + 129 * 12 * 48;
  const qkvp = 4 * load(74_112); // (192·192 + 192) × 2 B each
  const norms = load(4 * 192 * 2);
  const denseLoads = norms + qkvp + load(296_448) + load(295_296); // fc1, fc2 with biases
  const dense = denseLoads + norm + 4 * lin192 + 2 * attn + add + norm + 2 * mlp + add;
  const experts = 2 * 2 * (fill + 17 * 288) + 14 * 2 * (fill + 16 * 288);
  const expertLoads = 16 * (load(148_224) + load(147_840));
  const zero = fill + 99_072 / PORT;
  const moeLoads = norms + qkvp + load(192 * 16 * 2) + expertLoads;
  const moe = moeLoads + norm + 4 * lin192 + 2 * attn + add + norm + (fill + 129 * 88) + zero + experts + add;
  for (const l of s.layers) {
    if (l.kind === 'dense') assert.deepEqual([l.cycles, l.stallCycles], [dense, denseLoads], `layer ${l.layer}`);
    if (l.kind === 'moe') {
      assert.deepEqual([l.cycles, l.stallCycles, l.expertsUsed, l.expertLoads], [moe, moeLoads, 16, 16], `layer ${l.layer}`);
      assert.equal(l.loadBytes, 4 * 74_112 /* norms are separate */ + 1536 + 6144 /* gate 192·16·2 */ + 16 * (148_224 + 147_840));
    }
  }
  // The measured board: 34.64 ms (../shared/research/measured-boards.md); the blocks alone are 6 dense + 6 MoE layers.
  const blocks = (6 * dense + 6 * moe) / 300e6;
  assert.ok(blocks > 0.9 * 0.03464 && blocks < 1.1 * 0.03464, `${blocks}`);
  assert.ok(s.seconds >= blocks);
});

test('prefetch on: the next weights load under the current compute, and the frame gets faster by the hidden loads', () => {
  const d = edgeMoeDesign();
  const off = frameSummary({ design: d, ...base, strategy: 'expert_by_expert' });
  d.targets = [zcu102({ memory: { weightPortBits: 128, actPortBits: 128, actPorts: 4, prefetch: true } })];
  const on = simulateFrame({ design: d, ...base, strategy: 'expert_by_expert' });
  assert.ok(on.summary.seconds < off.seconds);
  // Some load overlaps some compute (ping/pong), and the makespan is at least the compute chain alone.
  const computes = on.events.filter((e) => e.lane !== 'load');
  const overlapped = on.events.filter((e) => e.lane === 'load').some((l) => computes.some((c) => c.start < l.end && l.start < c.end));
  assert.ok(overlapped);
  const computeBusy = computes.reduce((a, e) => a + e.end - e.start, 0);
  assert.ok(on.makespan_cycles >= computeBusy);
});

test('a slow weight port makes the MoE layer load-bound: the layer lasts at least its serial expert loads', () => {
  const d = edgeMoeDesign();
  d.targets = [zcu102({ memory: { weightPortBits: 8, actPortBits: 128, actPorts: 4, prefetch: true } })]; // 1 B/cycle
  const s = simulateFrame({ design: d, ...base, strategy: 'expert_by_expert' });
  const layer1 = s.summary.layers.find((l) => l.layer === 1)!;
  const expertLoadCycles = s.events.filter((e) => e.layer === 1 && e.lane === 'load' && (e.what === 'fc1' || e.what === 'fc2')).reduce((a, e) => a + e.end - e.start, 0);
  assert.ok(layer1.stallCycles > 0);
  // All but the first fc1 load (prefetched during attention) lie on the layer's critical path.
  const firstFc1 = s.events.find((e) => e.layer === 1 && e.what === 'fc1')!;
  assert.ok(layer1.cycles >= expertLoadCycles - (firstFc1.end - firstFc1.start), `${layer1.cycles} vs ${expertLoadCycles}`);
});

test('token_by_token on Edge-MoE: balanced routing reloads 2 experts per token (258 per layer), worst routing 2 per layer', () => {
  const balanced = frameSummary({ design: edgeMoeDesign(), ...base, strategy: 'token_by_token' });
  for (const l of balanced.layers.filter((x) => x.kind === 'moe')) {
    assert.equal(l.expertLoads, 258);
    assert.ok(l.stallCycles > 0, 'a one-row compute cannot hide a whole-expert load');
  }
  const worst = frameSummary({ design: edgeMoeDesign({ kind: 'worst' }), ...base, strategy: 'token_by_token' });
  for (const l of worst.layers.filter((x) => x.kind === 'moe')) assert.equal(l.expertLoads, 2);
  // 258 loads × 296,064 B = 72.8 MiB of experts per layer (the facts' naive "about 72.6 MiB", §4), plus the layer's
  // q/k/v/proj (4 × 74,112 B), norms (1,536 B) and router (192·16·2 = 6,144 B).
  const layer = balanced.layers.find((l) => l.kind === 'moe')!;
  assert.equal(layer.loadBytes, 258 * 296_064 + 4 * 74_112 + 1536 + 6144);
});

test('all_resident: one bulk load of all 16 experts per MoE layer; worst routing computes only experts 0 and 1', () => {
  const s = simulateFrame({ design: edgeMoeDesign({ kind: 'worst' }), ...base, strategy: 'all_resident' });
  const bulk = s.events.filter((e) => e.what === 'experts');
  assert.deepEqual(bulk.map((e) => e.layer), [1, 3, 5, 7, 9, 11]);
  for (const e of bulk) assert.equal(e.bytes, 16 * 296_064);
  const computed = new Set(s.events.filter((e) => e.op === 'expert_fc1').map((e) => e.expert));
  assert.deepEqual([...computed].sort(), [0, 1]);
  // Steady state keeps routers and the head: neither is loaded.
  assert.equal(s.events.filter((e) => e.what === 'gate' || e.what === 'routers' || e.what === 'head').length, 0);
});

test('a dense ViT schedules with no gate, no expert and no MoE layer', () => {
  const s = checkAllInvariants(denseDesign(), { ...base, strategy: 'expert_by_expert' });
  assert.equal(s.events.filter((e) => e.lane === 'gate' || e.expert !== undefined).length, 0);
  assert.ok(s.summary.layers.every((l) => l.kind !== 'moe'));
});

test('invariants on Edge-MoE for every strategy and routing', () => {
  for (const strategy of STRATEGIES)
    for (const routing of [{ kind: 'balanced' }, { kind: 'worst' }, { kind: 'skewed', alpha: 1.2, seed: 3 }] as const) {
      checkAllInvariants(edgeMoeDesign(routing), { ...base, strategy });
      checkAllInvariants(edgeMoeDesign(routing), { ...base, strategy, previousTask: 'depth' });
      checkAllInvariants(edgeMoeDesign(routing), { ...base, strategy, previousTask: null });
    }
});

test('property: invariants hold on random designs, strategies and switch states', () => {
  fc.assert(
    fc.property(designArb, fc.constantFrom(...STRATEGIES), fc.constantFrom<string | null | undefined>(undefined, null, 'depth'), (design, strategy, prev) => {
      const task = design.tasks[0].name;
      checkAllInvariants(design, { task, target: 'fpga', strategy, previousTask: prev });
    }),
    { numRuns: 120 },
  );
});

test('property: more bandwidth never makes a frame slower (the schedule is monotone in every rate)', () => {
  fc.assert(
    fc.property(designArb, fc.constantFrom(...STRATEGIES), fc.double({ min: 1.01, max: 8, noNaN: true }), (design, strategy, factor) => {
      const task = design.tasks[0].name;
      const slow = frameLatency({ design, task, target: 'fpga', strategy }).cycles;
      const faster: Design = { ...design, targets: design.targets.map((t) => ({ ...t, bandwidthBytesPerSec: t.bandwidthBytesPerSec * factor })) };
      assert.ok(frameLatency({ design: faster, task, target: 'fpga', strategy }).cycles <= slow);
    }),
    { numRuns: 80 },
  );
});

test('unknown task, target or strategy is a ScheduleRequestError listing the valid ones', () => {
  const d = edgeMoeDesign();
  assert.throws(() => frameLatency({ design: d, task: 'normals', target: 'zcu102' }), (e: unknown) => e instanceof ScheduleRequestError && /tasks: semseg, depth/.test(e.message));
  assert.throws(() => frameLatency({ design: d, task: 'semseg', target: 'kv260' }), /targets: zcu102/);
  assert.throws(() => frameLatency({ design: d, task: 'semseg', target: 'zcu102', strategy: 'fast' as never }), /strategies: all_resident, token_by_token, expert_by_expert/);
});

test('a trace that does not fit falls back to balanced and says why in routingNotes', () => {
  const d = edgeMoeDesign({ kind: 'trace', path: 'traces/f0.json' });
  const lat = frameLatency({ design: d, ...base, traces: new Map() });
  assert.equal(lat.routingNotes.length, 6);
  assert.match(lat.routingNotes[0], /^layer 1: trace "traces\/f0.json" was not loaded; assumed balanced routing$/);
  assert.equal(lat.cycles, frameLatency({ design: edgeMoeDesign(), ...base }).cycles);
});

test('frameLatency from the cached backbone equals a full simulation for every task, in any call order', () => {
  // Every routing and both prefetch settings: `worst` makes nearly every token_by_token token need no load, the
  // numbers-only path's batched rounds (frame.ts tokenByToken), which the events path simulates token by token.
  const routings: RoutingSpec[] = [{ kind: 'skewed', alpha: 0.8, seed: 11 }, { kind: 'worst' }, { kind: 'balanced' }];
  for (const routing of routings)
    for (const prefetch of [false, true]) {
      const d = edgeMoeDesign(routing);
      d.targets = [zcu102({ memory: { weightPortBits: 128, actPortBits: 128, actPorts: 4, prefetch } })];
      sameAsFullSimulation(d, `${routing.kind}, prefetch ${prefetch ? 'on' : 'off'}`);
    }
});

function sameAsFullSimulation(d: Design, what: string): void {
  d.tasks.push({ name: 'normals', span: { start: 0, end: 0 }, nameSpan: { start: 0, end: 0 }, head: { kind: 'pup', output: 'channels', count: 3, width: 64 }, weight: 1 });
  for (const strategy of STRATEGIES)
    for (const task of ['depth', 'normals', 'semseg', 'depth']) {
      const lat = frameLatency({ design: d, task, target: 'zcu102', strategy });
      const full = simulateFrame({ design: d, task, target: 'zcu102', strategy });
      const at = `${what}, ${strategy} ${task}`;
      assert.equal(lat.cycles, full.makespan_cycles, at);
      assert.deepEqual(lat.perLayer, full.summary.layers.map((l) => ({ layer: l.layer, cycles: l.cycles })), at);
      assert.deepEqual(frameSummary({ design: d, task, target: 'zcu102', strategy }), full.summary, at);
      // Per layer and op, the events' own cycles (plus the layer's stalls) are the numbers-only path's per-op figures.
      const fromEvents = new Map<string, number>();
      for (const e of full.events) if (e.lane !== 'load') fromEvents.set(`${e.layer} ${e.op}`, (fromEvents.get(`${e.layer} ${e.op}`) ?? 0) + e.end - e.start);
      for (const o of lat.perOp) if (o.op !== 'stall') assert.equal(o.cycles, fromEvents.get(`${o.layer} ${o.op}`), `${at}: layer ${o.layer} ${o.op}`);
      // frameTime (what the report keeps) is the same run without the breakdowns.
      const { perOp, perLayer, ...time } = lat;
      assert.ok(perOp.length > 0 && perLayer.length > 0);
      assert.deepEqual(frameTime({ design: d, task, target: 'zcu102', strategy }), time, `${at}: frameTime`);
    }
}
