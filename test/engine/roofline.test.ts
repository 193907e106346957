/**
 * The roofline (engine/roofline.ts) against figures derived by hand from the Edge-MoE sample's text
 * (samples/edge-moe-zcu102.m3v: 3×128×256 input, 16×16 patches → 128 patches + cls = 129 tokens, dim 192, dense
 * hidden 4×192 = 768, 16 experts top-2 of hidden 384 in the odd blocks, weights fixed<16,2> = 2 B, activations
 * fixed<32,10> = 4 B, clock 300 MHz, port weights 128 bit, port acts 4 x 128 bit, bandwidth 17.07 GB/s,
 * linear 16 x 16, attention 4 x 8, gate_unit 16 x 8), and against the engine's own totals: the operations'
 * bytes plus the element-wise passes' must be the frame's traffic (engine/memory/traffic.ts) and the schedule's loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { analyzeDesign } from '../../engine/analyze';
import { rooflineOf, type RooflineOp } from '../../engine/roofline';
import { simulateFrame } from '../../engine/schedule/index';
import { STRATEGIES, type Design } from '../../engine/design';

const root = join(__dirname, '..', '..');

function sample(name: string): Design {
  const design = analyzeDocument(readFileSync(join(root, 'samples', name), 'utf8')).design;
  assert.ok(design, `${name} checks`);
  return design;
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);

/** Figures of one block's share of an operation, derived by hand. */
interface BlockFigures {
  macs: number;
  weightBytes: number;
  actInBytes: number;
  actOutBytes: number;
}

/**
 * An operation that runs alike in `blocks` blocks, the first of them `first`: its totals are `blocks` × the hand-derived
 * block figures, its intensity theirs, and its first per-layer entry exactly them.
 */
function alikeInEveryBlock(o: RooflineOp, blocks: number, first: number, f: BlockFigures, name: string): void {
  close(o.macs, blocks * f.macs, `${name} MACs`);
  close(o.weightBytes, blocks * f.weightBytes, `${name} weights`);
  close(o.actInBytes, blocks * f.actInBytes, `${name} activations in`);
  close(o.actOutBytes, blocks * f.actOutBytes, `${name} activations out`);
  const intensity = f.macs / (f.weightBytes + f.actInBytes + f.actOutBytes);
  close(o.intensity!, intensity, `${name} intensity`);
  assert.deepEqual(o.perLayer[0], { layer: first, ...f, intensity }, `block ${first}’s ${name}`);
}

function op(ops: RooflineOp[], name: string): RooflineOp {
  const o = ops.find((x) => x.op === name);
  assert.ok(o, `${name} is on the roofline (have ${ops.map((x) => x.op).join(', ')})`);
  return o;
}

test('Edge-MoE roofs from the declared clock, ports, bandwidth and arrays', () => {
  const r = rooflineOf({ design: sample('edge-moe-zcu102.m3v'), task: 'semseg', target: 'zcu102' });
  const roof = (id: string) => r.roofs.find((x) => x.id === id)!.value;
  close(roof('linear'), 16 * 16 * 300e6, 'linear 16 x 16 at 300 MHz: 76.8 GMAC/s');
  close(roof('attention'), 4 * 8 * 300e6, 'attention 4 x 8: 9.6 GMAC/s');
  close(roof('gate_unit'), 16 * 8 * 300e6, 'gate_unit 16 x 8: 38.4 GMAC/s');
  // 128-bit port → 16 B a clock (below the 256-bit kernel master and the DDR's 17.07e9 / 300e6 = 56.9 B a clock).
  close(roof('weight_port'), 16 * 300e6, 'weight port: 4.8 GB/s');
  close(roof('act_ports'), 4 * 16 * 300e6, 'four 128-bit activation ports: 19.2 GB/s');
  close(roof('ddr'), 17.07e9, 'DDR as declared');
  // All ports together (4.8 + 19.2 = 24 GB/s) are capped by the DDR they share.
  close(r.offchipBytesPerSecond, 17.07e9, 'off-chip roof = min(24 GB/s, 17.07 GB/s)');
  for (const x of r.roofs) assert.ok(x.source.length > 10, `${x.id} names its source`);
});

