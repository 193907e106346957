/**
 * The M3ViT state-dict names ↔ the project's internal (Edge-MoE-style) tensor names, for a given design.
 *
 * Every PyTorch name below was read in VITA-Group/M3ViT @ d448b6f (cited file:line) and FastMoE (laekov/fastmoe
 * `fmoe/linear.py`); `MultiTaskModel` holds `self.backbone` and `self.decoders` (a ModuleDict by task,
 * models/models.py:123-124), and main.py:148 saves `model.state_dict()`, so names start `backbone.` / `decoders.<task>.`
 * (`module.` in front when the model was wrapped in (Distributed)DataParallel, as train_fastmoe.py:269-272 does —
 * stripped here, as models/model_utils.py:14 does).
 *
 * Layout differences, converted here so the rest of the project sees one layout:
 * - `backbone.pos_embed` [1, T, D] and `backbone.cls_token` [1, 1, D] (vision_transformer_moe.py:408-411) have leading
 *   singleton dims; ours are [T, D] and [D]. Any difference only in size-1 dims is accepted (the C-order bytes are equal).
 * - M3ViT's router `w_gate` is [d_gate, E] and used as `inp @ self.w_gate` (gate_funs/noisy_gate_vmoe.py:20-22, :182);
 *   ours is `w_gate_T` [E, d_gate] (the Edge-MoE folder's orientation), so it is transposed both ways.
 * - The task-conditioned router's task embedding `backbone.gate_task_represent` (a `new_Mlp`,
 *   vision_transformer_moe.py:423, fc1/fc2/norm at :179-183) is ONE module shared by every MoE block (:550 computes it
 *   once and passes it to each block); ours is one set too (`task_embed_*`), so the names map one to one.
 * - FastMoE's `FMoELinear.weight` is [num_expert, out_feat, in_feat] and `bias` [num_expert, out_feat]
 *   (fmoe/linear.py), the same as our `htoh4`/`h4toh` tensors: no conversion.
 *
 * Pure: no Node, no editor.
 */
import { tokenCount, type Design } from '../../engine/design';
import { edgeMoeTensorSpecs } from './edgeMoeFolder';
import { headTensorSpecs } from './headSpecs';
import type { TensorToWrite } from './safetensors';

export type WeightNames = 'internal' | 'm3vit';

/** One internal tensor and its M3ViT counterpart. Several internal tensors may share one M3ViT tensor (task embed). */
export interface NameMapping {
  internal: string;
  internalShape: number[];
  m3vit: string;
  m3vitShape: number[];
  /** The M3ViT tensor is the 2-D transpose of ours (routers). */
  transpose: boolean;
}

