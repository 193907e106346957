/**
 * `m3v run FILE --task T [--image P] [--weights DIR|FILE.safetensors] [--seed N] [--threads N] [--trace OUT] [--output OUT.png] [--features OUT.bin] [--json]`: builds the
 * design's backbone graph, runs it with onnxruntime-node in a child process (model/runtime/runner.ts) on an image,
 * a raw float32 tensor or (without --image) a seeded random input, and reports the measured latency and the routing:
 * per MoE layer, each token's k experts and scores, and the tokens per expert. `--trace OUT` writes the routing trace
 * (docs/routing-trace.md) for `routing trace "OUT"`. With --json, progress goes to stderr as `progress DONE/TOTAL msg`.
 * `--numerics declared|edge-moe` runs the model as the FPGA computes it (model/onnx/numerics.ts: the target's
 * `weights`/`acts` formats, or Edge-MoE's own types) and reports it beside a float32 run (model/onnx/compareRuns.ts).
 */
import { availableParallelism } from 'node:os';
import { patchCount, type Design } from '../../engine/design';
import { buildBackboneModel, MissingWeightsError } from '../../model/onnx/backbone';
import { encodeModel } from '../../model/onnx/proto';
import { compareRuns, type NumericsComparison } from '../../model/onnx/compareRuns';
import { emulationNotes, NumericsError, numericsPlan, type NumericsPlan } from '../../model/onnx/numerics';
import { mulberry32 } from '../../engine/random';
import { expertCounts, type RoutingTrace } from '../../engine/routing-trace';
import { InputError, predictionPng, readInputTensor } from '../../model/runtime/image';
import { ModelRunner, type RunOutput } from '../../model/runtime/runner';
import { refuseOutputsOverInputs, writeFileAtomic, type NamedPath } from '../../node/safeFiles';
import { UsageError, type CliIo } from '../io';
import { defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { checkMemory } from './memory-budget';
import { dirname, resolve } from 'node:path';
import { loadDesign } from './design-input';
import { loadWeights, nonFiniteWarnings } from './weights-input';

const RUN = {
  name: 'run',
  summary: 'run the backbone in onnxruntime-node (child process): measured latency and the real routing trace',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    task: { type: 'string', value: 'T', help: 'the task to run (needed when the design has more than one)' },
    image: { type: 'string', value: 'P', help: 'a PNG or JPEG image, or a raw float32 tensor (default: a seeded random input)' },
    weights: { type: 'string', value: 'DIR|FILE.safetensors', help: 'an Edge-MoE float32 folder or a safetensors file (default: seeded weights)' },
    seed: { type: 'string', value: 'N', help: 'the seed of the generated weights (default 0)' },
    threads: { type: 'string', value: 'N', help: "onnxruntime's intra-op threads, 1 to this machine's cores (default 1)" },
    numerics: { type: 'string', value: 'float32|declared|edge-moe', help: "run as the FPGA computes: the target's weights/acts formats or Edge-MoE's own types, beside a float32 run" },
    target: { type: 'string', value: 'T', help: 'the target whose formats --numerics declared uses (default: the first declared)' },
    'int8-scales': { type: 'string', value: 'per-channel|per-tensor', help: 'how int8 weights are scaled under --numerics (default per-channel)' },
    trace: { type: 'string', value: 'OUT', help: 'write the routing trace (docs/routing-trace.md) for `routing trace "OUT"`' },
    output: { type: 'string', value: 'OUT.png', help: "write the task head's prediction map as a PNG" },
    features: { type: 'string', value: 'OUT.bin', help: 'write the backbone features as raw float32' },
    'max-memory': { type: 'string', value: 'SIZE', help: 'refuse a design that needs more memory (default: 75 % of the free memory)' },
    json: { type: 'boolean', help: 'the result as JSON (progress on stderr as `progress DONE/TOTAL msg`)' },
  },
} as const satisfies CommandSpec;

