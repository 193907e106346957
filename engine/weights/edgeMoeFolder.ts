/**
 * The Edge-MoE float32 weights folder (sharc-lab/Edge-MoE `weights/`, see docs/runtime.md): one raw little-endian
 * float32 tensor per file, `<name>.float32.bin`, C order. The expected names and shapes follow from the design
 * (dim, depth, MoE layers, experts, expert hidden, tasks), so a folder is checked against the design it claims to fit.
 * Pure: the caller supplies the bytes of a file by name (Node reads a folder, a browser a dropped set of files).
 */
import { tokenCount, type Design } from '../design';

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

/** Loads every expected tensor that is present and well-shaped; names each missing or mis-shaped one. */
export function loadEdgeMoeFolder(design: Design, readFile: (fileName: string) => Uint8Array | undefined): FolderLoad {
  const result: FolderLoad = { tensors: new Map(), missing: [], misshaped: [] };
  for (const spec of edgeMoeTensorSpecs(design)) {
    const bytes = readFile(`${spec.name}.float32.bin`);
    if (!bytes) {
      result.missing.push(spec);
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