/** Every tensor the design uses, internal name → M3ViT name, in the order the seeded initialiser draws them. */
export function m3vitNameTable(design: Design): NameMapping[] {
  const m = design.model;
  const table: NameMapping[] = [];
  const same = (internal: string, shape: number[], m3vit: string, m3vitShape = shape) => table.push({ internal, internalShape: shape, m3vit, m3vitShape, transpose: false });
  const specs = new Map<string, number[]>([...edgeMoeTensorSpecs(design), ...headTensorSpecs(design)].map((s) => [s.name, s.shape]));
  const shapeOf = (name: string) => specs.get(name)!;

  for (const spec of edgeMoeTensorSpecs(design)) {
    const name = spec.name;
    let match: RegExpMatchArray | null;
    if (name === 'patch_embed_weight') same(name, spec.shape, 'backbone.patch_embed.proj.weight'); // PatchEmbed.proj Conv2d, :299, :404
    else if (name === 'patch_embed_bias') same(name, spec.shape, 'backbone.patch_embed.proj.bias');
    else if (name === 'pos_embed') same(name, spec.shape, 'backbone.pos_embed', [1, tokenCount(m), m.dim]); // :410
    else if ((match = name.match(/^l(\d+)_(qkv|attn_proj|norm1|norm2|fc1|fc2)_(weight|bias)$/))) {
      // Block (:226): norm1 :237, attn.qkv :205, attn.proj :207, norm2 :243, dense Mlp fc1/fc2 :161-163 (via :273).
      const [, l, part, kind] = match;
      const module = { qkv: 'attn.qkv', attn_proj: 'attn.proj', norm1: 'norm1', norm2: 'norm2', fc1: 'mlp.fc1', fc2: 'mlp.fc2' }[part]!;
      same(name, spec.shape, `backbone.blocks.${l}.${module}.${kind}`);
    } else if ((match = name.match(/^l(\d+)_(htoh4|h4toh)_(weight|bias)$/))) {
      // FMoETransformerMLP.experts = _Expert (custom_moe_layer.py:122), FMoELinear htoh4 / h4toh (:32-33).
      same(name, spec.shape, `backbone.blocks.${match[1]}.mlp.experts.${match[2]}.${match[3]}`);
    } else if ((match = name.match(/^l(\d+)_w_gate_T_task(\d+)$/))) {
      // multi_gate: `self.gate = nn.ModuleList([gate(...) for i in range(num_tasks)])` (custom_moe_layer.py:145).
      const [E, d] = spec.shape;
      table.push({ internal: name, internalShape: spec.shape, m3vit: `backbone.blocks.${match[1]}.mlp.gate.${match[2]}.w_gate`, m3vitShape: [d, E], transpose: true });
    } else if ((match = name.match(/^l(\d+)_w_gate_T$/))) {
      // One shared router over [x ‖ e_task] (custom_moe_layer.py:152, concatenation at :179).
      const [E, d] = spec.shape;
      table.push({ internal: name, internalShape: spec.shape, m3vit: `backbone.blocks.${match[1]}.mlp.gate.w_gate`, m3vitShape: [d, E], transpose: true });
    } else if ((match = name.match(/^task_embed_(fc1|fc2|norm)_(weight|bias)$/))) {
      same(name, spec.shape, `backbone.gate_task_represent.${match[1]}.${match[2]}`);
    } else {
      throw new Error(`internal: no M3ViT name for tensor '${name}'`); // a new spec without a mapping is a bug here
    }
  }
  // :408; the seeded weights always hold one, and a design without a cls token simply does not use it.
  same('cls_token', [m.dim], 'backbone.cls_token', [1, 1, m.dim]);

  for (const task of design.tasks) {
    const p = `head_${task.name}`;
    const d = `decoders.${task.name}`;
    const head = task.head;
    if (head.kind === 'pup') {
      // VisionTransformerUpHead (models/vit_up_head.py): norm :84, conv_0..conv_3 (3x3) :116-123, conv_4 (1x1 to the
      // outputs) :124, syncbn_fc_0..3 :126-129 (mmcv build_norm_layer → BatchNorm: weight, bias, running_mean,
      // running_var, and an int64 num_batches_tracked that inference does not use).
      same(`${p}_norm_weight`, shapeOf(`${p}_norm_weight`), `${d}.norm.weight`);
      same(`${p}_norm_bias`, shapeOf(`${p}_norm_bias`), `${d}.norm.bias`);
      for (let i = 0; i < 4; i++) {
        same(`${p}_conv${i}_weight`, shapeOf(`${p}_conv${i}_weight`), `${d}.conv_${i}.weight`);
        same(`${p}_conv${i}_bias`, shapeOf(`${p}_conv${i}_bias`), `${d}.conv_${i}.bias`);
        for (const [ours, theirs] of [['weight', 'weight'], ['bias', 'bias'], ['mean', 'running_mean'], ['var', 'running_var']]) {
          same(`${p}_bn${i}_${ours}`, shapeOf(`${p}_bn${i}_${ours}`), `${d}.syncbn_fc_${i}.${theirs}`);
        }
      }
      same(`${p}_out_weight`, shapeOf(`${p}_out_weight`), `${d}.conv_4.weight`);
      same(`${p}_out_bias`, shapeOf(`${p}_out_bias`), `${d}.conv_4.bias`);
    } else if (head.kind === 'linear') {
      // Not an M3ViT head (its decoders are all VisionTransformerUpHead): named as mmseg's 1x1 classifier `conv_seg`
      // [N, D, 1, 1], which M3ViT's BaseDecodeHead has commented out (models/decoder_head.py:80). A per-patch Linear
      // is that 1x1 conv; [N, D] is accepted too.
      const [N, D] = shapeOf(`${p}_weight`);
      same(`${p}_weight`, [N, D], `${d}.conv_seg.weight`, [N, D, 1, 1]);
      same(`${p}_bias`, shapeOf(`${p}_bias`), `${d}.conv_seg.bias`);
    } else {
      // Not an M3ViT head either: timm's ViT classifier names, `norm` then `head` (vision_transformer_moe.py:452 has
      // `self.head` commented out), under the task's decoder.
      same(`${p}_weight`, shapeOf(`${p}_weight`), `${d}.head.weight`);
      same(`${p}_bias`, shapeOf(`${p}_bias`), `${d}.head.bias`);
      same(`${p}_norm_weight`, shapeOf(`${p}_norm_weight`), `${d}.norm.weight`);
      same(`${p}_norm_bias`, shapeOf(`${p}_norm_bias`), `${d}.norm.bias`);
    }
  }
  return table;
}

