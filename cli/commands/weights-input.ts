/**
 * Weights for a model run or export: `--weights PATH` — an Edge-MoE float32 folder or a `.safetensors` file (M3ViT
 * state-dict names or internal names, detected) — or a seeded initialisation (`--seed N`).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../../engine/design';
import { edgeMoeTensorSpecs, loadEdgeMoeFolder } from '../../model/weights/edgeMoeFolder';
import { headTensorSpecs } from '../../model/weights/headSpecs';
import { checkpointTaskOrder, fromM3vitStateDict, taskOrderProblem } from '../../model/weights/m3vitStateDict';
import { FLOAT_DTYPES, readSafetensors, SafetensorsError } from '../../model/weights/safetensors';
import { seededDesignWeights } from '../../model/weights/seeded';
import { countParams } from '../../engine/costs/params';
import { formatSize, readRegularFile } from '../../node/safeFiles';
import { UsageError } from '../io';

const shape = (s: number[]) => `[${s.join(', ')}]`;

/** A long list of names stays one readable line: the first few, then a count. */
function listed(items: string[], max = 8): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * Tensors that would silently poison a run: all values NaN (an export bug, an uninitialised buffer), or some NaN or
 * infinite. One line each, first few tensors named; empty when the weights are finite.
 */
export function nonFiniteWarnings(weights: ReadonlyMap<string, Float32Array>, what = 'weights'): string[] {
  const allNaN: string[] = [];
  const some: string[] = [];
  for (const [name, values] of weights) {
    let nan = 0;
    let bad = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) nan++;
      if (!Number.isFinite(v)) bad++;
    }
    if (values.length > 0 && nan === values.length) allNaN.push(name);
    else if (bad > 0) some.push(`${name} (${bad} of ${values.length})`);
  }
  const out: string[] = [];
  if (allNaN.length > 0) out.push(`warning: ${what}: ${allNaN.length} tensor(s) are all NaN: ${listed(allNaN)}; the outputs will be NaN`);
  if (some.length > 0) out.push(`warning: ${what}: ${some.length} tensor(s) hold NaN or infinite values: ${listed(some)}`);
  return out;
}

export function loadWeights(design: Design, path: string | undefined, seedText: string | undefined): { weights: Map<string, Float32Array>; source: string } {
  if (path !== undefined) {
    if (!existsSync(path)) throw new UsageError(`--weights '${path}' does not exist (give an Edge-MoE weights folder or a .safetensors file)`);
    if (statSync(path).isFile() && /\.safetensors$/i.test(path)) return loadSafetensorsFile(design, path);
    // Kept word for word: scripts and tests match it (a .safetensors file is named by its extension).
    if (!statSync(path).isDirectory()) throw new UsageError(`--weights '${path}' is not a folder`);
    const folder = path;
    // Each tensor file's size is checked against what its shape needs before it is read (a 3 GB file, a FIFO or a
    // link to /dev/zero under a tensor's name is refused by name, not read).
    const heads = headTensorSpecs(design);
    const needed = new Map([...edgeMoeTensorSpecs(design), ...heads].map((spec) => [`${spec.name}.float32.bin`, spec.shape]));
    const load = loadEdgeMoeFolder(design, (name) => {
      const file = join(folder, name);
      if (!existsSync(file)) return undefined;
      const dims = needed.get(name) ?? [];
      const bytes = dims.reduce((a, b) => a * b, 1) * 4;
      return new Uint8Array(readRegularFile(file, { maxBytes: bytes, what: 'tensor file', because: `its float32 shape ${shape(dims)} needs ${bytes} bytes` }));
    }, heads); // heads, when the folder has them (m3v export-weights --layout edge-moe writes them)
    if (load.misshaped.length > 0) {
      const list = load.misshaped.map((m) => `${m.name} (expected [${m.expected.join(', ')}], found ${m.foundValues} values)`);
      throw new UsageError(`weights in '${folder}' do not fit the design: ${list.join('; ')}`);
    }
    return { weights: load.tensors, source: `weights from ${folder}` };
  }
  const text = seedText ?? '0';
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got '${text}'`);
  return { weights: seededDesignWeights(design, seed), source: `seeded weights (seed ${seed})` };
}

/**
 * A safetensors file, checked against the design. Format problems, mis-shaped tensors, tensors of an unusable dtype
 * and missing backbone tensors are each one line naming the file and the tensor. Missing head tensors and a missing
 * cls token are not errors: the graph leaves out a head without weights, and Edge-MoE folds the cls token into
 * `pos_embed` row 0.
 */
function loadSafetensorsFile(design: Design, file: string): { weights: Map<string, Float32Array>; source: string } {
  // Float64 is the widest dtype accepted: a file over 8 bytes per parameter of the design (plus room for a header
  // and a few unused tensors) cannot be this design's weights, and is refused before it is read.
  const maxBytes = 8 * countParams(design).total + 64 * 1024 * 1024;
  const bytes = readRegularFile(file, { maxBytes, what: 'weights file', because: `the design's ${countParams(design).total} parameters need at most ${formatSize(8 * countParams(design).total)} as float64` });
  let parsed;
  try {
    parsed = readSafetensors(new Uint8Array(bytes));
  } catch (error) {
    if (error instanceof SafetensorsError) throw new UsageError(`'${file}' is not a usable safetensors file: ${error.message}`);
    throw new UsageError(`cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const load = fromM3vitStateDict(design, parsed.tensors);
  const naming = load.names === 'm3vit' ? 'M3ViT state-dict names' : 'internal names';
  if (load.misshaped.length > 0) {
    const list = load.misshaped.map((m) => `${m.name} (expected ${shape(m.expected)}, found ${shape(m.found)})`);
    throw new UsageError(`weights in '${file}' (${naming}) do not fit the design: ${listed(list)}`);
  }
  if (load.unsupported.length > 0) {
    const list = load.unsupported.map((u) => `${u.name} is ${u.dtype}`);
    throw new UsageError(`weights in '${file}' have tensors of an unusable dtype: ${listed(list)} (weights must be ${FLOAT_DTYPES.join(', ')})`);
  }
  const needed = new Set(edgeMoeTensorSpecs(design).map((s) => s.name));
  const missing = load.missing.filter((m) => needed.has(m.internal));
  if (missing.length > 0) {
    const list = missing.map((m) => `${m.name} ${shape(m.shape)}`);
    throw new UsageError(`weights in '${file}' (${naming}) lack ${missing.length} tensor(s) the design needs: ${listed(list)}`);
  }
  // Routers are chosen by task index: under M3ViT names, match them to the design's tasks by the checkpoint's names.
  const orderProblem = load.names === 'm3vit' ? taskOrderProblem(design, checkpointTaskOrder(parsed.tensors.keys(), parsed.metadata)) : undefined;
  if (orderProblem) throw new UsageError(`weights in '${file}' (${naming}) do not match the design's tasks: ${orderProblem}`);
  const notes = [naming];
  if (load.unused.length > 0) notes.push(`${load.unused.length} unused tensor(s)`);
  return { weights: load.tensors, source: `weights from ${file} (${notes.join(', ')})` };
}
