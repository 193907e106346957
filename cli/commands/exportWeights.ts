/**
 * `m3v export-weights FILE -o OUT [--weights DIR|FILE.safetensors | --seed N] [--names internal|m3vit] [--layout safetensors|edge-moe] [--max-memory SIZE]`:
 * writes the design's weights — seeded (the same values `m3v run --seed N` uses) or read from `--weights` — as a
 * float32 safetensors file under the project's internal names (the default) or M3ViT's PyTorch state-dict names and
 * layouts (model/weights/m3vitStateDict.ts), or (`--layout edge-moe`) as the float32 folder Edge-MoE's testbench
 * reads plus a `model.hpp` of its model constants (model/weights/edgeMoeFolder.ts), so a trained checkpoint goes
 * safetensors → m3v → Edge-MoE, and `m3v run --weights OUT` reproduces the run bit for bit. Every file is written
 * atomically (node/safeFiles.ts: a temporary file in the same folder, fsync, rename), and no output may be
 * one of the inputs.
 * Exit 0 ok, 1 design errors, 2 bad usage or weights M3ViT names cannot hold.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { edgeMoeFolderFiles } from '../../model/weights/edgeMoeFolder';
import { headTensorSpecs } from '../../model/weights/headSpecs';
import { M3vitNamesError, toInternalTensors, toM3vitStateDict } from '../../model/weights/m3vitStateDict';
import { writeSafetensors } from '../../model/weights/safetensors';
import { refuseOutputsOverInputs, writeFileAtomic, type NamedPath } from '../../node/safeFiles';
import { UsageError, type CliIo } from '../io';
import { defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { checkMemory } from './memory-budget';
import { loadDesign } from './design-input';
import { loadWeights } from './weights-input';

const EXPORT_WEIGHTS = {
  name: 'export-weights',
  summary: 'the weights (seeded or --weights) as float32 safetensors (internal or M3ViT names) or the Edge-MoE folder',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    out: { type: 'string', short: 'o', value: 'OUT', required: true, help: 'the safetensors file (or, with --layout edge-moe, the folder) to write' },
    weights: { type: 'string', value: 'DIR|FILE.safetensors', help: 'read these weights instead of seeding them' },
    seed: { type: 'string', value: 'N', help: 'the seed of the generated weights (default 0; the values m3v run --seed N uses)' },
    names: { type: 'string', value: 'internal|m3vit', help: "the tensor names: the project's own (default) or M3ViT's PyTorch state-dict names" },
    layout: { type: 'string', value: 'safetensors|edge-moe', help: "one safetensors file (default) or the float32 folder Edge-MoE's testbench reads" },
    'max-memory': { type: 'string', value: 'SIZE', help: 'refuse a design that needs more memory (default: 75 % of the free memory)' },
  },
} as const satisfies CommandSpec;

export async function runExportWeights({ values, positionals: [file] }: ArgsOf<typeof EXPORT_WEIGHTS>, io: CliIo): Promise<number> {
  const out = values.out;
  const names = values.names ?? 'internal';
  if (names !== 'internal' && names !== 'm3vit') throw new UsageError(`--names must be 'internal' or 'm3vit', got '${names}'`);
  const layout = values.layout ?? 'safetensors';
  if (layout !== 'safetensors' && layout !== 'edge-moe') throw new UsageError(`--layout must be 'safetensors' or 'edge-moe', got '${layout}'`);
  if (values.weights !== undefined && values.seed !== undefined) throw new UsageError('give --weights or --seed, not both');
  const inputs: NamedPath[] = [{ label: 'the design file', path: file }];
  const weightsIn = values.weights;
  if (weightsIn) inputs.push({ label: '--weights', path: weightsIn });
  if (layout === 'safetensors') refuseOutputsOverInputs([{ label: '-o', path: out }], inputs);
  const loaded = loadDesign(file, io);
  if (!loaded) return 1;
  const { design } = loaded;
  checkMemory(design, 'export-weights', values['max-memory']);

  const { weights, source } = loadWeights(design, weightsIn, values.seed);
  if (layout === 'edge-moe') {
    const files = edgeMoeFolderFiles(design, weights, headTensorSpecs(design));
    // Each file of the folder must not be an input (a folder read with --weights DIR written back onto itself).
    refuseOutputsOverInputs(files.map((f) => ({ label: '-o', path: join(out, f.fileName) })), inputs);
    try {
      mkdirSync(out, { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot create the folder '${out}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    for (const file of files) writeFileAtomic(join(out, file.fileName), file.bytes);
    const bytes = files.reduce((n, f) => n + f.bytes.byteLength, 0);
    io.out(`${out}: ${files.length - 1} tensors as <name>.float32.bin and model.hpp (${(bytes / 1024 / 1024).toFixed(2)} MiB), the Edge-MoE testbench layout, ${source}`);
    return 0;
  }
  let tensors;
  try {
    tensors = names === 'm3vit' ? toM3vitStateDict(design, weights) : toInternalTensors(design, weights);
  } catch (error) {
    if (error instanceof M3vitNamesError) throw new UsageError(error.message);
    throw error;
  }
  // `format: pt` is what safetensors.torch writes and what loaders such as transformers check for; `m3v.tasks` is the
  // task order of the routers (read back by the task-name check).
  const bytes = writeSafetensors(tensors, { format: 'pt', 'm3v.model': design.model.name, 'm3v.names': names, 'm3v.weights': source, 'm3v.tasks': design.tasks.map((t) => t.name).join(',') });
  writeFileAtomic(out, bytes);
  const valueCount = tensors.reduce((n, t) => n + t.data.length, 0);
  io.out(`${out}: ${tensors.length} tensors, ${valueCount} float32 values (${(bytes.byteLength / 1024 / 1024).toFixed(2)} MiB), ${names === 'm3vit' ? 'M3ViT state-dict names' : 'internal names'}, ${source}`);
  return 0;
}

export const exportWeightsCommand = defineCommand(EXPORT_WEIGHTS, runExportWeights);
