/**
 * The one message protocol between the extension host and the M3V panels (Resources, Schedule, Run).
 * Imported by both sides: the host (extension/) posts `HostMessage`s, the webview bundles (webviews/*) post
 * `WebviewMessage`s. Every message carries `v` so a webview restored from an older build (its state survives
 * reloads) can be told apart and re-initialised instead of misreading fields. Handlers on both sides `switch` on
 * `type` and end in `assertNever`, so adding a message is a compile error until both sides handle it.
 *
 * Payloads are VIEW MODELS: plain, already-formatted-ready numbers computed by the host from `engine/`. The
 * webviews compute nothing but layout, so every number on screen is the engine's (the same as code lens and CLI).
 * See docs/protocol.md.
 */
import type { ExploreResult } from '../engine/explore/result';
import type { RooflineLayer, RooflineOp, RooflineRoof as EngineRooflineRoof } from '../engine/roofline';

export const PROTOCOL_VERSION = 1;

export type PanelKind = 'resources' | 'schedule' | 'run' | 'explore';
export const PANEL_KINDS: readonly PanelKind[] = ['resources', 'schedule', 'run', 'explore'];

/** A place in the design source, for "jump to" clicks: document URI + character offsets. */
export interface SourceLink {
  uri: string;
  start: number;
  end: number;
}

// ---------------------------------------------------------------- Resources view model

export interface BufferUse {
  name: string;
  bytes: number;
}

export interface StrategyResources {
  strategy: string;
  /** On-chip buffers of this strategy, largest first. */
  buffers: BufferUse[];
  onchipBytes: number;
  /** The engine's share of BRAM36+URAM capacity occupied by the blocks this plan uses (block-granular), percent. */
  onchipPercent: number;
  /** Off-chip bytes moved per frame of the selected task. */
  trafficBytes: number;
  latencySeconds: number;
  energyJoules?: number;
  /** Does it fit the device's BRAM + URAM? */
  fits: boolean;
  /** Every on-chip buffer of the plan as Vitis HLS's utilisation report lists it, in the engine's order. */
  bufferTable?: BufferRow[];
  /** BRAM36 and URAM blocks the plan uses (the fit verdict's units) and the device's, with the engine's shares. */
  blocks?: { bram36: number; uram: number; lutram: number; bramPercent: number; uramPercent: number };
  /** The chart's stacked segments, in blocks: the largest buffers, the rest grouped (never dropped). */
  blockBars?: BlockBar[];
}

/** One buffer row of the per-buffer utilisation table (engine/memory/buffers.ts OnchipBuffer). */
export interface BufferRow {
  name: string;
  role: string;
  bytes: number;
  /** bram, uram, lutram or registers. */
  memory: string;
  /** BRAM36 blocks (BRAM18 counts ½) or URAM blocks, as the engine maps it; 0 for LUTRAM and registers. */
  blocks: number;
  luts: number;
  /** Block shape the depth × width maps to ("1K×36", "4K×72", "LUTRAM 48×256"). */
  shape: string;
  /** blocks ÷ the device's blocks of that kind, percent (LUTRAM: LUTs ÷ device LUTs). */
  sharePercent: number;
}

/** A stacked segment of the on-chip chart: one buffer, or several small ones grouped. */
export interface BlockBar {
  label: string;
  /** Names of the buffers it stands for (one, or the grouped small ones). */
  buffers: string[];
  bram36: number;
  uram: number;
}

/** MACs of one kind of operation (engine/costs/counts.ts MatOp) for the shown task. */
export interface OpMacs {
  op: string;
  macs: number;
  sharePercent: number;
}

/**
 * The roofline's parts are the engine's own types (engine/roofline.ts, JSON-safe plain data), sent as they are: a roof
 * of the target (a unit's MAC array × clock, or a port's or the DDR's rate, with its source), one layer's share of
 * an operation, and an operation of the frame summed over the layers it runs in.
 */
export type RooflineRoof = EngineRooflineRoof;
export type RooflineLayerFigures = RooflineLayer;

/** One point of the roofline: an operation (engine/roofline.ts RooflineOp) and whether compute or memory bounds it. */
export interface RooflinePoint extends RooflineOp {
  /** compute, or memory (any of the memory paths). */
  bound: 'compute' | 'memory';
}