/** `--numerics`, `--target`, `--int8-scales` → the plan, or undefined for a plain float32 run. */
function numericsOption(design: Design, values: { numerics?: string; target?: string; 'int8-scales'?: string }): NumericsPlan | undefined {
  const mode = values.numerics ?? 'float32';
  const targetName = values.target;
  const target = targetName === undefined ? design.targets[0] : design.targets.find((t) => t.name === targetName);
  if (targetName !== undefined && !target) throw new UsageError(`unknown target '${targetName}'; targets: ${design.targets.map((t) => t.name).join(', ') || 'none'}`);
  const scales = values['int8-scales'] ?? 'per-channel';
  if (scales !== 'per-channel' && scales !== 'per-tensor') throw new UsageError(`--int8-scales must be 'per-channel' or 'per-tensor', got '${scales}'`);
  try {
    const plan = numericsPlan(mode, target, scales);
    return plan.mode === 'float32' ? undefined : plan;
  } catch (error) {
    if (error instanceof NumericsError) throw new UsageError(error.message);
    throw error;
  }
}

/** The comparison as `--json` carries it (snake_case, as the rest of the run's JSON). */
function comparisonJson(plan: NumericsPlan, c: NumericsComparison, float32Ms: number) {
  const p = c.prediction;
  return {
    mode: plan.mode,
    formats: plan.summary,
    notes: emulationNotes(plan),
    float32_latency_ms: float32Ms,
    layers: c.layers.map((l) => ({ layer: l.layer, rel_l2: l.relativeL2 })),
    routing: c.routing.map((r) => ({ layer: r.layer, flips: r.flips, tokens: r.tokens })),
    prediction: !p
      ? undefined
      : p.kind === 'argmax'
        ? { kind: 'argmax', agreement: p.agreement, pixels: p.pixels }
        : p.kind === 'regression'
          ? { kind: 'regression', rel_error: p.relativeError }
          : { kind: 'class', same: p.same, class_float32: p.classFloat32, class_quantised: p.classQuantised, rel_error: p.relativeError },
  };
}

function comparisonLines(plan: NumericsPlan, c: NumericsComparison): string[] {
  const lines = [`numerics: ${plan.summary}, beside the float32 run of the same weights and input:`];
  lines.push(`  tokens, relative L2 per block: ${c.layers.map((l) => `${l.layer}: ${l.relativeL2.toExponential(2)}`).join(', ')}`);
  for (const r of c.routing) lines.push(`  layer ${r.layer}: ${r.flips} of ${r.tokens} tokens changed their top-k expert set`);
  const p = c.prediction;
  if (p?.kind === 'argmax') lines.push(`  prediction: arg-max class agrees on ${(100 * p.agreement).toFixed(2)}% of ${p.pixels} pixels`);
  else if (p?.kind === 'regression') lines.push(`  prediction: relative error ${p.relativeError.toExponential(2)}`);
  else if (p?.kind === 'class') lines.push(`  prediction: class ${p.classQuantised} (float32: ${p.classFloat32}), logits relative error ${p.relativeError.toExponential(2)}`);
  for (const note of emulationNotes(plan)) lines.push(`  note: ${note}`);
  return lines;
}

function traceOf(design: Design, task: string, result: RunOutput, source: string): RoutingTrace {
  const layers = (design.model.moe?.layers ?? []).map((layer) => {
    const experts = result.outputs[`topk_experts_${layer}`];
    const scores = result.outputs[`topk_scores_${layer}`];
    const k = experts.dims[1];
    const e = Array.from(experts.data as BigInt64Array, Number);
    const s = Array.from(scores.data as Float32Array);
    return {
      layer,
      experts: Array.from({ length: experts.dims[0] }, (_, t) => e.slice(t * k, (t + 1) * k)),
      scores: Array.from({ length: experts.dims[0] }, (_, t) => s.slice(t * k, (t + 1) * k).map((v) => Number(v.toPrecision(7)))),
    };
  });
  return { format: 'm3v-routing-trace', version: 1, model: design.model.name, task, tokens: result.outputs.features.dims[0], experts: design.model.moe?.experts, top_k: design.model.moe?.topK, source, layers };
}

/** Writes a file the user asked for, atomically; a failure is their one-line error (FileRefusal), not a stack trace. */
function writeOrExplain(path: string, data: string | Uint8Array): void {
  writeFileAtomic(path, data);
}

/** `--threads N`: a whole number from 1 to the cores of this machine (more only queue and slow the run down). */
export function parseThreads(text: string | undefined, cores = availableParallelism()): number {
  const t = text ?? '1';
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1 || n > cores) throw new UsageError(`--threads must be a whole number from 1 to ${cores} (the cores of this machine), got '${t}'`);
  return n;
}