test('Edge-MoE intensities by hand: dense fc1 of block 0, expert fc1, Q·Kᵀ, the semseg head', () => {
  const r = rooflineOf({ design: sample('edge-moe-zcu102.m3v'), task: 'semseg', target: 'zcu102' });
  assert.equal(r.strategy, 'expert_by_expert');
  const N = 129;
  const D = 192;
  const wB = 2;
  const aB = 4;

  // Dense fc1 192 → 768, one tile (weight_buffer whole), in the even blocks 0, 2, …, 10 alike (block 0's figures × 6).
  const fc1 = op(r.ops, 'fc1');
  assert.deepEqual(fc1.layers, [0, 2, 4, 6, 8, 10]);
  const fc1Macs = N * D * 768; // 19,021,824
  const fc1W = (D * 768 + 768) * wB; // 296,448 B with the bias
  const fc1In = N * D * aB; // 99,072 B: x read from DDR
  const fc1Out = N * 768 * aB; // 396,288 B: the hidden written to DDR (Edge-MoE tmp_hidden)
  // Intensity ≈ 24.0 MAC/B.
  alikeInEveryBlock(fc1, 6, 0, { macs: fc1Macs, weightBytes: fc1W, actInBytes: fc1In, actOutBytes: fc1Out }, 'fc1');
  // Times of block 0's fc1: compute 19.0 M / 76.8 G = 248 µs beats weights 61.8 µs, the larger stream 82.6 µs, DDR 46.4 µs.
  close(fc1.seconds.compute, (6 * fc1Macs) / 76.8e9, 'fc1 compute time');
  close(fc1.seconds.weightPort, (6 * fc1W) / 4.8e9, 'fc1 weight-port time');
  close(fc1.seconds.actPorts, (6 * fc1Out) / 4.8e9, 'fc1: in and out on their own ports, the larger sets the time');
  close(fc1.seconds.ddr, (6 * (fc1W + fc1In + fc1Out)) / 17.07e9, 'fc1 DDR time');
  assert.equal(fc1.boundBy, 'compute');
  close(fc1.roofMacsPerSecond, 76.8e9, 'fc1 at the linear roof');

  // Expert fc1 192 → 384 of the odd blocks: top-2 of 129 tokens = 258 rows a layer; balanced routing gives every
  // one of the 16 experts a queue (2 × 17 + 14 × 16), so expert_by_expert loads all 16 fc1 matrices once a layer.
  const efc1 = op(r.ops, 'expert_fc1');
  assert.deepEqual(efc1.layers, [1, 3, 5, 7, 9, 11]);
  const eMacs = 2 * N * D * 384; // 19,021,824
  const eW = 16 * (D * 384 + 384) * wB; // 2,371,584 B
  const eIn = 2 * N * D * aB; // 198,144 B: each queue's rows gathered
  const eOut = 2 * N * 384 * aB; // 396,288 B: tmp_hidden
  // Intensity ≈ 6.41 MAC/B.
  alikeInEveryBlock(efc1, 6, 1, { macs: eMacs, weightBytes: eW, actInBytes: eIn, actOutBytes: eOut }, 'expert fc1');
  // Weights 2.37 MB / 4.8 GB/s = 494 µs a layer, twice the 248 µs of compute: the weight port bounds it at 38.5 GMAC/s.
  assert.equal(efc1.boundBy, 'weight port');
  close(efc1.roofMacsPerSecond, eMacs / (eW / 4.8e9), 'expert fc1 roof');

  // Q·Kᵀ: Q read once, K once per round of 4 query rows (⌈(129+3)/4⌉ = 33 rounds); 3 heads of 129×129 scores and
  // 2 statistics per token and head written. The 33 K passes on one port (3.27 MB / 4.8 GB/s) outlast the compute.
  const qk = op(r.ops, 'qk');
  const qkMacs = N * N * D;
  const qkIn = (1 + 33) * N * D * aB;
  const qkOut = (3 * N * N + 2 * 3 * N) * aB;
  close(qk.intensity!, qkMacs / (qkIn + qkOut), 'Q·Kᵀ intensity ≈ 0.895 MAC/B');
  assert.equal(qk.weightBytes, 0);
  assert.equal(qk.boundBy, 'activation ports');
  close(qk.roofMacsPerSecond, qkMacs / ((33 * N * D * aB) / 4.8e9), 'Q·Kᵀ roof');

  // The semseg head: linear 192 → 7 on the 128 patch tokens.
  const head = op(r.ops, 'head');
  assert.equal(head.family, 'head');
  close(head.macs, 128 * D * 7, 'head MACs');
  close(head.weightBytes, (D * 7 + 7) * wB, 'head weights');
  close(head.intensity!, (128 * D * 7) / ((D * 7 + 7) * wB + 128 * D * aB + 128 * 7 * aB), 'head intensity');
  assert.ok(r.onChip.some((n) => /logits/.test(n)), 'the gate unit keeps the logits on chip, and says so');
});

test('Operations plus element-wise passes are the frame’s traffic and the schedule’s loads; no point above its roof', () => {
  for (const name of ['edge-moe-zcu102.m3v', 'm3vit-small-pascal-zcu104.m3v', 'task-conditioned-gate.m3v', 'dense-vit-baseline.m3v']) {
    const design = sample(name);
    const report = analyzeDesign(design, { skipSwitch: true });
    for (const target of design.targets)
      for (const strategy of STRATEGIES)
        for (const task of design.tasks.slice(0, 2)) {
          const what = `${name} ${target.name} ${strategy} ${task.name}`;
          const r = rooflineOf({ design, task: task.name, target: target.name, strategy });
          const traffic = report.targets.find((t) => t.name === target.name)!.strategies.find((s) => s.strategy === strategy)!.tasks.find((t) => t.task === task.name)!.traffic;
          const acts = r.ops.reduce((n, o) => n + o.actInBytes + o.actOutBytes, 0) + r.elementwise.actBytes;
          close(acts, traffic.activations, `${what}: activation bytes`);
          const weights = r.ops.reduce((n, o) => n + o.weightBytes, 0) + r.elementwise.weightBytes;
          close(weights, simulateFrame({ design, task: task.name, target: target.name, strategy }).summary.loadBytes, `${what}: weight bytes`);
          close(weights, traffic.weights + traffic.experts, `${what}: weight bytes vs traffic`);
          for (const o of r.ops) {
            assert.ok(o.achievedMacsPerSecond <= o.roofMacsPerSecond * (1 + 1e-9), `${what}: ${o.op} achieves ${o.achievedMacsPerSecond} above its roof ${o.roofMacsPerSecond}`);
            assert.ok(o.roofMacsPerSecond <= o.unitRoofMacsPerSecond * (1 + 1e-9), `${what}: ${o.op} roof above its unit`);
            if (o.intensity !== undefined) assert.ok(o.roofMacsPerSecond <= o.intensity * r.offchipBytesPerSecond * (1 + 1e-9), `${what}: ${o.op} roof above the off-chip slope`);
          }
        }
  }
});
