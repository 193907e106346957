/**
 * The M3ViT state-dict name mapping (model/weights/m3vitStateDict.ts) on small designs: the PyTorch names and
 * layouts it writes (checked name by name against M3ViT's modules), a write → read → map round trip that gives back
 * the seeded tensors bit for bit, internal names detected, DataParallel prefixes, the shared task embedding, and each
 * problem named (mis-oriented router, an integer tensor where a weight belongs, unused and skipped tensors).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../language/src/analyze';
import type { Design } from '../../engine/design';
import { fromM3vitStateDict, toInternalTensors, toM3vitStateDict, type StoredTensor } from '../../model/weights/m3vitStateDict';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../model/weights/safetensors';
import { seededDesignWeights } from '../../model/weights/seeded';

const model = (gate: string) => `model tiny {
  input 3 x 32 x 32
  patch 16
  dim   8
  heads 2
  depth 4
  moe {
    layers  [1, 3]
    experts 4
    top_k   2
    hidden  6${gate}
  }
}
`;
const PER_TASK = model('') + 'task seg { head pup classes 3 width 4 }\ntask depth { head linear channels 1 }\ntask kind { head cls classes 5 }\n';
const SHARED = model('\n    gate    shared embed 2') + 'task a { head linear classes 3 }\ntask b { head linear channels 1 }\n';

function designOf(text: string): Design {
  const analysis = analyzeDocument(text);
  assert.ok(analysis.design, JSON.stringify(analysis.diagnostics));
  return analysis.design;
}

const asStored = (tensors: TensorToWrite[]) => new Map<string, StoredTensor>(tensors.map((t) => [t.name, { dtype: 'F32', shape: t.shape, data: t.data }]));
const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

test("M3ViT names and layouts: the modules' own names, leading singleton dims, routers transposed", () => {
  const design = designOf(PER_TASK);
  const weights = seededDesignWeights(design, 5);
  const written = new Map(toM3vitStateDict(design, weights).map((t) => [t.name, t]));
  const shapeOf = (name: string) => {
    assert.ok(written.has(name), `no ${name}`);
    return written.get(name)!.shape;
  };
  // Backbone (T = 2×2 patches + cls = 5 tokens, D = 8, E = 4, expert hidden 6, 3 tasks).
  assert.deepEqual(shapeOf('backbone.patch_embed.proj.weight'), [8, 3, 16, 16]);
  assert.deepEqual(shapeOf('backbone.pos_embed'), [1, 5, 8]);
  assert.deepEqual(shapeOf('backbone.cls_token'), [1, 1, 8]);
  assert.deepEqual(shapeOf('backbone.blocks.0.attn.qkv.weight'), [24, 8]);
  assert.deepEqual(shapeOf('backbone.blocks.0.attn.proj.bias'), [8]);
  assert.deepEqual(shapeOf('backbone.blocks.2.mlp.fc1.weight'), [32, 8]);
  assert.deepEqual(shapeOf('backbone.blocks.3.norm2.weight'), [8]);
  assert.deepEqual(shapeOf('backbone.blocks.1.mlp.experts.htoh4.weight'), [4, 6, 8]);
  assert.deepEqual(shapeOf('backbone.blocks.1.mlp.experts.h4toh.bias'), [4, 8]);
  for (const t of [0, 1, 2]) assert.deepEqual(shapeOf(`backbone.blocks.3.mlp.gate.${t}.w_gate`), [8, 4]);
  // Heads: VisionTransformerUpHead names for pup; conv_seg / head for the project's linear and cls heads.
  assert.deepEqual(shapeOf('decoders.seg.norm.weight'), [8]);
  assert.deepEqual(shapeOf('decoders.seg.conv_0.weight'), [4, 8, 3, 3]);
  assert.deepEqual(shapeOf('decoders.seg.conv_3.weight'), [4, 4, 3, 3]);
  assert.deepEqual(shapeOf('decoders.seg.syncbn_fc_2.running_var'), [4]);
  assert.deepEqual(shapeOf('decoders.seg.conv_4.weight'), [3, 4, 1, 1]);
  assert.deepEqual(shapeOf('decoders.depth.conv_seg.weight'), [1, 8, 1, 1]);
  assert.deepEqual(shapeOf('decoders.kind.head.weight'), [5, 8]);
  assert.deepEqual(shapeOf('decoders.kind.norm.bias'), [8]);
  assert.equal([...written.keys()].filter((n) => n.includes('w_gate_T') || n.startsWith('l')).length, 0);

  // w_gate[d][e] (M3ViT: logits = x @ w_gate) = w_gate_T[e][d] (ours), checked element by element.
  const ours = weights.get('l1_w_gate_T_task2')!;
  const theirs = written.get('backbone.blocks.1.mlp.gate.2.w_gate')!.data;
  for (let e = 0; e < 4; e++) for (let d = 0; d < 8; d++) assert.equal(theirs[d * 4 + e], ours[e * 8 + d]);
  // Everything else keeps its values in order.
  assert.ok(sameBits(written.get('backbone.blocks.1.mlp.experts.htoh4.weight')!.data, weights.get('l1_htoh4_weight')!));
  assert.ok(sameBits(written.get('backbone.pos_embed')!.data, weights.get('pos_embed')!));
});

test('write M3ViT names → safetensors bytes → read → map gives back every seeded tensor bit for bit', () => {
  const design = designOf(PER_TASK);
  const weights = seededDesignWeights(design, 11);
  const file = readSafetensors(writeSafetensors(toM3vitStateDict(design, weights)));
  const load = fromM3vitStateDict(design, file.tensors);
  assert.equal(load.names, 'm3vit');
  assert.deepEqual([load.missing, load.misshaped, load.unsupported, load.unused, load.skipped], [[], [], [], [], []]);
  assert.deepEqual([...load.tensors.keys()].sort(), [...weights.keys()].sort());
  for (const [name, values] of weights) assert.ok(sameBits(load.tensors.get(name)!, values), name);
});

test('a file with internal names is detected as such and maps to itself', () => {
  const design = designOf(PER_TASK);
  const weights = seededDesignWeights(design, 2);
  const load = fromM3vitStateDict(design, readSafetensors(writeSafetensors(toInternalTensors(design, weights))).tensors);
  assert.equal(load.names, 'internal');
  assert.deepEqual([load.missing, load.misshaped, load.unused], [[], [], []]);
  for (const [name, values] of weights) assert.ok(sameBits(load.tensors.get(name)!, values), name);
});

test('DataParallel `module.` prefixes and a backbone saved alone are accepted; BN counters skipped, extras unused', () => {
  const design = designOf(PER_TASK);
  const stored = new Map<string, StoredTensor>();
  for (const t of toM3vitStateDict(design, seededDesignWeights(design, 1))) {
    const name = t.name.startsWith('backbone.') && t.name.includes('blocks.0.') ? t.name.slice('backbone.'.length) : `module.${t.name}`;
    stored.set(name, { dtype: 'F32', shape: t.shape, data: t.data });
  }
  stored.set('module.decoders.seg.syncbn_fc_0.num_batches_tracked', { dtype: 'I64', shape: [] });
  stored.set('module.backbone.blocks.1.mlp.gate.0.w_gate_aux', { dtype: 'F32', shape: [8, 4], data: new Float32Array(32) });
  const load = fromM3vitStateDict(design, stored);
  assert.equal(load.names, 'm3vit');
  assert.deepEqual(load.missing, []);
  assert.deepEqual(load.skipped, ['module.decoders.seg.syncbn_fc_0.num_batches_tracked']);
  assert.deepEqual(load.unused, ['module.backbone.blocks.1.mlp.gate.0.w_gate_aux']);
  assert.ok(load.tensors.has('l0_qkv_weight'));
});

test('problems are named in the file’s own naming: a router in the wrong orientation, an I64 weight, a missing tensor', () => {
  const design = designOf(PER_TASK);
  const stored = asStored(toM3vitStateDict(design, seededDesignWeights(design, 1)));
  stored.set('backbone.blocks.1.mlp.gate.0.w_gate', { dtype: 'F32', shape: [4, 8], data: new Float32Array(32) });
  stored.set('backbone.blocks.0.norm1.bias', { dtype: 'I64', shape: [8] });
  stored.delete('backbone.blocks.3.mlp.experts.h4toh.weight');
  const load = fromM3vitStateDict(design, stored);
  assert.deepEqual(load.misshaped, [{ name: 'backbone.blocks.1.mlp.gate.0.w_gate', internal: 'l1_w_gate_T_task0', expected: [8, 4], found: [4, 8] }]);
  assert.deepEqual(load.unsupported, [{ name: 'backbone.blocks.0.norm1.bias', dtype: 'I64' }]);
  assert.deepEqual(load.missing, [{ name: 'backbone.blocks.3.mlp.experts.h4toh.weight', internal: 'l3_h4toh_weight', shape: [4, 8, 6] }]);
  assert.equal(load.tensors.has('l1_w_gate_T_task0'), false);
});

test('the shared task embedding: one set for every MoE layer, one M3ViT module, both ways', () => {
  const design = designOf(SHARED);
  const weights = seededDesignWeights(design, 4);
  // One set of task-embedding tensors, as M3ViT has one `gate_task_represent` (vision_transformer_moe.py:423).
  assert.deepEqual([...weights.keys()].filter((n) => n.includes('task_embed')), ['task_embed_fc1_weight', 'task_embed_fc1_bias', 'task_embed_fc2_weight', 'task_embed_fc2_bias', 'task_embed_norm_weight', 'task_embed_norm_bias']);
  const tensors = toM3vitStateDict(design, weights);
  const names = tensors.map((t) => t.name);
  assert.deepEqual(names.filter((n) => n.includes('gate_task_represent')), ['backbone.gate_task_represent.fc1.weight', 'backbone.gate_task_represent.fc1.bias', 'backbone.gate_task_represent.fc2.weight', 'backbone.gate_task_represent.fc2.bias', 'backbone.gate_task_represent.norm.weight', 'backbone.gate_task_represent.norm.bias']);
  // One router over [x ‖ e_task]: M3ViT [D + Dt, E] = [10, 4].
  assert.deepEqual(tensors.find((t) => t.name === 'backbone.blocks.3.mlp.gate.w_gate')!.shape, [10, 4]);
  assert.deepEqual(tensors.find((t) => t.name === 'backbone.gate_task_represent.fc1.weight')!.shape, [2, 2]);
  const load = fromM3vitStateDict(design, asStored(tensors));
  assert.deepEqual([load.missing, load.misshaped, load.unused], [[], [], []]);
  for (const [name, values] of weights) assert.ok(sameBits(load.tensors.get(name)!, values), name);
  // A missing shared tensor is reported once, not once per MoE layer.
  const stored = asStored(tensors);
  stored.delete('backbone.gate_task_represent.norm.bias');
  assert.deepEqual(fromM3vitStateDict(design, stored).missing.map((m) => m.name), ['backbone.gate_task_represent.norm.bias']);
});