/** A tensor as read from a file: float data when its dtype converts to float32, else just its dtype and shape. */
export interface StoredTensor {
  dtype: string;
  shape: number[];
  data?: Float32Array;
}

export interface StateDictLoad {
  /** Which naming the file uses (the one that matches more of the design's tensors). */
  names: WeightNames;
  /** Internal names, internal layouts. */
  tensors: Map<string, Float32Array>;
  /** Expected but absent — `name` in the file's naming, `shape` as that naming stores it; `internal` is ours. */
  missing: { name: string; internal: string; shape: number[] }[];
  /** Present with a shape that differs by more than size-1 dims (file naming and layout). */
  misshaped: { name: string; internal: string; expected: number[]; found: number[] }[];
  /** Needed, but stored with a dtype that is not F32/F16/BF16/F64. */
  unsupported: { name: string; dtype: string }[];
  /** Float tensors the design does not use (file names). */
  unused: string[];
  /** Integer/bool tensors the design does not use, e.g. BatchNorm `num_batches_tracked` (file names). */
  skipped: string[];
}

const squeeze = (shape: number[]) => shape.filter((d) => d !== 1);
const sameLayout = (a: number[], b: number[]) => {
  const x = squeeze(a);
  const y = squeeze(b);
  return x.length === y.length && x.every((d, i) => d === y[i]);
};

/** `module.` from DataParallel; a backbone saved on its own has no `backbone.` in front. */
function normaliseName(name: string): string {
  let n = name;
  while (n.startsWith('module.')) n = n.slice('module.'.length);
  if (/^(patch_embed\.|blocks\.|pos_embed$|cls_token$|gate_task_represent\.)/.test(n)) n = `backbone.${n}`;
  return n;
}

function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/**
 * Maps a state dict (M3ViT names, or already internal names — detected) to internal tensors for `design`, naming
 * everything missing, mis-shaped, of an unusable dtype or unused.
 */
export function fromM3vitStateDict(design: Design, stored: Map<string, StoredTensor>): StateDictLoad {
  const table = m3vitNameTable(design);
  const byName = new Map<string, { file: string; tensor: StoredTensor }>();
  for (const [file, tensor] of stored) byName.set(normaliseName(file), { file, tensor });
  const internalHits = table.filter((row) => stored.has(row.internal)).length;
  const m3vitHits = table.filter((row) => byName.has(row.m3vit)).length;
  const names: WeightNames = m3vitHits > internalHits ? 'm3vit' : 'internal';

  const result: StateDictLoad = { names, tensors: new Map(), missing: [], misshaped: [], unsupported: [], unused: [], skipped: [] };
  const used = new Set<string>();
  for (const row of table) {
    const key = names === 'm3vit' ? row.m3vit : row.internal;
    const expected = names === 'm3vit' ? row.m3vitShape : row.internalShape;
    const entry = names === 'm3vit' ? byName.get(key) : stored.has(key) ? { file: key, tensor: stored.get(key)! } : undefined;
    if (!entry) {
      // Shared tensors (the task embedding) are reported once, not once per MoE layer.
      if (!result.missing.some((m) => m.name === key)) result.missing.push({ name: key, internal: row.internal, shape: expected });
      continue;
    }
    used.add(entry.file);
    if (!entry.tensor.data) {
      if (!result.unsupported.some((u) => u.name === entry.file)) result.unsupported.push({ name: entry.file, dtype: entry.tensor.dtype });
      continue;
    }
    if (!sameLayout(entry.tensor.shape, expected)) {
      if (!result.misshaped.some((m) => m.name === entry.file)) result.misshaped.push({ name: entry.file, internal: row.internal, expected, found: entry.tensor.shape });
      continue;
    }
    const data = entry.tensor.data;
    result.tensors.set(row.internal, names === 'm3vit' && row.transpose ? transpose2d(data, row.m3vitShape[0], row.m3vitShape[1]) : data);
  }
  for (const [file, tensor] of stored) {
    if (used.has(file)) continue;
    if (tensor.data) result.unused.push(file);
    else result.skipped.push(file);
  }
  return result;
}