export interface Roofline {
  /** Peak MAC/s with every DSP busy (engine/bounds.ts compute bound's rate): the device's ceiling, above every unit's roof. */
  computeRoofMacsPerSecond: number;
  /** Weight-port bytes per second (engine/schedule/cycles.ts ratesOf). */
  bandwidthRoofBytesPerSecond: number;
  strategy: string;
  points: RooflinePoint[];
  /** Every compute roof (per unit) and bandwidth roof (ports, DDR), each with its source. */
  roofs?: RooflineRoof[];
  /** The roof for all of an operation's bytes: min(DDR, weight port + activation ports), bytes/s. */
  offchipBytesPerSecond?: number;
  /** Traffic of the element-wise passes (no MACs: not on the chart). */
  elementwise?: { weightBytes: number; actBytes: number };
  /** Activations and weights the engine keeps on chip (no DDR bytes counted for them). */
  onChip?: string[];
}

export interface TaskCompute {
  task: string;
  macs: number;
  flops: number;
  /** Parameters one token of this task touches (shared backbone, k experts per MoE layer, its gate and head). */
  params: number;
  /** The same backbone with a dense MLP in every layer (a dense multi-task ViT). */
  denseMacs: number;
  /** All E experts run on every token (no sparse gating). */
  allExpertsMacs: number;
  link?: SourceLink;
}

export type BudgetStatus = 'met' | 'violated' | 'unknown';

export interface BudgetRow {
  text: string;
  status: BudgetStatus;
  /** The figure the budget was checked against, formatted by the host (e.g. "12.4 ms"). */
  actual: string;
  link?: SourceLink;
}

export interface ResourcesView {
  designName: string;
  task: string;
  target: string;
  device: string;
  /** The strategy the target's `schedule` line selects. */
  selectedStrategy: string;
  capacity: { onchipBytes: number; bramBytes: number; uramBytes: number; dsp: number; lut: number };
  /** `lut` undefined: the engine does not estimate it (needs synthesis). */
  use: { dsp: number; dspPercent: number; lut?: number };
  strategies: StrategyResources[];
  tasks: TaskCompute[];
  budgets: BudgetRow[];
  /** The shown task's lower bound on the target: no schedule can run it faster (engine/bounds.ts). */
  bound?: { seconds: number; computeSeconds: number; memorySeconds: number; kind: 'compute' | 'memory' };
  /** Text of a budget to highlight (a budget's code lens "reveal the figure"). */
  focusBudget?: string;
  /** MACs by operation of the shown task. */
  macsByOp?: OpMacs[];
  /** Operations against the target's compute roofs (per unit) and bandwidth roofs (ports, DDR), the selected strategy's schedule. */
  roofline?: Roofline;
  /** What the estimate does not cost (the report's list). */
  notCosted?: string[];
  /** Device totals the shares are taken of. */
  deviceBlocks?: { bram36: number; uram: number; lut: number };
}

// ---------------------------------------------------------------- Schedule view model

export interface ScheduleEvent {
  /** Index into `ScheduleView.lanes`. */
  lane: number;
  /** Cycles from the start of the frame/scenario. */
  start: number;
  end: number;
  label: string;
  /** Coarse kind for colouring: compute, load, attention, switch, idle, miss… (free text from the engine). */
  kind: string;
  task?: string;
  layer?: number;
  /** Ping/pong buffer the event uses, when the strategy double-buffers. */
  buffer?: 'ping' | 'pong';
  link?: SourceLink;
  /** The expert an expert load or compute is for. */
  expert?: number;
  /** > 1: an aggregate of this many events (server-side level of detail, see ScheduleRun.aggregatedBelowCycles). */
  count?: number;
}

/** One row of the Schedule panel's per-layer table (engine/schedule/types.ts LayerSummary). */
export interface ScheduleLayerRow {
  layer: number;
  /** "embed", "block 3", "head". */
  name: string;
  kind: string;
  /** Cycles from the frame start: the layer band on the chart. */
  start: number;
  end: number;
  cycles: number;
  stallCycles: number;
  loads: number;
  loadBytes: number;
  expertLoads?: number;
  expertsUsed?: number;
  /** "weights" when the compute chain waited for weights more than half the layer, else the busiest compute lane. */
  bound: string;
}

/** Whether a strategy's on-chip plan fits the device (the same BRAM36/URAM block verdict as the Resources panel). */
export interface FitVerdict {
  fits: boolean;
  bram36: number;
  uram: number;
  bram36Available: number;
  uramAvailable: number;
  bramPercent: number;
  uramPercent: number;
  onchipPercent: number;
}

