/**
 * `m3v export-onnx FILE (-o|--out) OUT.onnx [--weights DIR|FILE.safetensors] [--seed N]`: writes the design's backbone as one ONNX
 * graph (model/onnx/backbone.ts: sparse expert dispatch, per-task routers chosen by the `task` input). Weights come
 * from an Edge-MoE float32 folder (`--weights`) or a seeded initialisation (`--seed`, default 0). Missing or
 * mis-shaped tensors are named; nothing is written then. Exit 0 ok, 1 design errors, 2 bad usage or unusable weights.
 */
import { buildBackboneModel, MissingWeightsError } from '../../model/onnx/backbone';
import { encodeModel } from '../../model/onnx/proto';
import { refuseOutputsOverInputs, writeFileAtomic, type NamedPath } from '../../node/safeFiles';
import { UsageError, type CliCommand, type CliIo } from '../io';
import { checkMemory } from './memory-budget';
import { loadDesign, parseOptions } from './design-input';
import { loadWeights, nonFiniteWarnings } from './weights-input';

const USAGE = 'm3v export-onnx FILE -o OUT.onnx [--weights DIR|FILE.safetensors] [--seed N] [--max-memory SIZE]';

export async function runExportOnnx(args: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(
    args.map((a) => (a === '-o' ? '--out' : a)),
    ['out', 'weights', 'seed', 'task', 'max-memory'],
    [],
    USAGE,
  );
  const out = opts.values.get('out');
  if (!out) throw new UsageError(`-o OUT.onnx is required. Usage: ${USAGE}`);
  const inputs: NamedPath[] = [{ label: 'the design file', path: opts.file }];
  if (opts.values.has('weights')) inputs.push({ label: 'the --weights input', path: opts.values.get('weights')! });
  refuseOutputsOverInputs([{ label: '-o', path: out }], inputs);
  const loaded = loadDesign(opts.file, io);
  if (!loaded) return 1;
  const { design } = loaded;
  checkMemory(design, 'export-onnx', opts.values.get('max-memory'));
  const task = opts.values.get('task');
  if (task !== undefined && !design.tasks.some((t) => t.name === task)) {
    throw new UsageError(`unknown task '${task}'; tasks: ${design.tasks.map((t) => t.name).join(', ')} (every task is served by the one graph through its 'task' input)`);
  }

  const folder = opts.values.get('weights');
  const { weights } = loadWeights(design, folder, opts.values.get('seed'));
  for (const line of nonFiniteWarnings(weights)) io.err(line);

  let bytes: Uint8Array;
  try {
    bytes = encodeModel(buildBackboneModel(design, weights));
  } catch (error) {
    if (error instanceof MissingWeightsError) {
      throw new UsageError(`weights in '${folder}' lack ${error.names.length} tensor(s) the design needs: ${error.names.join(', ')}`);
    }
    throw error;
  }
  writeFileAtomic(out, bytes);
  io.out(`${out}: ${(bytes.byteLength / 1024 / 1024).toFixed(2)} MiB, ONNX opset 17, inputs image [${design.model.input.channels}, ${design.model.input.height}, ${design.model.input.width}] and task (0..${design.tasks.length - 1}: ${design.tasks.map((t) => t.name).join(', ')})`);
  return 0;
}

export const exportOnnxCommand: CliCommand = {
  name: 'export-onnx',
  synopsis: 'export-onnx FILE -o OUT.onnx [--weights DIR|FILE.safetensors] [--seed N]',
  summary: 'the backbone as one ONNX graph (sparse experts, per-task routers), seeded or Edge-MoE folder weights',
  run: runExportOnnx,
};
