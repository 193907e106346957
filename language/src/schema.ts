/**
 * The one table describing every block and key of the `.m3v` language: forms, value dimension, default, meaning and
 * enumerated values. The checker, completion, hover and docs/language.md all read it, so they cannot disagree.
 */
import { STRATEGIES } from '../../engine/design';
import type { Dimension } from '../../engine/units';
import { DEVICE_NAMES } from '../../engine/catalog';
import { HARDWARE_VARY_KEYS, MODEL_VARY_KEYS } from '../../engine/explore/spec';

/** `file` is the top level, whose "keys" are the block keywords. */
export type BlockKind = 'file' | 'model' | 'moe' | 'task' | 'hardware' | 'budget' | 'scenario' | 'explore';

export interface KeyInfo {
  key: string;
  /** Accepted spellings, as shown in completion, hover and the docs (`clock F` …). */
  forms: string[];
  /** One line: what the key means. */
  meaning: string;
  required?: boolean;
  /** May appear more than once in its block (budget lines, energy coefficients, blocks like `task`). */
  repeatable?: boolean;
  /** Unit dimension of the value, when it is a quantity. */
  dimension?: Dimension;
  /** The default when omitted, as text. */
  defaultText?: string;
  /** Enumerated first words of the value (for completion and "did you mean"). */
  values?: readonly string[];
  /** The block this keyword opens (top-level keys and `moe`). */
  opens?: BlockKind;
  /**
   * Sane range of every number of the value (each of `C x H x W`; a quantity in SI base units after its unit). A
   * value outside it is an error at the number, so absurd inputs (`experts 1e308`, `clock 1e308 MHz`, `dsp 0`) stop
   * at the checker instead of overflowing the engine into NaN or an allocation failure (docs/limits.md).
   */
  range?: ValueRange;
  example: string;
}

export interface ValueRange {
  min: number;
  max: number;
  /** The range as users write it, for the message: `1 to 4096`, `1 kHz to 10 GHz`. */
  text: string;
}

const range = (min: number, max: number, text = `${min} to ${max}`): ValueRange => ({ min, max, text });
/** Widths and counts of the model: 2^20 is far above any ViT (ViT-H: dim 1280, MLP 5120) yet keeps products finite. */
const WIDTH = range(1, 1_048_576);

export interface BlockInfo {
  kind: BlockKind;
  /** How the block is written. */
  form: string;
  meaning: string;
  keys: KeyInfo[];
}

export const SCHEDULES: readonly string[] = STRATEGIES;
export const GATE_KINDS = ['per_task', 'shared'] as const;
export const ROUTING_KINDS = ['balanced', 'worst', 'trace', 'skewed'] as const;
export const LAYER_SELECTORS = ['odd', 'even', 'all', 'every'] as const;
export const HEAD_KINDS = ['linear', 'pup', 'cls'] as const;
export const HEAD_OUTPUTS = ['classes', 'channels'] as const;
export const NUMBER_FORMATS = ['fixed', 'int8', 'float16', 'float32'] as const;
export const ON_OFF = ['on', 'off'] as const;
/** `normalize` forms: three presets, or `mean [..] std [..]` (one value per input channel). */
export const NORMALIZE_KINDS = ['pixel_256', 'unit', 'imagenet', 'mean'] as const;
export const ENERGY_KINDS = ['mac', 'onchip', 'ddr', 'offchip'] as const;
export const POWER_KINDS = ['static', 'board'] as const;
export const PORT_STREAMS = ['weights', 'acts'] as const;
export const QUEUE_LAYOUTS = ['full', 'compact'] as const;
export const COMPARISONS = ['<', '<=', '>', '>='] as const;
export const RESOURCE_KEYS = ['lut', 'ff', 'dsp', 'bram', 'uram'] as const;
/** Keys an `explore` block may vary: model keys, then hardware keys of the explored target. */
export const VARY_KEYS: readonly string[] = [...MODEL_VARY_KEYS, ...HARDWARE_VARY_KEYS];
export const MINIMIZE_METRICS = ['latency', 'energy', 'onchip', 'dsp', 'traffic'] as const;
export const MAXIMIZE_METRICS = ['fps'] as const;

const resourceKey = (key: string, what: string, min: 0 | 1, max: number): KeyInfo => ({
  key,
  // A count of 0 DSPs or BRAMs leaves nothing to compute or buffer with (percentages would divide by 0); URAM may be 0.
  range: range(min, max),
  forms: [`${key} N`],
  meaning: `Override the catalog's ${what} count of the device.`,
  defaultText: 'from the device catalog',
  example: `${key} ${key === 'dsp' ? 1728 : key === 'bram' ? 312 : key === 'uram' ? 96 : 100000}`,
});