/** Compare Strategies: one row of the summary table, from the engine report of the target. */
export interface StrategySummary {
  latencySeconds: number;
  fps: number;
  energyJoules: number;
  trafficBytes: number;
  expertLoads: number;
  switchBytes: number;
  switchSeconds: number;
}

export interface ScheduleRun {
  strategy: string;
  makespanCycles: number;
  events: ScheduleEvent[];
  /** Events the simulator produced (`events` may hold aggregates when there were too many to send). */
  totalEvents?: number;
  /** Set when events shorter than this many cycles were merged server-side into aggregates (`count` > 1). */
  aggregatedBelowCycles?: number;
  layers?: ScheduleLayerRow[];
  /** Tokens queued per expert in each MoE layer: the routing the simulation used (engine/schedule/routing.ts). */
  expertQueues?: { layer: number; tokens: number[]; source: string }[];
  /** Busy cycles per row of `ScheduleView.lanes`. */
  laneBusy?: number[];
  fit?: FitVerdict;
  summary?: StrategySummary;
}

export interface ScenarioFrame {
  index: number;
  task: string;
  start: number;
  end: number;
  deadline: number;
  missed: boolean;
  switched: boolean;
  /** Cycles the switch added beyond a steady frame of the task (0 when nothing switched). */
  switchCycles?: number;
  switchBytes?: number;
}

/** The scenario under one strategy (every strategy is simulated; the declared one is first). */
export interface ScenarioStrategyRun {
  strategy: string;
  declared: boolean;
  frames: ScenarioFrame[];
  misses: number;
  switches: number;
  switchOverheadCycles: number;
  worstLatencySeconds: number;
  energyJoules?: number;
}

export interface ScheduleView {
  designName: string;
  task: string;
  target: string;
  clockHz: number;
  lanes: string[];
  /** Per row of `lanes`, the lane it belongs to (ping and pong are two rows of `load`): the colour key. */
  rowLanes?: string[];
  /** One run per strategy shown side by side; the first is the target's selected strategy. */
  runs: ScheduleRun[];
  /** Show every strategy side by side (Compare Strategies) instead of the selected one only. */
  compare: boolean;
  /** Present when a scenario is being simulated. */
  scenario?: { name: string; frames: ScenarioFrame[]; misses: number; switches: number; strategies?: ScenarioStrategyRun[]; periodCycles?: number };
}

// ---------------------------------------------------------------- Run view model

export interface RunView {
  task: string;
  /** PNG data URL of the input image (host-encoded; webview CSP allows `data:` images only). */
  inputImage?: string;
  outputImage?: string;
  latencyMs?: number;
  /** Per MoE layer: tokens routed to each expert, and the patch grid's top-1 expert (row-major, no cls). */
  layers: { layer: number; expertLoad: number[]; patchTopExpert: number[] }[];
  grid: { rows: number; cols: number };
  progress?: { done: number; total: number; message: string };
  /** Which numerics the run used (`m3v run --numerics`); float32 when absent. */
  numericsMode?: 'float32' | 'declared';
  /** With `declared`: the run beside the float32 run of the same weights and input (`numerics` of `m3v run --json`). */
  numerics?: NumericsView;
  /** Where the weights came from; `seeded` runs get the "predictions are meaningless" notice. */
  weights?: { seeded: boolean; source: string };
  /** onnxruntime's intra-op threads of the measured (CPU) run. */
  threads?: number;
  /** One line when the image's aspect ratio differs from the model's input: how it was fitted (m3v.run.imageFit). */
  inputNotice?: string;
  /** What the output map's colours mean: a class legend (segmentation) or the grey ramp's range (regression). */
  outputKey?: RunOutputKey;
  /** Per MoE layer (same order as `layers`): each token's k experts and gate scores, for the tokens × experts map. */
  tokenRouting?: { layer: number; experts: number[][]; scores: number[][] }[];
}

export type RunOutputKey =
  | { kind: 'classes'; classes: { class: number; colour: string; pixels: number }[] }
  | { kind: 'channels'; channel: number; min: number; max: number };

export interface NumericsView {
  formats: string;
  /** Relative L2 of each block's output tokens against the float32 run. */
  layers: { layer: number; relL2: number }[];
  /** Tokens whose top-k expert set changed, per MoE layer. */
  routing: { layer: number; flips: number; tokens: number }[];
  /** One line: arg-max agreement, relative error or class. */
  prediction?: string;
  notes: string[];
}

