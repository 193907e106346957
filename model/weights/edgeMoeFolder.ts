/**
 * The Edge-MoE float32 weights folder (sharc-lab/Edge-MoE `weights/`, see docs/runtime.md): one raw little-endian
 * float32 tensor per file, `<name>.float32.bin`, C order. The expected names and shapes follow from the design
 * (dim, depth, MoE layers, experts, expert hidden, tasks), so a folder is checked against the design it claims to fit.
 * Pure: the caller supplies the bytes of a file by name (Node reads a folder, a browser a dropped set of files).
 */
import { tokenCount, type Design } from '../../engine/design';

export interface TensorSpec {
  name: string;
  shape: number[];
}

export interface FolderLoad {
  tensors: Map<string, Float32Array>;
  /** Expected but absent, with the shape they should have. */
  missing: TensorSpec[];
  /** Present with the wrong number of values. */
  misshaped: { name: string; expected: number[]; foundValues: number }[];
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Every tensor the Edge-MoE layout holds for this design (task gates per task index, as `task0`, `task1`, …). */
export function edgeMoeTensorSpecs(design: Design): TensorSpec[] {
  const m = design.model;
  const D = m.dim;
  const specs: TensorSpec[] = [
    { name: 'patch_embed_weight', shape: [D, m.input.channels, m.patch.height, m.patch.width] },
    { name: 'patch_embed_bias', shape: [D] },
    { name: 'pos_embed', shape: [tokenCount(m), D] },
  ];
  for (let l = 0; l < m.depth; l++) {
    specs.push(
      { name: `l${l}_qkv_weight`, shape: [3 * D, D] },
      { name: `l${l}_qkv_bias`, shape: [3 * D] },
      { name: `l${l}_attn_proj_weight`, shape: [D, D] },
      { name: `l${l}_attn_proj_bias`, shape: [D] },
      { name: `l${l}_norm1_weight`, shape: [D] },
      { name: `l${l}_norm1_bias`, shape: [D] },
      { name: `l${l}_norm2_weight`, shape: [D] },
      { name: `l${l}_norm2_bias`, shape: [D] },
    );
    const moe = m.moe && m.moe.layers.includes(l) ? m.moe : undefined;
    if (!moe) {
      specs.push(
        { name: `l${l}_fc1_weight`, shape: [m.mlpHidden, D] },
        { name: `l${l}_fc1_bias`, shape: [m.mlpHidden] },
        { name: `l${l}_fc2_weight`, shape: [D, m.mlpHidden] },
        { name: `l${l}_fc2_bias`, shape: [D] },
      );
      continue;
    }
    const E = moe.experts;
    specs.push(
      { name: `l${l}_htoh4_weight`, shape: [E, moe.hidden, D] },
      { name: `l${l}_htoh4_bias`, shape: [E, moe.hidden] },
      { name: `l${l}_h4toh_weight`, shape: [E, D, moe.hidden] },
      { name: `l${l}_h4toh_bias`, shape: [E, D] },
    );
    if (moe.gate.kind === 'per_task') {
      design.tasks.forEach((_, t) => specs.push({ name: `l${l}_w_gate_T_task${t}`, shape: [E, D] }));
    } else {
      // Task-conditioned router (M3ViT `new_Mlp`): one router over [x ‖ e_task] per MoE layer; e_task is below.
      specs.push({ name: `l${l}_w_gate_T`, shape: [E, D + moe.gate.embedDim] });
    }
  }
  if (m.moe && m.moe.gate.kind === 'shared' && m.moe.layers.length > 0) {
    // The task embedding one-hot(task) → Linear → GELU → Linear → LayerNorm: ONE module shared by every MoE layer, as
    // M3ViT has it (`gate_task_represent`, vision_transformer_moe.py:423, computed once at :550). Not part of Edge-MoE's
    // folder (it uses per-task gates); named in its style.
    const T = design.tasks.length;
    const Dt = m.moe.gate.embedDim;
    specs.push(
      { name: 'task_embed_fc1_weight', shape: [Dt, T] },
      { name: 'task_embed_fc1_bias', shape: [Dt] },
      { name: 'task_embed_fc2_weight', shape: [Dt, Dt] },
      { name: 'task_embed_fc2_bias', shape: [Dt] },
      { name: 'task_embed_norm_weight', shape: [Dt] },
      { name: 'task_embed_norm_bias', shape: [Dt] },
    );
  }
  return specs;
}

/**
 * Loads every expected tensor that is present and well-shaped; names each missing or mis-shaped one. `optional`
 * tensors (task heads, which Edge-MoE's own folder lacks) are loaded when present and never reported missing.
 */
export function loadEdgeMoeFolder(design: Design, readFile: (fileName: string) => Uint8Array | undefined, optional: TensorSpec[] = []): FolderLoad {
  const result: FolderLoad = { tensors: new Map(), missing: [], misshaped: [] };
  const required = edgeMoeTensorSpecs(design);
  for (const spec of [...required, ...optional]) {
    const bytes = readFile(`${spec.name}.float32.bin`);
    if (!bytes) {
      if (!optional.includes(spec)) result.missing.push(spec);
      continue;
    }
    if (bytes.byteLength !== size(spec.shape) * 4) {
      result.misshaped.push({ name: spec.name, expected: spec.shape, foundValues: bytes.byteLength / 4 });
      continue;
    }
    // Copy into an aligned buffer; DataView keeps little-endian explicit on any host.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values = new Float32Array(bytes.byteLength / 4);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
    result.tensors.set(spec.name, values);
  }
  return result;
}

/** The input frame of the Edge-MoE folder (`image.float32.bin`, C × H × W, pixel/256), checked against the design. */
export function edgeMoeImageShape(design: Design): number[] {
  return [design.model.input.channels, design.model.input.height, design.model.input.width];
}

/** One file of an Edge-MoE folder to write: `<name>.float32.bin` raw little-endian float32, or the model header. */
export interface FolderFile {
  fileName: string;
  bytes: Uint8Array;
}

function float32Bytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

/**
 * The design's weights as the Edge-MoE testbench reads them (testbench/e2e.cpp:60-315, `weights/<name>.float32.bin`
 * through include/tbutil.hpp `read`): every tensor of edgeMoeTensorSpecs, and the head tensors too (our reader takes
 * them back; Edge-MoE ignores them). The cls token is folded into pos_embed row 0, as Edge-MoE stores it (its
 * compute_patch_embed writes pos_embed[0] as token 0, conv.cpp:164): pos_embed[0] + cls_token in float32 is exactly
 * what the graph computes for token 0, so a run from the folder is bit-identical. Plus `model.hpp`, the constants
 * Edge-MoE's include/model.hpp declares, for this design.
 */
export function edgeMoeFolderFiles(design: Design, weights: ReadonlyMap<string, Float32Array>, extraSpecs: TensorSpec[]): FolderFile[] {
  const files: FolderFile[] = [];
  const D = design.model.dim;
  for (const spec of [...edgeMoeTensorSpecs(design), ...extraSpecs]) {
    let values = weights.get(spec.name);
    if (!values) continue;
    if (spec.name === 'pos_embed' && design.model.cls && weights.has('cls_token')) {
      const cls = weights.get('cls_token')!;
      values = Float32Array.from(values);
      for (let d = 0; d < D; d++) values[d] = Math.fround(values[d] + cls[d]);
    }
    files.push({ fileName: `${spec.name}.float32.bin`, bytes: float32Bytes(values) });
  }
  files.push({ fileName: 'model.hpp', bytes: new TextEncoder().encode(edgeMoeModelHeader(design)) });
  return files;
}

/** sharc-lab/Edge-MoE include/model.hpp, with this design's values (names and expressions as there). */
export function edgeMoeModelHeader(design: Design): string {
  const m = design.model;
  const moe = m.moe;
  const notes: string[] = [];
  // What Edge-MoE's kernel assumes and the design may not (ViT_compute.cpp:178 `layer % 2 == 0` is a dense MLP, every
  // odd layer MoE; e2e.cpp:158 loads only `w_gate_T_task0`; conv.cpp:127 `+ 1` for the cls token).
  const odd = Array.from({ length: m.depth }, (_, l) => l).filter((l) => l % 2 === 1);
  if (!moe || moe.layers.join() !== odd.join()) notes.push(`MoE layers [${moe?.layers.join(', ') ?? ''}]: Edge-MoE's kernel makes every odd layer MoE (ViT_compute.cpp:178)`);
  if (moe?.gate.kind === 'shared') notes.push("a task-conditioned router: Edge-MoE's kernel has per-task gates only (w_gate_T_task<t>, e2e.cpp:158)");
  if (!m.cls) notes.push('no cls token: Edge-MoE counts one (NUM_PATCHES + 1, conv.cpp:127)');
  if (m.heads > 0 && m.dim / m.heads !== 64) notes.push(`head dim ${m.dim / m.heads}: Edge-MoE sets attn_scale = 0.125 = 1/sqrt(64) (ViT_compute.cpp:64)`);
  return [
    '#ifndef __MODEL_HPP__',
    '#define __MODEL_HPP__',
    '',
    `// Written by m3v export-weights --layout edge-moe for model '${m.name}' (sharc-lab/Edge-MoE include/model.hpp).`,
    ...notes.map((n) => `// NOTE: ${n}`),
    '',
    `constexpr unsigned int INPUT_CHANNELS = ${m.input.channels};`,
    `constexpr unsigned int INPUT_WIDTH = ${m.input.width};`,
    `constexpr unsigned int INPUT_HEIGHT = ${m.input.height};`,
    '',
    `constexpr unsigned int FEATURE_DIM = ${m.dim};`,
    `constexpr unsigned int VIT_HIDDEN_DIM = ${m.mlpHidden};`,
    `constexpr unsigned int EXPERT_HIDDEN_DIM = ${moe?.hidden ?? m.mlpHidden};`,
    '',
    `constexpr unsigned int PATCH_WIDTH = ${m.patch.width};`,
    `constexpr unsigned int PATCH_HEIGHT = ${m.patch.height};`,
    `constexpr unsigned int NUM_PATCHES = (INPUT_WIDTH / PATCH_WIDTH) * (INPUT_HEIGHT / PATCH_HEIGHT)${m.cls ? ' + 1' : ''};`,
    '',
    `constexpr unsigned int NUM_LAYERS = ${m.depth};`,
    `constexpr unsigned int NUM_HEADS = ${m.heads};`,
    '',
    `constexpr unsigned int NUM_EXPERTS = ${moe?.experts ?? 0};`,
    `constexpr unsigned int NUM_SELECTED_EXPERTS = ${moe?.topK ?? 0};`,
    '',
    '#endif',
    '',
  ].join('\n');
}