const budgetShare = (key: string, what: string): KeyInfo => ({
  key,
  forms: [`${key} < X %`],
  meaning: `Limit on the share of the target's ${what} the design uses.`,
  repeatable: true,
  dimension: 'share',
  example: `${key} < 90 %`,
});

export const SCHEMA: Record<BlockKind, BlockInfo> = {
  file: {
    kind: 'file',
    form: 'top level',
    meaning: 'A design: one model, its tasks, hardware targets, budgets and scenarios.',
    keys: [
      { key: 'model', forms: ['model NAME { … }'], meaning: 'The multi-task (MoE) vision transformer; exactly one.', required: true, opens: 'model', example: 'model m3vit_tiny { … }' },
      { key: 'task', forms: ['task NAME { … }'], meaning: 'A task served by the model, with its head; names are unique.', repeatable: true, opens: 'task', example: 'task semseg { head linear classes 7 }' },
      { key: 'hardware', forms: ['hardware NAME { … }'], meaning: 'An FPGA target: device, clock, bandwidth, compute arrays, formats, schedule.', repeatable: true, opens: 'hardware', example: 'hardware zcu102 { … }' },
      { key: 'budget', forms: ['budget { … }', 'budget TARGET { … }'], meaning: 'Limits checked against every target, or against the named one.', repeatable: true, opens: 'budget', example: 'budget zcu102 { fps >= 25 }' },
      { key: 'scenario', forms: ['scenario NAME { … }'], meaning: 'A task-switching frame sequence for the switching simulation.', repeatable: true, opens: 'scenario', example: 'scenario drive { frames repeat 10 { semseg depth }; fps 30 }' },
      { key: 'explore', forms: ['explore NAME { … }'], meaning: "A design space around the design: varied model and hardware keys, objectives; the target's budgets are the constraints.", repeatable: true, opens: 'explore', example: 'explore fit { target zcu102; vary experts [8, 16]; minimize latency semseg }' },
    ],
  },
  model: {
    kind: 'model',
    form: 'model NAME { … }',
    meaning: 'The ViT backbone; with a `moe` block it is an M3ViT-style mixture-of-experts model, without it a dense ViT.',
    keys: [
      { key: 'input', range: range(1, 65_536), forms: ['input C x H x W'], meaning: 'Input image: channels × height × width (pixels).', required: true, example: 'input 3 x 128 x 256' },
      { key: 'patch', range: range(1, 4_096), forms: ['patch P', 'patch PH x PW'], meaning: 'Patch size in pixels; the input height and width must be multiples of it.', required: true, example: 'patch 16' },
      { key: 'dim', range: WIDTH, forms: ['dim D'], meaning: 'Embedding width D (channels per token).', required: true, example: 'dim 192' },
      { key: 'heads', range: range(1, 4_096), forms: ['heads N'], meaning: 'Attention heads; dim must be divisible by heads.', required: true, example: 'heads 3' },
      { key: 'depth', forms: ['depth L'], meaning: 'Number of transformer blocks.', required: true, example: 'depth 12' },
      { key: 'mlp', range: WIDTH, forms: ['mlp Rx', 'mlp WIDTH'], meaning: 'Dense MLP hidden width: a ratio of dim (`4x`) or an absolute width.', dimension: 'ratio', defaultText: '4x', example: 'mlp 4x' },
      { key: 'cls', forms: ['cls on', 'cls off'], meaning: 'Whether a cls token is prepended (tokens = patches + 1).', values: ON_OFF, defaultText: 'on', example: 'cls on' },
      { key: 'normalize', forms: ['normalize pixel_256', 'normalize unit', 'normalize imagenet', 'normalize mean [M, …] std [S, …]'], meaning: 'How image pixels become inputs: pixel/256 (Edge-MoE), pixel/255, ImageNet mean/std after pixel/255 (M3ViT), or your own mean/std per input channel after pixel/255.', values: NORMALIZE_KINDS, defaultText: 'pixel_256', example: 'normalize imagenet' },
      { key: 'eps', range: range(1e-30, 1), forms: ['eps E'], meaning: 'LayerNorm epsilon.', defaultText: '1e-6', example: 'eps 1e-6' },
      { key: 'moe', forms: ['moe { … }'], meaning: 'Mixture-of-experts layers replacing the dense MLP in the selected blocks; at most one.', opens: 'moe', example: 'moe { layers odd; experts 16; top_k 2; hidden 384 }' },
    ],
  },
  moe: {
    kind: 'moe',
    form: 'moe { … }',
    meaning: 'Which blocks are MoE layers, how many experts, how tokens are routed.',
    keys: [
      { key: 'layers', forms: ['layers odd', 'layers even', 'layers all', 'layers [1, 3, 5]', 'layers every N from S'], meaning: 'The MoE blocks, by 0-based index (< depth).', required: true, values: LAYER_SELECTORS, example: 'layers odd' },
      { key: 'experts', range: range(1, 4_096), forms: ['experts E'], meaning: 'Experts per MoE layer.', required: true, example: 'experts 16' },
      { key: 'top_k', range: range(1, 4_096), forms: ['top_k K'], meaning: 'Experts each token is routed to (1 ≤ K ≤ E).', required: true, example: 'top_k 2' },
      { key: 'hidden', range: WIDTH, forms: ['hidden WIDTH', 'hidden Rx'], meaning: 'Expert MLP hidden width: absolute, or a ratio of dim.', required: true, dimension: 'ratio', example: 'hidden 384' },
      { key: 'gate', range: WIDTH, forms: ['gate per_task', 'gate shared embed D'], meaning: 'One router per task (M3ViT multi-gate), or one task-conditioned router with a task embedding of width D.', values: GATE_KINDS, defaultText: 'per_task', example: 'gate per_task' },
      { key: 'routing', forms: ['routing balanced', 'routing worst', 'routing trace "FILE"', 'routing skewed [ALPHA] [seed N]'], meaning: 'The token-to-expert distribution the estimates assume.', values: ROUTING_KINDS, defaultText: 'balanced', example: 'routing balanced' },
    ],
  },
  task: {
    kind: 'task',
    form: 'task NAME { … }',
    meaning: 'A task the model serves, with its decoder head.',
    keys: [
      { key: 'head', range: WIDTH, forms: ['head linear classes N', 'head linear channels N', 'head pup classes|channels N [width C]', 'head cls classes N'], meaning: 'The task head: per-patch linear, progressive upsampling (M3ViT `VisionTransformerUpHead`, width default 256), or a cls-token classifier.', required: true, values: HEAD_KINDS, example: 'head linear classes 7' },
      { key: 'weight', range: range(0, 1e6), forms: ['weight W'], meaning: 'Loss weight of the task (informational).', defaultText: '1', example: 'weight 1' },
    ],
  },
  hardware: {
    kind: 'hardware',
    form: 'hardware NAME { … }',
    meaning: 'One FPGA target.',
    keys: [
      { key: 'device', forms: ['device PART'], meaning: 'Catalog part or board (fills resources, bandwidth, power and energy defaults).', required: true, values: DEVICE_NAMES, example: 'device xczu9eg' },
      { key: 'clock', range: range(1, 1e10, '1 Hz to 10 GHz'), forms: ['clock F'], meaning: 'Clock of the accelerator; required (the catalog cannot know it).', required: true, dimension: 'frequency', example: 'clock 300 MHz' },
      { key: 'bandwidth', range: range(1, 1e13, '1 B/s to 10 TB/s'), forms: ['bandwidth BW'], meaning: "The DDR's (or HBM's) sustained rate, shared by all ports together.", dimension: 'bandwidth', defaultText: "the board's DDR peak from the catalog", example: 'bandwidth 17.07 GB/s' },
      { key: 'port', range: range(1, 4_096, '1 to 4096 (ports, or bytes of width)'), forms: ['port weights W bit', 'port acts W bit', 'port acts N x W bit'], meaning: 'The processor-side port each stream goes through, as the board wires it: at most W/8 bytes per clock each (a 256-bit kernel master on a 128-bit port moves 128 bits a clock); `acts` may name N ports (reads and writes of one operation then run on separate ports).', repeatable: true, values: PORT_STREAMS, defaultText: 'per device (catalog): Zynq UltraScale+ 128 bit, 2 activation ports; Alveo HBM 256 bit', example: 'port acts 4 x 128 bit' },
      { key: 'prefetch', forms: ['prefetch on', 'prefetch off'], meaning: 'Whether the next weights load while the current ones compute (ping/pong in a dataflow region); `off` = load, then compute.', values: ON_OFF, defaultText: 'off', example: 'prefetch off' },
      { key: 'weight_buffer', range: range(1, 2 ** 30, '1 B to 1 GiB'), forms: ['weight_buffer SIZE', 'weight_buffer whole'], meaning: 'Size of each ping/pong weight buffer; `whole` holds a whole matrix (Edge-MoE); a size streams larger matrices through in tiles of output rows, each tile re-reading the activations.', dimension: 'size', values: ['whole'], defaultText: 'whole', example: 'weight_buffer 288 KiB' },
      { key: 'queues', forms: ['queues full', 'queues compact'], meaning: 'Per-expert token queues: [E][N] arrays, one bank per expert (Edge-MoE), or compact (E counts + k·N entries).', values: QUEUE_LAYOUTS, defaultText: 'full', example: 'queues compact' },
      { key: 'gate_unit', range: range(1, 65_536), forms: ['gate_unit E x W'], meaning: 'A dedicated router unit of E × W multipliers (Edge-MoE: 16 x 8); without it the router runs on the linear arrays, tiled over the experts.', example: 'gate_unit 16 x 8' },
      { key: 'linear', range: range(1, 65_536), forms: ['linear IN x OUT', 'linear IN x OUT units N'], meaning: 'Linear MAC arrays: inputs × outputs MACs per cycle each; `units N` identical arrays share every linear operation (its output tiles).', defaultText: '16 x 16 units 1', example: 'linear 16 x 16 units 1' },
      { key: 'attention', range: range(1, 65_536), forms: ['attention ROWS x DIMS'], meaning: 'Attention unit: query rows × dims per cycle.', defaultText: '4 x 8', example: 'attention 4 x 8' },
      { key: 'weights', forms: ['weights fixed<W,I>', 'weights int8', 'weights float16', 'weights float32'], meaning: 'Number format of weights.', values: NUMBER_FORMATS, defaultText: 'fixed<16,2>', example: 'weights fixed<16,2>' },
      { key: 'acts', forms: ['acts fixed<W,I>', 'acts int8', 'acts float16', 'acts float32'], meaning: 'Number format of activations.', values: NUMBER_FORMATS, defaultText: 'fixed<32,10>', example: 'acts fixed<32,10>' },
      { key: 'schedule', forms: SCHEDULES.map((s) => `schedule ${s}`), meaning: 'How expert weights are brought on chip.', values: SCHEDULES, defaultText: 'expert_by_expert', example: 'schedule expert_by_expert' },
      { key: 'power', range: range(0, 1e4, '0 to 10000 W'), forms: ['power static P', 'power board P'], meaning: 'Static power of the device; `board`: power drawn outside the programmable logic while the model runs (processor system, DDR, regulators, fan), added to every frame.', repeatable: true, values: POWER_KINDS, dimension: 'power', defaultText: 'static per device family; board from the catalog where a board was measured, else 0', example: 'power board 11.5 W' },
      { key: 'energy', range: range(0, 1e6, '0 to 1 MJ (per MAC or per byte)'), forms: ['energy mac E', 'energy onchip E/B', 'energy ddr E/B', 'energy offchip E/B'], meaning: 'Energy per MAC, per on-chip byte, per off-chip byte (`offchip` = `ddr`).', repeatable: true, values: ENERGY_KINDS, defaultText: 'per device family (catalog)', example: 'energy ddr 120 pJ/B' },
      resourceKey('dsp', 'DSP slice', 1, 1_000_000),
      resourceKey('bram', 'BRAM36 block', 1, 1_000_000),
      resourceKey('uram', 'URAM block', 0, 1_000_000),
      resourceKey('lut', 'LUT', 1, 100_000_000),
      resourceKey('ff', 'flip-flop', 1, 100_000_000),
    ],
  },
  budget: {
    kind: 'budget',
    form: 'budget [TARGET] { … }',
    meaning: 'Limits the design must meet on every target, or on the named target.',
    keys: [
      { key: 'latency', forms: ['latency [TASK] < T'], meaning: 'Single-frame latency, of one task or of every task.', repeatable: true, dimension: 'time', example: 'latency semseg < 40 ms' },
      { key: 'fps', forms: ['fps >= N'], meaning: 'Throughput in frames per second.', repeatable: true, example: 'fps >= 25' },
      { key: 'onchip', forms: ['onchip < X %', 'onchip < SIZE'], meaning: 'On-chip memory: a share of BRAM + URAM capacity, or a size.', repeatable: true, dimension: 'share', example: 'onchip < 75 %' },
      budgetShare('dsp', 'DSP slices'),
      budgetShare('bram', 'BRAM36 blocks'),
      budgetShare('uram', 'URAM blocks'),
      budgetShare('lut', 'LUTs'),
      { key: 'energy', forms: ['energy [TASK] < E'], meaning: 'Energy per frame, of one task or of every task.', repeatable: true, dimension: 'energy', example: 'energy < 150 mJ' },
      { key: 'traffic', forms: ['traffic < SIZE'], meaning: 'Off-chip bytes moved per frame.', repeatable: true, dimension: 'size', example: 'traffic < 64 MB' },
    ],
  },
  scenario: {
    kind: 'scenario',
    form: 'scenario NAME { … }',
    meaning: 'A sequence of frames, each running one task, at a frame rate: the input of the switching simulation.',
    keys: [
      { key: 'frames', forms: ['frames TASK…', 'frames repeat N { TASK… }'], meaning: 'The task of each frame; `repeat N { … }` repeats a sequence and nests.', required: true, example: 'frames repeat 10 { semseg depth semseg }' },
      { key: 'fps', range: range(1e-6, 1e6), forms: ['fps N'], meaning: 'Frame rate of the scenario (> 0).', required: true, example: 'fps 30' },
    ],
  },
  explore: {
    kind: 'explore',
    form: 'explore NAME { … }',
    meaning:
      "A design space around the design, evaluated point by point with the cost model: the exact Pareto front of the objectives among the points that meet every budget of the target (over all points when the target has no budget). Points breaking a model rule (top_k > experts, dim not divisible by heads, a MoE layer beyond depth) are skipped and counted. Up to 10^6 points every point is evaluated; larger spaces (up to 10^12) run a seeded evolutionary search (NSGA-II); larger ones are refused.",
    keys: [
      { key: 'target', forms: ['target TARGET'], meaning: 'The hardware target explored; its budgets are the constraints.', defaultText: 'the only hardware target', example: 'target zcu102' },
      {
        key: 'vary',
        forms: ['vary KEY [V1, V2, …]', 'vary KEY A .. B [step S]', 'vary KEY A .. B step Rx'],
        meaning: `A key and its values, written as in its own block (\`16 x 16\`, \`250 MHz\`, \`fixed<8,2>\`, \`every 2 from 1\`); a range goes from A to B by S (or times R). Model keys: ${MODEL_VARY_KEYS.join(', ')}; hardware keys: ${HARDWARE_VARY_KEYS.join(', ')}.`,
        repeatable: true,
        values: VARY_KEYS,
        example: 'vary clock 200 MHz .. 300 MHz step 50 MHz',
      },
      { key: 'minimize', forms: ['minimize latency [TASK]', 'minimize energy [TASK]', 'minimize onchip', 'minimize dsp', 'minimize traffic'], meaning: 'An objective to make small: latency (s) or energy per frame (J) of a task or of the worst task, on-chip bytes, DSP slices, off-chip bytes per frame.', repeatable: true, values: MINIMIZE_METRICS, example: 'minimize latency semseg' },
      { key: 'maximize', forms: ['maximize fps [TASK]'], meaning: 'An objective to make large: frames per second of a task, or of the slowest task.', repeatable: true, values: MAXIMIZE_METRICS, example: 'maximize fps' },
      { key: 'seed', forms: ['seed N'], meaning: 'Seed of the evolutionary search of spaces too large to enumerate (the same seed gives the same front).', defaultText: '1', example: 'seed 7' },
    ],
  },
};

export const BLOCK_KINDS: readonly BlockKind[] = Object.keys(SCHEMA) as BlockKind[];

export function blockInfo(kind: BlockKind): BlockInfo {
  return SCHEMA[kind];
}

export function keysOf(kind: BlockKind): string[] {
  return SCHEMA[kind].keys.map((k) => k.key);
}

export function keyInfo(kind: BlockKind, key: string): KeyInfo | undefined {
  return SCHEMA[kind].keys.find((k) => k.key === key);
}

/** The enumerated values of a key (`schedule`, `gate`, `routing`, …); empty when the value is free. */
export function enumValues(kind: BlockKind, key: string): readonly string[] {
  return keyInfo(kind, key)?.values ?? [];
}

/** The block kind a top-level keyword (or `moe`) opens. */
export function blockKindOf(keyword: string): BlockKind | undefined {
  const k = keyInfo('file', keyword) ?? (keyword === 'moe' ? keyInfo('model', 'moe') : undefined);
  return k?.opens;
}