// ---------------------------------------------------------------- Design Space (explore) view model

/**
 * The points of a run a scatter draws, in columns: every front point and a deterministic sample of the others
 * (bottom-k by a hash of the point index: the same points for the same space, however the run was split). `rows`
 * holds `stride = 2 + axes + objectives` numbers per point: its index in the space, its status
 * (EXPLORE_POINT_STATUS), its choice per axis (index into `axes[a].values`, written order) and its objectives (the
 * result's `objectives` order and units). `failed[i]` lists the budgets (indices into the result's `budgets`) that
 * point i fails, for failing points only.
 */
export interface ExplorePointColumns {
  stride: number;
  rows: number[];
  failed: Record<number, number[]>;
  /** Points shown / points evaluated, so a view can say it is a sample. */
  shown: number;
  evaluated: number;
}
/** Status codes of `ExplorePointColumns.rows`: 0 on the front, 1 meets every budget but dominated, 2 fails a budget. */
export const EXPLORE_POINT_STATUS = ['front', 'dominated', 'failing'] as const;
export type ExplorePointStatus = (typeof EXPLORE_POINT_STATUS)[number];

/** The run's answer: the engine's result (without its raw tally) and the points to draw. */
export interface ExploreRunView {
  designName: string;
  result: Omit<ExploreResult, 'tally'>;
  points: ExplorePointColumns;
}



/** A running exploration's progress (the server's `m3v/exploreProgress`, as the panel gets it). */
export interface ExploreProgressView {
  explore: string;
  done: number;
  total: number;
  evaluated: number;
  front: number;
  elapsedMs: number;
}

// ---------------------------------------------------------------- messages

/** Host → webview. */
export type HostMessage =
  | { v: typeof PROTOCOL_VERSION; type: 'resources'; seq: number; uri: string; view: ResourcesView }
  | { v: typeof PROTOCOL_VERSION; type: 'schedule'; seq: number; uri: string; view: ScheduleView }
  | { v: typeof PROTOCOL_VERSION; type: 'run'; seq: number; uri: string; view: RunView }
  /** The active design has errors (or no design is open): show this one line, keep the last good picture dimmed. */
  | { v: typeof PROTOCOL_VERSION; type: 'stale'; reason: string }
  /** Which task/target the status bar selected, so controls in the panel reflect it. */
  | { v: typeof PROTOCOL_VERSION; type: 'selection'; tasks: string[]; targets: string[]; task: string; target: string };

/**
 * Host → the Design Space panel only (with `stale`), a union of its own so the other panels' exhaustive handlers
 * are not asked to know explorations.
 */
export type ExploreHostMessage =
  /** The explore blocks of the design (name and lens text), the one chosen, and which one runs (if any). */
  | { v: typeof PROTOCOL_VERSION; type: 'exploreList'; uri: string; explores: { name: string; lens: string }[]; chosen?: string; running?: string }
  /** Progress of the running exploration. */
  | { v: typeof PROTOCOL_VERSION; type: 'exploreProgress'; uri: string; progress: ExploreProgressView }
  /** A finished (or cancelled) run. */
  | { v: typeof PROTOCOL_VERSION; type: 'explore'; seq: number; uri: string; view: ExploreRunView }
  /** A point was written into the design (or why not). */
  | { v: typeof PROTOCOL_VERSION; type: 'pointApplied'; index: number; problem?: string }
  | Extract<HostMessage, { type: 'stale' }>;

