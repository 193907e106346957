/**
 * Exact counts against hand-derived numbers. Every expected value below is written out from the model's shape, not
 * read back from the code under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backboneMacs, countModel } from '../../engine/costs/counts';
import { countDesign } from '../../engine/costs/taskCounts';
import { countParams } from '../../engine/costs/params';
import { edgeMoeDesign, edgeMoeModel, vitB16Design } from './fixtures';

// Edge-MoE / M3ViT-tiny Cityscapes: input 3×128×256, patch 16 → 8×16 = 128 patches, + cls = N = 129 tokens,
// D = 192, 3 heads (dh 64), 12 blocks, dense hidden 768, MoE in blocks 1,3,5,7,9,11: E 16, k 2, expert hidden 384.
const N = 129;
const D = 192;
const PATCH_EMBED = 128 * (3 * 16 * 16) * D; // 128 patches × 768 inputs × 192 outputs = 18,874,368
const QKV = N * D * (3 * D); // 129 × 192 × 576 = 14,266,368
const QK = N * N * D; // 3 heads × 129 × 129 × 64 = 3,195,072
const AV = N * N * D; // same shape as QKᵀ: 3,195,072
const PROJ = N * D * D; // 4,755,456
const MLP = 2 * N * D * 768; // fc1 + fc2: 38,043,648
const EXPERTS = 2 * N * (2 * D * 384); // k = 2 passes per token × (fc1 192→384 + fc2 384→192) = 38,043,648
const GATE = N * D * 16; // logits over 16 experts: 396,288
const ATTN = QKV + QK + AV + PROJ; // 25,411,968
const DENSE_LAYER = ATTN + MLP; // 63,455,616
const MOE_LAYER = ATTN + GATE + EXPERTS; // 63,851,904

test('Edge-MoE backbone MACs = 782,719,488 (patch embed + 6 dense + 6 MoE layers)', () => {
  assert.equal(PATCH_EMBED, 18_874_368);
  assert.equal(DENSE_LAYER, 63_455_616);
  assert.equal(MOE_LAYER, 63_851_904);
  // 18,874,368 + 6 × 63,455,616 + 6 × 63,851,904 = 782,719,488
  assert.equal(PATCH_EMBED + 6 * DENSE_LAYER + 6 * MOE_LAYER, 782_719_488);
  const counts = countDesign(edgeMoeDesign());
  const semseg = counts.tasks[0].count;
  assert.equal(backboneMacs(semseg), 782_719_488);
  // Per operation over the whole frame.
  assert.equal(semseg.byOp.patch_embed, PATCH_EMBED);
  assert.equal(semseg.byOp.qkv, 12 * QKV);
  assert.equal(semseg.byOp.qk, 12 * QK);
  assert.equal(semseg.byOp.av, 12 * AV);
  assert.equal(semseg.byOp.proj, 12 * PROJ);
  assert.equal(semseg.byOp.mlp, 6 * MLP);
  assert.equal(semseg.byOp.gate, 6 * GATE);
  assert.equal(semseg.byOp.experts, 6 * EXPERTS);
  // Per layer: block 0 is dense, block 1 MoE.
  const b0 = semseg.layers.find((l) => l.name === 'block 0')!;
  const b1 = semseg.layers.find((l) => l.name === 'block 1')!;
  assert.equal(b0.kind, 'dense');
  assert.equal(b0.macs, DENSE_LAYER);
  assert.equal(b1.kind, 'moe');
  assert.equal(b1.macs, MOE_LAYER);
  assert.equal(b1.flops, 2 * MOE_LAYER);
});

test('per-task totals add the task head only; FLOPs are 2 × MACs', () => {
  const counts = countDesign(edgeMoeDesign());
  const [semseg, depth] = counts.tasks;
  // linear head: per-patch Linear(192 → n) on the 128 patch tokens.
  assert.equal(semseg.count.macs, 782_719_488 + 128 * D * 7); // + 172,032
  assert.equal(depth.count.macs, 782_719_488 + 128 * D * 1); // + 24,576
  assert.equal(semseg.count.flops, 2 * semseg.count.macs);
  // Bilinear upsampling of the 7 maps to 128×256 is element-wise, never a MAC.
  assert.equal(semseg.count.elementwise.upsample, 128 * 256 * 7);
});

test('baselines: dense multi-task ViT and all-experts MoE, with the reductions', () => {
  const counts = countDesign(edgeMoeDesign());
  const semseg = counts.tasks[0];
  // Dense MTL: all 12 blocks dense, no gates, both heads.
  const denseMtl = PATCH_EMBED + 12 * DENSE_LAYER + 128 * D * 7 + 128 * D * 1;
  assert.equal(semseg.denseMtl.macs, denseMtl); // 780,538,368
  // All experts: 16 experts per token instead of 2.
  const allExpertsLayer = ATTN + GATE + 16 * N * 2 * D * 384;
  assert.equal(semseg.allExperts.macs, PATCH_EMBED + 6 * DENSE_LAYER + 6 * allExpertsLayer + 128 * D * 7);
  // top-2 × 384 = 768 = the dense hidden: per token the MoE FFN costs the dense MLP plus the gate, so against a
  // dense MTL model with two tiny linear heads the single-task saving is slightly negative (−0.30 %).
  assert.ok(Math.abs(semseg.reductionVsDenseMtl - (1 - semseg.count.macs / denseMtl)) < 1e-15);
  assert.ok(semseg.reductionVsDenseMtl < 0 && semseg.reductionVsDenseMtl > -0.004);
  assert.ok(semseg.reductionVsAllExperts > 0.67 && semseg.reductionVsAllExperts < 0.68);
});

test('parameters: 148,032 per expert and 17,983,680 for the Edge-MoE backbone with both task gates', () => {
  const p = countParams(edgeMoeDesign());
  assert.equal(p.perExpert, 192 * 384 + 384 + 384 * 192 + 192); // 148,032
  // patch embed 147,456 + 192; pos_embed 129×192 = 24,768; cls 192; per block 148,992 (norms 768, qkv 111,168,
  // proj 37,056); 6 dense MLPs of 295,872; 6 × 16 experts; 2 tasks × 6 gates of 16×192.
  const backbone = 147_648 + 24_768 + 192 + 12 * 148_992 + 6 * 295_872 + 6 * 16 * 148_032 + 2 * 6 * 16 * 192;
  assert.equal(backbone, 17_983_680);
  assert.equal(p.total - p.heads.semseg - p.heads.depth, backbone);
  assert.equal(p.heads.semseg, 192 * 7 + 7);
});

test('dense ViT-B/16 at 224×224 reproduces fvcore\'s 17.58 G', () => {
  // N = 196 + 1 = 197, D 768, MLP 3072, 12 blocks, 1000-class head on the cls token.
  const n = 197;
  const d = 768;
  const perBlock = n * d * 3 * d + 2 * n * n * d + n * d * d + 2 * n * d * 3072; // 1,453,954,560
  const macs = 196 * 768 * d + 12 * perBlock + d * 1000; // 115,605,504 + 17,447,454,720 + 768,000
  assert.equal(macs, 17_563_828_224);
  const c = countDesign(vitB16Design()).tasks[0].count;
  assert.equal(c.macs, macs);
  // fvcore's published 17.58 G for ViT-B/16 is these matmul MACs (attention matmuls included) plus its LayerNorm
  // handler, which charges 5 per element (affine) for the 25 LayerNorms of timm's ViT: 2 per block and the final
  // norm over all 197 tokens. We count the same 24 block norms element-wise, and one LayerNorm of the cls token in
  // the head (768 elements) where timm normalises all tokens; fvcore ignores softmax, GELU and adds.
  const fvcoreNormElements = c.elementwise.layernorm - d + n * d; // 25 × 151,296
  assert.equal(fvcoreNormElements, 25 * n * d);
  const fvcore = c.macs + 5 * fvcoreNormElements; // 17,582,740,224
  assert.equal((fvcore / 1e9).toFixed(2), '17.58');
  assert.equal((c.macs / 1e9).toFixed(2), '17.56'); // what a MAC-only counter must print
});

test('pup head (VisionTransformerUpHead, width 256) and cls head', () => {
  const model = edgeMoeModel();
  const pup = countModel(model, { ffn: 'top_k', heads: [{ name: 't', head: { kind: 'pup', output: 'classes', count: 7, width: 256 } }], taskCount: 1 });
  const head = pup.layers.find((l) => l.kind === 'head')!;
  // Grid 8×16 = 128 positions; conv3x3 at ×1, ×4, ×16, ×64 positions; conv1x1 256→7 at ×64.
  const expected = 128 * 9 * 192 * 256 + 512 * 9 * 256 * 256 + 2048 * 9 * 256 * 256 + 8192 * 9 * 256 * 256 + 8192 * 256 * 7;
  assert.equal(expected, 6_413_090_816);
  assert.equal(head.macs, expected);
  assert.equal(head.elementwise.batchnorm, 256 * (128 + 512 + 2048 + 8192));
  const cls = countModel(model, { ffn: 'top_k', heads: [{ name: 't', head: { kind: 'cls', output: 'classes', count: 10 } }], taskCount: 1 });
  assert.equal(cls.layers.find((l) => l.kind === 'head')!.macs, 192 * 10);
});

test('task-conditioned gate: task-embedding MLP once per frame, gate logits over D + Dt inputs', () => {
  const design = edgeMoeDesign();
  design.model.moe!.gate = { kind: 'shared', embedDim: 64 };
  const c = countDesign(design).tasks[0].count;
  assert.equal(c.byOp.task_embed, 2 * 64 + 64 * 64); // one-hot(2) → 64 → 64: 4,224
  assert.equal(c.byOp.gate, 6 * N * (192 + 64) * 16); // 6 × 528,384
  assert.equal(backboneMacs(c), 782_719_488 + 4_224 + 6 * N * 64 * 16);
});

test('top_k = experts ⇒ the MoE model equals the all-experts baseline', () => {
  const design = edgeMoeDesign();
  design.model.moe!.topK = 16;
  const t = countDesign(design).tasks[0];
  assert.equal(t.count.macs, t.allExperts.macs);
  assert.equal(t.reductionVsAllExperts, 0);
});

test('counts do not depend on routing', () => {
  const a = countDesign(edgeMoeDesign()).tasks[0].count.macs;
  const design = edgeMoeDesign();
  design.model.moe!.routing = { kind: 'worst' };
  assert.equal(countDesign(design).tasks[0].count.macs, a);
});