/** Writing M3ViT names needs what M3ViT cannot hold to agree (its one task embedding). */
export class M3vitNamesError extends Error {}

/** Internal tensors → tensors to write under M3ViT names and layouts (one copy of the shared task embedding). */
export function toM3vitStateDict(design: Design, internal: Map<string, Float32Array>): TensorToWrite[] {
  const out: TensorToWrite[] = [];
  const written = new Map<string, { from: string; data: Float32Array }>();
  for (const row of m3vitNameTable(design)) {
    const values = internal.get(row.internal);
    if (!values) throw new M3vitNamesError(`no tensor '${row.internal}' to write as '${row.m3vit}'`);
    const data = row.transpose ? transpose2d(values, row.internalShape[0], row.internalShape[1]) : values;
    const earlier = written.get(row.m3vit);
    if (earlier) {
      if (earlier.data.length !== data.length || earlier.data.some((v, i) => v !== data[i])) {
        throw new M3vitNamesError(
          `M3ViT has one task embedding shared by every MoE layer ('${row.m3vit}'), but '${earlier.from}' and '${row.internal}' differ; write internal names instead`,
        );
      }
      continue;
    }
    written.set(row.m3vit, { from: row.internal, data });
    out.push({ name: row.m3vit, shape: row.m3vitShape, data });
  }
  return out;
}

/** Internal tensors in table order with their internal shapes (the `--names internal` file). */
export function toInternalTensors(design: Design, internal: Map<string, Float32Array>): TensorToWrite[] {
  return m3vitNameTable(design).map((row) => {
    const data = internal.get(row.internal);
    if (!data) throw new M3vitNamesError(`no tensor '${row.internal}' to write`);
    return { name: row.internal, shape: row.internalShape, data };
  });
}


/**
 * The task order of a checkpoint under M3ViT names: its routers are indexed by task (`mlp.gate.<t>`, and the shared
 * router's one-hot(task)), in the order of its config's `TASKS.NAMES`, and its task heads `decoders.<task>.…` carry
 * the names — in that order, since `MultiTaskModel.decoders` is a ModuleDict built from the task list
 * (models/models.py:124) and a state dict keeps module order. The order is read from the `m3v.tasks` metadata when
 * the file has it (our writer records it; a tool that sorts tensor names, as safetensors' own writer does, loses the
 * header order), else from the first appearance of each `decoders.<task>.` in the header. Undefined: no task heads.
 */
export function checkpointTaskOrder(fileNames: Iterable<string>, metadata: Record<string, string>): string[] | undefined {
  const declared = metadata['m3v.tasks'];
  if (declared !== undefined) return declared.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const order: string[] = [];
  for (const file of fileNames) {
    const match = normaliseName(file).match(/^decoders\.([^.]+)\./);
    if (match && !order.includes(match[1])) order.push(match[1]);
  }
  return order.length > 0 ? order : undefined;
}

/**
 * Why the design's tasks cannot take this checkpoint's routers, or undefined when they can: the same names in the
 * same order. A checkpoint without task heads cannot say which router is whose (unless the design has one task).
 */
export function taskOrderProblem(design: Design, checkpointOrder: string[] | undefined): string | undefined {
  const ours = design.tasks.map((t) => t.name);
  if (!checkpointOrder) {
    if (ours.length <= 1) return undefined;
    return `it has no task heads (decoders.<task>.…), so nothing says which of its routers belongs to which of the design's tasks (${ours.join(', ')}); save the checkpoint with its decoders, or record the order as the metadata key m3v.tasks="${ours.join(',')}"`;
  }
  if (ours.length === checkpointOrder.length && ours.every((t, i) => t === checkpointOrder[i])) return undefined;
  const sameSet = ours.length === checkpointOrder.length && ours.every((t) => checkpointOrder.includes(t));
  const fix = sameSet ? `list the design's tasks in the checkpoint's order (${checkpointOrder.join(', ')})` : `name the design's tasks as the checkpoint does, in its order (${checkpointOrder.join(', ')})`;
  return `its routers are in the task order ${checkpointOrder.join(', ')}, the design's tasks are ${ours.join(', ')}; ${fix}, or each task would run another task's router`;
}
