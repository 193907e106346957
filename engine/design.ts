/**
 * The checked design: the one typed value that flows from `language/` (which builds it from `.m3v` text)
 * into every part of `engine/` (costs, memory, schedule, ONNX graph). Every number here is resolved and in
 * SI base units (Hz, bytes/s, seconds, joules, watts), so nothing downstream parses units or applies defaults.
 *
 * Pure data: no Node, no editor. `Span`s are character offsets into the source text so that engine results
 * (a violated budget, a schedule event's layer) can be mapped back to the editor by `language/`.
 */

/** Half-open character range [start, end) in the source text. */
export interface Span {
  start: number;
  end: number;
}

export type Strategy = 'all_resident' | 'token_by_token' | 'expert_by_expert';
export const STRATEGIES: readonly Strategy[] = ['all_resident', 'token_by_token', 'expert_by_expert'];

export interface Design {
  model: ModelSpec;
  tasks: TaskSpec[];
  targets: HardwareTarget[];
  budgets: Budget[];
  scenarios: Scenario[];
  /** `explore NAME { … }` blocks: design spaces around this design (engine/explore/). */
  explores?: import('./explore/spec').ExploreSpec[];
}

export interface ModelSpec {
  name: string;
  span: Span;
  input: { channels: number; height: number; width: number; normalize?: InputNormalization };
  patch: { height: number; width: number };
  /** Embedding width D. */
  dim: number;
  heads: number;
  depth: number;
  /** Resolved dense MLP hidden width (the `mlp 4x` ratio already multiplied by dim). */
  mlpHidden: number;
  /** Whether a cls token is prepended: tokens = patches + 1. */
  cls: boolean;
  /** LayerNorm epsilon. */
  eps: number;
  /** Absent for a dense ViT (the baseline design). */
  moe?: MoeSpec;
}

export interface MoeSpec {
  span: Span;
  /** Resolved, sorted, unique, 0-based block indices that are MoE layers (all < depth). */
  layers: number[];
  experts: number;
  topK: number;
  /** Resolved expert hidden width. */
  hidden: number;
  gate: GateSpec;
  routing: RoutingSpec;
}

/**
 * `per_task`: one router [dim → E] per task (M3ViT multi-gate, Edge-MoE).
 * `shared`: one task-conditioned router over [x ‖ e_task], e_task = LN(Linear(GELU(Linear(onehot(task))))) of width embedDim.
 */
export type GateSpec = { kind: 'per_task' } | { kind: 'shared'; embedDim: number };

/** The token-to-expert distribution that the estimates assume. */
export type RoutingSpec =
  | { kind: 'balanced' }
  | { kind: 'worst' }
  /** `path` as written, relative to the design file; the trace itself is loaded by a Node-side face (CLI, extension). */
  | { kind: 'trace'; path: string }
  /** A seeded skewed draw: expert popularity ∝ 1/(rank+1)^alpha (Zipf), tokens drawn with a seeded PRNG. */
  | { kind: 'skewed'; alpha: number; seed: number };

export type HeadOutput = 'classes' | 'channels';

export type HeadSpec =
  /** Per-patch linear classifier/regressor on the tokens, upsampled (bilinear) to the input size. */
  | { kind: 'linear'; output: HeadOutput; count: number }
  /** M3ViT `VisionTransformerUpHead` (PUP): 4 × (conv3x3 → BN → ReLU → up×2) then conv1x1; `width` = conv width. */
  | { kind: 'pup'; output: HeadOutput; count: number; width: number }
  /** Classifier on the cls token. */
  | { kind: 'cls'; output: 'classes'; count: number };

export interface TaskSpec {
  name: string;
  span: Span;
  nameSpan: Span;
  head: HeadSpec;
  /** Loss weight (informational; default 1). */
  weight: number;
}

/** Number formats of weights and activations. */
export type NumberFormat =
  | { kind: 'fixed'; width: number; integer: number }
  | { kind: 'int8' }
  | { kind: 'float16' }
  | { kind: 'float32' };

export function formatBits(format: NumberFormat): number {
  switch (format.kind) {
    case 'fixed':
      return format.width;
    case 'int8':
      return 8;
    case 'float16':
      return 16;
    case 'float32':
      return 32;
  }
}

export interface DeviceResources {
  lut: number;
  ff: number;
  dsp: number;
  /** 36 Kb block RAMs (a BRAM18 pair counts as one). */
  bram36: number;
  /** 288 Kb UltraRAM blocks. */
  uram: number;
}

export interface EnergyCoefficients {
  /** Joules per multiply-accumulate on the MAC arrays. */
  macJ: number;
  /** Joules per byte read or written in on-chip memory (BRAM/URAM). */
  onchipJPerByte: number;
  /** Joules per byte moved to or from off-chip memory (DDR/HBM). */
  offchipJPerByte: number;
}

/**
 * The board's memory system as wired: which port each stream goes through and whether loads overlap compute.
 * A port moves at most `bits`/8 bytes per accelerator clock; all ports together are capped by the DDR's sustained
 * rate (`HardwareTarget.bandwidthBytesPerSec`).
 */
export interface BoardMemory {
  /** Width of the processor-side port the weight stream goes through (`port weights W bit`). */
  weightPortBits: number;
  /** Width of each activation port (`port acts N x W bit`). */
  actPortBits: number;
  /** Number of activation ports: with two or more, an operation's read and write streams run on separate ports. */
  actPorts: number;
  /** `prefetch on`: the next weights load while the current ones compute (ping/pong in a dataflow region). */
  prefetch: boolean;
}