/** Webview → host. */
export type WebviewMessage =
  /** Sent once the script has loaded; the host answers with the current view (never posts before). */
  | { v: typeof PROTOCOL_VERSION; type: 'ready'; panel: PanelKind }
  /** Reveal a place in the source (click on an event, a task row, a budget). */
  | { v: typeof PROTOCOL_VERSION; type: 'reveal'; link: SourceLink }
  | { v: typeof PROTOCOL_VERSION; type: 'selectTask'; task: string }
  | { v: typeof PROTOCOL_VERSION; type: 'selectTarget'; target: string }
  /** Run panel: write the last run's routing trace and point the design's `routing` at it (an undoable edit). */
  | { v: typeof PROTOCOL_VERSION; type: 'useTraceAsRouting' }
  /** Run panel: run the model again on the same image, as float32 or as the FPGA computes it (`--numerics`). */
  | { v: typeof PROTOCOL_VERSION; type: 'rerunModel'; numerics: 'float32' | 'declared' }
  /** Reported by webviews after drawing an update (e2e latency measurement; `seq` echoes the host's update). */
  | { v: typeof PROTOCOL_VERSION; type: 'rendered'; panel: PanelKind; seq: number }
  /** Export button: the files the webview built from what it shows (webviews/export); the host saves them. */
  | { v: typeof PROTOCOL_VERSION; type: 'exportReport'; panel: PanelKind; format: 'html' | 'csv' | 'png'; files: ExportFile[] }
  /** Design Space: run the named explore block of the design the panel follows. */
  | { v: typeof PROTOCOL_VERSION; type: 'exploreStart'; explore: string }
  /** Design Space: stop the running exploration (its partial result is shown). */
  | { v: typeof PROTOCOL_VERSION; type: 'exploreCancel' }
  /** Design Space: write this point's values into the design as one undoable edit. */
  | { v: typeof PROTOCOL_VERSION; type: 'applyPoint'; explore: string; index: number; values: Record<string, string> };

/** One exported file: a plain name (no folder) and its text or base64 bytes. */
export interface ExportFile {
  name: string;
  text?: string;
  base64?: string;
}

/** Bounds on an export message: the host refuses more (the webview is less trusted than the host). */
export const EXPORT_LIMITS = { files: 64, bytes: 64 * 1024 * 1024 };

function isExportFile(value: unknown): value is ExportFile {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  // A bare file name: no separators, no leading dot, no "..", nothing a path could be built from.
  const nameOk = typeof f.name === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/.test(f.name) && !f.name.includes('..');
  return nameOk && ((typeof f.text === 'string') !== (typeof f.base64 === 'string'));
}

export function assertNever(value: never): never {
  throw new Error(`unhandled protocol message: ${JSON.stringify(value)}`);
}

/** Structural check of an incoming webview message (the webview is less trusted than the host). */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { v?: unknown; type?: unknown };
  if (m.v !== PROTOCOL_VERSION || typeof m.type !== 'string') return false;
  const r = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return isPanelKind(r.panel);
    case 'rendered':
      return isPanelKind(r.panel) && Number.isInteger(r.seq);
    case 'reveal': {
      const link = r.link as Record<string, unknown> | undefined;
      return (
        typeof link === 'object' &&
        link !== null &&
        typeof link.uri === 'string' &&
        Number.isInteger(link.start) &&
        Number.isInteger(link.end)
      );
    }
    case 'selectTask':
      return typeof r.task === 'string';
    case 'selectTarget':
      return typeof r.target === 'string';
    case 'useTraceAsRouting':
      return true;
    case 'rerunModel':
      return r.numerics === 'float32' || r.numerics === 'declared';
    case 'exportReport': {
      if (!isPanelKind(r.panel) || !['html', 'csv', 'png'].includes(r.format as string) || !Array.isArray(r.files)) return false;
      const files = r.files as unknown[];
      const bytes = files.reduce<number>((n, f) => n + (isExportFile(f) ? (f.text ?? f.base64 ?? '').length : Infinity), 0);
      return files.length <= EXPORT_LIMITS.files && bytes <= EXPORT_LIMITS.bytes;
    }
    case 'exploreStart':
      return typeof r.explore === 'string';
    case 'exploreCancel':
      return true;
    case 'applyPoint':
      return (
        typeof r.explore === 'string' &&
        Number.isInteger(r.index) &&
        typeof r.values === 'object' &&
        r.values !== null &&
        Object.values(r.values as Record<string, unknown>).every((v) => typeof v === 'string')
      );
    default:
      return false;
  }
}

function isPanelKind(value: unknown): value is PanelKind {
  return typeof value === 'string' && (PANEL_KINDS as readonly string[]).includes(value);
}

/** State a webview keeps with `setState` so a reload restores it without waiting for the host. */
export interface PanelState {
  v: typeof PROTOCOL_VERSION;
  panel: PanelKind;
  /** URI of the design the panel followed. */
  uri?: string;
  last?: HostMessage;
  /** Schedule zoom window in cycles. */
  zoom?: { start: number; end: number };
  /** The Design Space panel's own state (its last list and run, chosen axes, table sort): webviews/explore/main.ts. */
  explore?: unknown;
}
