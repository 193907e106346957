/** Block mapping at real geometries, the per-strategy buffer plans, and off-chip traffic against hand-derived numbers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseMapping, mapToBram, mapToUram } from '../../engine/memory/blocks';
import { planOnchip } from '../../engine/memory/buffers';
import { frameTraffic } from '../../engine/memory/traffic';
import { countParams } from '../../engine/costs/params';
import { routeAllLayers } from '../../engine/schedule/routing';
import { frameSummary } from '../../engine/schedule/index';
import { STRATEGIES, type Design, type Strategy } from '../../engine/design';
import { edgeMoeDesign, target } from './fixtures';

test('BRAM36 aspect ratios: 1K×36, 4K×9, BRAM18 halves, width splits', () => {
  assert.equal(mapToBram(1024, 36).blocks, 1);
  assert.equal(mapToBram(4096, 9).blocks, 1);
  assert.equal(mapToBram(512, 72).blocks, 1); // SDP ×72
  assert.equal(mapToBram(2048, 9).blocks, 0.5); // one BRAM18 at 2K×9
  // 1025 × 36: three BRAM18 at 512×36 (1.5 BRAM36) beat two BRAM36 at 1K×36.
  assert.equal(mapToBram(1025, 36).blocks, 1.5);
  // Edge-MoE's linear_weights_ping: 576 words of 16×16×16 bit = 4096 bits: ⌈4096/36⌉ = 114 columns of 1K×36
  // (or 57 × 2 of 512×72) — 114 BRAM36 for 288 KiB that would fit 64 by capacity: the port width costs blocks.
  assert.equal(mapToBram(576, 4096).blocks, 114);
});

test('URAM is 4K×72 only; partitioned arrays are registers, shallow ones LUTRAM', () => {
  assert.equal(mapToUram(4096, 72).blocks, 1);
  assert.equal(mapToUram(4097, 72).blocks, 2);
  assert.equal(mapToUram(4096, 73).blocks, 2);
  // A completely partitioned array (Edge-MoE expert_queue_lens, moe.cpp line 86) is registers whatever its size.
  assert.equal(chooseMapping(16, 32, 100, Infinity, true).kind, 'registers');
  // 16 words of 32 bits: a LUT6 holds 64 × 1 (UG574), so 32 LUTs and no block; 65 words no longer fit one LUT deep.
  const shallow = chooseMapping(16, 32, 100);
  assert.deepEqual([shallow.kind, shallow.blocks, shallow.luts], ['lutram', 0, 32]);
  assert.equal(chooseMapping(64, 32, 0).kind, 'lutram');
  // Fewer than 4 words: Vitis HLS partitions the array into registers by itself (UG1399 complete_threshold 4).
  assert.equal(chooseMapping(3, 4096, 0).kind, 'registers');
  assert.equal(chooseMapping(4, 4096, 0).kind, 'lutram');
  assert.equal(chooseMapping(65, 32, 0).kind, 'bram');
  assert.equal(chooseMapping(576, 4096, 0).kind, 'bram'); // no URAM on the part
  // A deep, narrow array goes to URAM when the part has it: 8K × 72 = 2 URAM (vs 16 BRAM36 at 512×72).
  const deep = chooseMapping(8192, 72, 96);
  assert.equal(deep.kind, 'uram');
  assert.equal(deep.blocks, 2);
  // A shallow, wide one does not: 576 × 4096 would take ⌈4096/72⌉ = 57 URAM (16.4 Mb) against 114 BRAM36 (4.1 Mb).
  assert.equal(mapToUram(576, 4096).blocks, 57);
  assert.equal(chooseMapping(576, 4096, 96).kind, 'bram');
  // Not enough URAM left: BRAM.
  assert.equal(chooseMapping(8192, 72, 1).kind, 'bram');
  // BRAM exhausted: a wide buffer spills to URAM if it fits there.
  assert.equal(chooseMapping(576, 4096, 96, 100).kind, 'uram');
});

test('Edge-MoE expert_by_expert buffers match the HLS declarations in bytes', () => {
  const design = edgeMoeDesign();
  const plan = planOnchip(design, design.targets[0], 'expert_by_expert');
  const bytes = (name: string) => plan.buffers.find((b) => b.name === name)?.bytes;
  // linear_weights_ping/pong: ⌈768·192 / 256⌉ = 576 blocks × 16×16 × 16 bit = 294,912 B = 288 KiB each.
  assert.equal(bytes('linear_weights_ping'), 294_912);
  assert.equal(bytes('linear_weights_pong'), 294_912);
  // expert_queues [16][129] unsigned int, expert_scores [16][129] fm_t (32 bit): 8,256 B each.
  assert.equal(bytes('expert_queues'), 16 * 129 * 4);
  assert.equal(bytes('expert_scores'), 16 * 129 * 4);
  // w_gate [16][192] wt_linear_t: 6,144 B.
  assert.equal(bytes('gate_weights'), 16 * 192 * 2);
  // patch_embed_weights [192][3][16][16] × 16 bit.
  assert.equal(bytes('patch_embed_weights'), 192 * 768 * 2);
  assert.equal(plan.uram, 0);
  assert.ok(plan.bram36 <= 912);
});

test('on a ZCU104 (312 BRAM36, 96 URAM) buffers spill to URAM once BRAM runs short', () => {
  const design = edgeMoeDesign();
  const plan = planOnchip(design, target('xczu7ev'), 'expert_by_expert');
  // Largest first: ping 114 + pong 114 BRAM36 leave 84; the patch-embedding kernel needs 85.5 BRAM36 → 29 URAM.
  assert.equal(plan.buffers.find((b) => b.name === 'linear_weights_ping')!.mapping.kind, 'bram');
  const pe = plan.buffers.find((b) => b.name === 'patch_embed_weights')!.mapping;
  assert.equal(pe.kind, 'uram');
  assert.equal(pe.blocks, 29); // ⌈1152/4096⌉ × ⌈2048/72⌉
  // Then in BRAM: patch_row 384 × 256 bit = 4 BRAM36 (512×72), layernorm_params 96 × 128 bit = 2, and the
  // [16][129] queues and scores, one BRAM18 (512×36) per expert each = 8 + 8; everything else is ≤ 64 words deep
  // (LUTRAM) or partitioned (registers). 228 + 4 + 2 + 16 = 250 BRAM36 and 29 URAM:
  // (250·36 + 29·288) / (312·36 + 96·288) Kb = 17,352 / 38,880 = 44.6 %.
  assert.equal(plan.bram36, 250);
  assert.equal(plan.uram, 29);
  assert.equal(plan.onchipPercent.toFixed(1), '44.6');
});

test('invariants: expert_by_expert on-chip < all_resident; its traffic ≤ token_by_token', () => {
  const design = edgeMoeDesign();
  const t = design.targets[0];
  const params = countParams(design);
  const routings = routeAllLayers(design, { kind: 'balanced' });
  const plan = (s: Strategy) => planOnchip(design, t, s);
  assert.ok(plan('expert_by_expert').bytes < plan('all_resident').bytes);
  assert.ok(plan('expert_by_expert').bytes < plan('token_by_token').bytes);
  const traffic = (s: Strategy) => frameTraffic(design, t, s, design.tasks[0], params, routings);
  assert.ok(traffic('expert_by_expert').total <= traffic('token_by_token').total);
  // all_resident holds all 16 experts of a layer: 16 × 2 × 192·384 × 2 B = 4.5 MiB of expert weights.
  const bank = plan('all_resident').buffers.find((b) => b.name === 'expert_weights_all')!;
  assert.equal(bank.bytes, 16 * 2 * 192 * 384 * 2);
});

test('expert_by_expert on-chip grows with E only by per-expert bookkeeping', () => {
  const withExperts = (e: number): Design => {
    const d = edgeMoeDesign();
    d.model.moe!.experts = e;
    return d;
  };
  const a = planOnchip(withExperts(16), target('xczu9eg'), 'expert_by_expert');
  const b = planOnchip(withExperts(64), target('xczu9eg'), 'expert_by_expert');
  const grows = new Set(['expert_queues', 'expert_scores', 'expert_queue_lens', 'expert_metaqueue', 'gate_weights']);
  for (const buf of a.buffers) {
    const other = b.buffers.find((x) => x.name === buf.name)!;
    if (grows.has(buf.name)) assert.equal(other.bytes / buf.bytes, 4, buf.name); // linear in E
    else assert.equal(other.bytes, buf.bytes, buf.name);
  }
});

test('expert loads per frame: balanced, worst, and the schedule agrees on weight bytes', () => {
  const design = edgeMoeDesign();
  const t = design.targets[0];
  const params = countParams(design);
  const expertBytes = 148_032 * 2;
  const balanced = routeAllLayers(design, { kind: 'balanced' });
  const tr = (s: Strategy, r = balanced) => frameTraffic(design, t, s, design.tasks[0], params, r);
  // balanced: 129 × 2 = 258 assignments over 16 experts → every expert used: 16 loads per layer, 6 layers.
  assert.equal(tr('expert_by_expert').expertLoads, 96);
  assert.equal(tr('expert_by_expert').experts, 96 * expertBytes); // 28,422,144 B
  // token t → experts 2t, 2t+1 (mod 16): consecutive tokens never share, so every token loads both: 258 per layer.
  assert.equal(tr('token_by_token').expertLoads, 6 * 258);
  assert.equal(tr('all_resident').expertLoads, 96);
  const worst = routeAllLayers(design, { kind: 'worst' });
  assert.equal(tr('expert_by_expert', worst).expertLoads, 12); // experts 0 and 1 only
  assert.equal(tr('token_by_token', worst).expertLoads, 12); // loaded once, then reused by every token
  // One source of truth for loads: the schedule's weight-port bytes equal our weight + expert traffic exactly.
  for (const s of STRATEGIES) {
    const summary = frameSummary({ design, task: 'semseg', target: t.name, strategy: s });
    const mine = tr(s);
    assert.equal(mine.weights + mine.experts, summary.loadBytes, s);
  }
});

test('traffic and schedule agree for a task-conditioned gate and pup and cls heads too', () => {
  const design = edgeMoeDesign();
  design.model.moe!.gate = { kind: 'shared', embedDim: 64 };
  design.tasks[0].head = { kind: 'pup', output: 'classes', count: 7, width: 256 };
  design.tasks[1].head = { kind: 'cls', output: 'classes', count: 10 };
  const params = countParams(design);
  const routings = routeAllLayers(design, { kind: 'balanced' });
  for (const s of STRATEGIES) {
    for (const t of design.tasks) {
      const mine = frameTraffic(design, design.targets[0], s, t, params, routings);
      const summary = frameSummary({ design, task: t.name, target: design.targets[0].name, strategy: s });
      assert.equal(mine.weights + mine.experts, summary.loadBytes, `${s} ${t.name}`);
    }
  }
});
