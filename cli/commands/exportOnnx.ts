/**
 * `m3v export-onnx FILE (-o|--out) OUT.onnx [--weights DIR|FILE.safetensors] [--seed N]`: writes the design's backbone as one ONNX
 * graph (model/onnx/backbone.ts: sparse expert dispatch, per-task routers chosen by the `task` input). Weights come
 * from an Edge-MoE float32 folder (`--weights`) or a seeded initialisation (`--seed`, default 0). Missing or
 * mis-shaped tensors are named; nothing is written then. Exit 0 ok, 1 design errors, 2 bad usage or unusable weights.
 */
import { buildBackboneModel, MissingWeightsError } from '../../model/onnx/backbone';
import { encodeModel } from '../../model/onnx/proto';
import { refuseOutputsOverInputs, writeFileAtomic, type NamedPath } from '../../node/safeFiles';
import { UsageError, type CliIo } from '../io';
import { defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { checkMemory } from './memory-budget';
import { loadDesign } from './design-input';
import { loadWeights, nonFiniteWarnings } from './weights-input';

const EXPORT_ONNX = {
  name: 'export-onnx',
  summary: 'the backbone as one ONNX graph (sparse experts, per-task routers), seeded or Edge-MoE folder weights',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    out: { type: 'string', short: 'o', value: 'OUT.onnx', required: true, help: 'the ONNX file to write' },
    weights: { type: 'string', value: 'DIR|FILE.safetensors', help: 'an Edge-MoE float32 folder or a safetensors file (default: seeded weights)' },
    seed: { type: 'string', value: 'N', help: 'the seed of the generated weights (default 0)' },
    task: { type: 'string', value: 'T', help: "check that the design has this task (the graph serves every task through its 'task' input)" },
    'max-memory': { type: 'string', value: 'SIZE', help: 'refuse a design that needs more memory (default: 75 % of the free memory)' },
  },
} as const satisfies CommandSpec;

export async function runExportOnnx({ values, positionals: [file] }: ArgsOf<typeof EXPORT_ONNX>, io: CliIo): Promise<number> {
  const out = values.out;
  const inputs: NamedPath[] = [{ label: 'the design file', path: file }];
  if (values.weights !== undefined) inputs.push({ label: 'the --weights input', path: values.weights });
  refuseOutputsOverInputs([{ label: '-o', path: out }], inputs);
  const loaded = loadDesign(file, io);
  if (!loaded) return 1;
  const { design } = loaded;
  checkMemory(design, 'export-onnx', values['max-memory']);
  const task = values.task;
  if (task !== undefined && !design.tasks.some((t) => t.name === task)) {
    throw new UsageError(`unknown task '${task}'; tasks: ${design.tasks.map((t) => t.name).join(', ')} (every task is served by the one graph through its 'task' input)`);
  }

  const folder = values.weights;
  const { weights } = loadWeights(design, folder, values.seed);
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

export const exportOnnxCommand = defineCommand(EXPORT_ONNX, runExportOnnx);
