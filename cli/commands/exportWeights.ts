/**
 * `m3v export-weights FILE -o OUT.safetensors [--seed N] [--names internal|m3vit]`: writes the design's seeded weights
 * (the same values `m3v run --seed N` uses) as a float32 safetensors file, under the project's internal names (the
 * default) or M3ViT's PyTorch state-dict names and layouts (engine/weights/m3vitStateDict.ts), so that
 * `m3v run --weights OUT.safetensors` reproduces a seeded run and a PyTorch user can load the file into M3ViT's model.
 * Exit 0 ok, 1 design errors, 2 bad usage or weights M3ViT names cannot hold.
 */
import { writeFileSync } from 'node:fs';
import { M3vitNamesError, toInternalTensors, toM3vitStateDict } from '../../engine/weights/m3vitStateDict';
import { writeSafetensors } from '../../engine/weights/safetensors';
import { UsageError, type CliCommand, type CliIo } from '../io';
import { loadDesign, parseOptions } from './design-input';
import { loadWeights } from './weights-input';

const USAGE = 'm3v export-weights FILE -o OUT.safetensors [--seed N] [--names internal|m3vit]';

export async function runExportWeights(args: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(
    args.map((a) => (a === '-o' ? '--out' : a)),
    ['out', 'seed', 'names'],
    [],
    USAGE,
  );
  const out = opts.values.get('out');
  if (!out) throw new UsageError(`-o OUT.safetensors is required. Usage: ${USAGE}`);
  const names = opts.values.get('names') ?? 'internal';
  if (names !== 'internal' && names !== 'm3vit') throw new UsageError(`--names must be 'internal' or 'm3vit', got '${names}'`);
  const loaded = loadDesign(opts.file, io);
  if (!loaded) return 1;
  const { design } = loaded;

  const { weights, source } = loadWeights(design, undefined, opts.values.get('seed'));
  let tensors;
  try {
    tensors = names === 'm3vit' ? toM3vitStateDict(design, weights) : toInternalTensors(design, weights);
  } catch (error) {
    if (error instanceof M3vitNamesError) throw new UsageError(error.message);
    throw error;
  }
  // `format: pt` is what safetensors.torch writes and what loaders such as transformers check for.
  const bytes = writeSafetensors(tensors, { format: 'pt', 'm3v.model': design.model.name, 'm3v.names': names, 'm3v.weights': source, 'm3v.tasks': design.tasks.map((t) => t.name).join(',') });
  try {
    writeFileSync(out, bytes);
  } catch (error) {
    throw new UsageError(`cannot write '${out}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const values = tensors.reduce((n, t) => n + t.data.length, 0);
  io.out(`${out}: ${tensors.length} tensors, ${values} float32 values (${(bytes.byteLength / 1024 / 1024).toFixed(2)} MiB), ${names === 'm3vit' ? 'M3ViT state-dict names' : 'internal names'}, ${source}`);
  return 0;
}

export const exportWeightsCommand: CliCommand = {
  name: 'export-weights',
  synopsis: 'export-weights FILE -o OUT.safetensors [--seed N] [--names internal|m3vit]',
  summary: 'the seeded weights as a float32 safetensors file, internal or M3ViT state-dict names',
  run: runExportWeights,
};