/** `weight_buffer whole` (each ping/pong buffer holds a whole matrix, Edge-MoE) or a size in bytes (tiles stream). */
export type WeightBuffer = { kind: 'whole' } | { kind: 'bytes'; bytes: number };

/** Per-expert token queues: `full` = [E][N] arrays (Edge-MoE); `compact` = E counts + k·N entries. */
export type QueueLayout = 'full' | 'compact';

/** Where a board fact of a target came from: the design's own line, or the catalog (with its citation). */
export interface FactSource {
  declared: boolean;
  /** The citation (catalog) or "declared in the design"; says "calibrated on …" where it is. */
  source: string;
}

export interface HardwareTarget {
  name: string;
  span: Span;
  nameSpan: Span;
  /** Catalog key of the part (e.g. `xczu9eg`), as resolved from the written name or board alias. */
  device: string;
  /** Resources after user overrides (`dsp 1728`, `bram 312`, …). */
  resources: DeviceResources;
  clockHz: number;
  /** The DDR's (or HBM's) sustained rate for all ports together, bytes per second. */
  bandwidthBytesPerSec: number;
  /** Linear MAC arrays: `units` identical arrays of `inputs` × `outputs` MACs per cycle sharing each linear op. */
  linear: { inputs: number; outputs: number; units: number };
  /** Attention unit: `rows` query rows × `dims` dims per cycle. */
  attention: { rows: number; dims: number };
  weights: NumberFormat;
  acts: NumberFormat;
  schedule: Strategy;
  memory: BoardMemory;
  weightBuffer: WeightBuffer;
  queues: QueueLayout;
  /** A dedicated router unit of `experts` × `width` multipliers (Edge-MoE: 16 × 8); absent = router on the linear arrays. */
  gateUnit?: { experts: number; width: number };
  /** Device static power (PL + PS idle). */
  staticPowerW: number;
  /** Power drawn on the board outside the programmable logic while the model runs (PS, DDR, regulators, fan). */
  boardPowerW: number;
  energy: EnergyCoefficients;
  /** Provenance of the board facts the estimate rests on. */
  facts: { ports: FactSource; bandwidth: FactSource; boardPower: FactSource };
}

export type BudgetMetric = 'latency' | 'fps' | 'onchip' | 'dsp' | 'bram' | 'uram' | 'lut' | 'energy' | 'traffic';
export type Comparison = '<' | '<=' | '>' | '>=';

/** A budget limit in base units: seconds, frames/s, joules, bytes, or a share in percent of a capacity. */
export type BudgetLimit =
  | { kind: 'seconds'; value: number }
  | { kind: 'fps'; value: number }
  | { kind: 'joules'; value: number }
  | { kind: 'bytes'; value: number }
  | { kind: 'percent'; value: number };

export interface Budget {
  /** The target this line applies to; undefined = every target. */
  target?: string;
  metric: BudgetMetric;
  /** For `latency`/`energy`: the task it concerns; undefined = every task. */
  task?: string;
  op: Comparison;
  limit: BudgetLimit;
  /** The source text of the line, for reports. */
  text: string;
  span: Span;
}

export interface Scenario {
  name: string;
  span: Span;
  nameSpan: Span;
  /** The frame sequence with every `repeat` expanded: one task name per frame. */
  frames: string[];
  fps: number;
}

// ---- derived model facts used everywhere (kept here so hover, code lens and the engine agree) ----

export function patchCount(model: ModelSpec): number {
  return Math.floor(model.input.height / model.patch.height) * Math.floor(model.input.width / model.patch.width);
}

export function tokenCount(model: ModelSpec): number {
  return patchCount(model) + (model.cls ? 1 : 0);
}

export function headDim(model: ModelSpec): number {
  return model.dim / model.heads;
}

export function isMoeLayer(model: ModelSpec, layer: number): boolean {
  return model.moe !== undefined && model.moe.layers.includes(layer);
}

/**
 * How image pixels (0..255) become model inputs: x[c] = (pixel / divideBy − mean[c]) / std[c], one mean/std per input
 * channel. `pixel_256` (divideBy 256, mean 0, std 1) is what the Edge-MoE weights expect and the default; `imagenet` is
 * M3ViT's own ToTensor + Normalize. Written by `normalize …` in the model block; the lowering always fills it.
 */
export interface InputNormalization {
  preset: 'pixel_256' | 'unit' | 'imagenet' | 'custom';
  divideBy: number;
  mean: number[];
  std: number[];
}

/** torchvision's ImageNet constants, as M3ViT's transforms use them (VITA-Group/M3ViT utils/common_config.py,
 * get_transformations: tr.ToTensor() then tr.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

/** The normalisation of a preset for an input of `channels` channels (imagenet needs 3). */
export function presetNormalization(preset: 'pixel_256' | 'unit' | 'imagenet', channels: number): InputNormalization {
  if (preset === 'imagenet') return { preset, divideBy: 255, mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] };
  return { preset, divideBy: preset === 'unit' ? 255 : 256, mean: new Array<number>(channels).fill(0), std: new Array<number>(channels).fill(1) };
}

/** The model's input normalisation, with the pixel_256 default for specs built without the lowering. */
export function inputNormalization(model: ModelSpec): InputNormalization {
  return model.input.normalize ?? presetNormalization('pixel_256', model.input.channels);
}