/** The index of the largest value, in one pass (no spread: `Math.max(...x)` overflows the stack at ~125 k values). */
export function argMax(values: Float32Array | number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best] || values[best] !== values[best]) best = i;
  return best;
}

export async function runRun({ values, positionals: [file] }: ArgsOf<typeof RUN>, io: CliIo): Promise<number> {
  const json = values.json;
  const progress = (done: number, message: string) => json && io.err(`progress ${done}/4 ${message}`);
  // Outputs never overwrite an input (or each other), checked before any work so nothing is written.
  const outputs: NamedPath[] = (['trace', 'output', 'features'] as const).flatMap((k) => (values[k] !== undefined ? [{ label: `--${k}`, path: values[k] }] : []));
  const inputs: NamedPath[] = [{ label: 'the design file', path: file }];
  for (const k of ['image', 'weights'] as const) if (values[k] !== undefined) inputs.push({ label: `the --${k} input`, path: values[k] });
  refuseOutputsOverInputs(outputs, inputs);
  const threads = parseThreads(values.threads);
  const loaded = loadDesign(file, io);
  if (!loaded) return 1;
  const { design } = loaded;
  const routing = design.model.moe?.routing;
  if (routing?.kind === 'trace') refuseOutputsOverInputs(outputs, [{ label: 'the routing trace of the design', path: resolve(dirname(file), routing.path) }]);
  const taskName = values.task ?? (design.tasks.length === 1 ? design.tasks[0].name : undefined);
  const taskIndex = design.tasks.findIndex((t) => t.name === taskName);
  if (taskIndex < 0) throw new UsageError(`${taskName === undefined ? '--task is required' : `unknown task '${taskName}'`}; tasks: ${design.tasks.map((t) => t.name).join(', ')}`);
  checkMemory(design, 'run', values['max-memory']);

  const plan = numericsOption(design, values);

  progress(0, 'building the ONNX graph');
  const { weights, source } = loadWeights(design, values.weights, values.seed);
  for (const line of nonFiniteWarnings(weights)) io.err(line);
  let model: Uint8Array;
  // With --numerics, two graphs: the quantised one (whose run is reported) and the float32 one it is compared with,
  // both giving every block's tokens.
  let float32Model: Uint8Array | undefined;
  try {
    model = encodeModel(buildBackboneModel(design, weights, plan ? { numerics: plan, layerOutputs: true } : {}));
    if (plan) float32Model = encodeModel(buildBackboneModel(design, weights, { layerOutputs: true }));
  } catch (error) {
    if (error instanceof NumericsError) throw new UsageError(error.message);
    if (error instanceof MissingWeightsError) throw new UsageError(`the weights lack ${error.names.length} tensor(s) the design needs: ${error.names.join(', ')}`);
    throw error;
  }
  const { channels: C, height: H, width: W } = design.model.input;
  let input: { data: Float32Array; dims: number[]; png?: Buffer };
  const imagePath = values.image;
  try {
    if (imagePath !== undefined) input = readInputTensor(imagePath, C, H, W, design.model.input.normalize);
    else {
      const rand = mulberry32(7);
      input = { data: Float32Array.from({ length: C * H * W }, () => rand()), dims: [C, H, W] };
    }
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }

  for (const line of nonFiniteWarnings(new Map([[imagePath ?? 'input', input.data]]), 'input')) io.err(line);
  // The float32 run first, in its own worker (the two models are never loaded at once).
  let float32Result: RunOutput | undefined;
  if (float32Model) {
    const reference = new ModelRunner(float32Model, threads);
    try {
      await reference.run(input.data, input.dims, taskIndex);
      float32Result = await reference.run(input.data, input.dims, taskIndex);
    } catch (error) {
      throw new UsageError((error as Error).message);
    } finally {
      reference.dispose();
    }
  }
  const runner = new ModelRunner(model, threads);
  let result: RunOutput;
  let loadMs: number;
  // The worker's own progress drives the lines the extension shows (`progress N/4 …` on stderr with --json).
  let warmUp = true;
  runner.onProgress = (stage) => {
    if (stage === 'loading') progress(1, 'loading the model in onnxruntime-node');
    else if (stage === 'running') progress(2, warmUp ? `warming up ${taskName}` : `running ${taskName}`);
  };
  try {
    loadMs = await runner.load();
    await runner.run(input.data, input.dims, taskIndex); // warm-up: first-run allocations are not the model's latency
    warmUp = false;
    result = await runner.run(input.data, input.dims, taskIndex);
  } catch (error) {
    throw new UsageError((error as Error).message);
  } finally {
    runner.dispose();
  }
  progress(3, 'writing results');
  const trace = traceOf(design, taskName!, result, `onnxruntime-node run of ${file} (${source}) on ${imagePath ?? 'a seeded random input'}`);
  const tracePath = values.trace;
  if (tracePath !== undefined) writeOrExplain(tracePath, JSON.stringify(trace) + '\n');
  // The backbone's output tokens [tokens, dim] as raw little-endian float32 (`--features`), e.g. for a new head.
  const features = result.outputs.features;
  const featuresPath = values.features;
  if (featuresPath !== undefined) {
    const data = features.data as Float32Array;
    writeOrExplain(featuresPath, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  // The task's prediction: a map for linear and PUP heads (PNG with --output), class logits for a cls head.
  const task = design.tasks[taskIndex];
  const prediction = result.outputs[`prediction_${task.name}`];
  const logits = task.head.kind === 'cls' ? result.outputs[`head_${task.name}`] : undefined;
  const outputPng = prediction && task.head.kind !== 'cls' ? predictionPng(prediction.data as Float32Array, prediction.dims, task.head.output) : undefined;
  const outputPath = values.output;
  if (outputPath !== undefined) {
    if (!outputPng) throw new UsageError(`task '${task.name}' has no prediction map to write (${task.head.kind === 'cls' ? 'a cls head gives class logits, not a map' : 'its head has no weights'})`);
    writeOrExplain(outputPath, outputPng);
  }
  const logitValues = logits ? Array.from(logits.data as Float32Array) : undefined;
  const topClass = logitValues ? argMax(logitValues) : undefined;
  const counts = Object.fromEntries(trace.layers.map((l) => [String(l.layer), expertCounts(l, trace.experts ?? 0)]));
  const cols = Math.floor(W / design.model.patch.width);
  const comparison = plan && float32Result ? compareRuns(design, taskIndex, result.outputs, float32Result.outputs) : undefined;
  if (json) {
    io.out(
      JSON.stringify({
        task: taskName,
        latency_ms: result.ms,
        load_ms: loadMs,
        threads,
        grid: { rows: patchCount(design.model) / cols, cols },
        expert_counts: counts,
        trace,
        input_png: input.png?.toString('base64'),
        output_png: outputPng?.toString('base64'),
        prediction: prediction ? { output: task.head.output, dims: prediction.dims } : logitValues ? { output: 'classes', class: topClass, logits: logitValues } : undefined,
        features: { dims: features.dims, path: featuresPath },
        numerics: plan && comparison && float32Result ? comparisonJson(plan, comparison, float32Result.ms) : undefined,
      }),
    );
  } else {
    const lines = [`${taskName}: ${result.ms.toFixed(2)} ms per frame (onnxruntime-node, ${threads} thread${threads > 1 ? 's' : ''}; model loaded in ${loadMs.toFixed(0)} ms; weights: ${source})`];
    for (const l of trace.layers) lines.push(`layer ${l.layer}: tokens per expert ${counts[String(l.layer)].join(' ')} (${counts[String(l.layer)].filter((c) => c > 0).length} experts used)`);
    if (prediction) lines.push(`prediction: ${task.head.count} ${task.head.output} at ${prediction.dims.slice(1).join(' x ')}${outputPath ? `, written to ${outputPath}` : ''}`);
    else if (logitValues) lines.push(`prediction: class ${topClass} of ${logitValues.length} (logit ${logitValues[topClass!].toFixed(4)})`);
    else lines.push(`prediction: none (the ${task.head.kind} head of '${task.name}' has no weights)`);
    lines.push(`features: ${features.dims.join(' x ')} float32${featuresPath ? `, written to ${featuresPath}` : ''}`);
    if (tracePath) lines.push(`routing trace written to ${tracePath}`);
    if (plan && comparison) lines.push(...comparisonLines(plan, comparison));
    io.out(lines.join('\n'));
  }
  progress(4, 'done');
  return 0;
}

export const runCommand = defineCommand(RUN, runRun);
