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
}

export interface ScheduleRun {
  strategy: string;
  makespanCycles: number;
  events: ScheduleEvent[];
}

export interface ScenarioFrame {
  index: number;
  task: string;
  start: number;
  end: number;
  deadline: number;
  missed: boolean;
  switched: boolean;
}

export interface ScheduleView {
  designName: string;
  task: string;
  target: string;
  clockHz: number;
  lanes: string[];
  /** One run per strategy shown side by side; the first is the target's selected strategy. */
  runs: ScheduleRun[];
  /** Show every strategy side by side (Compare Strategies) instead of the selected one only. */
  compare: boolean;
  /** Present when a scenario is being simulated. */
  scenario?: { name: string; frames: ScenarioFrame[]; misses: number; switches: number };
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
}

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
  /** Design Space: run the named explore block of the design the panel follows. */
  | { v: typeof PROTOCOL_VERSION; type: 'exploreStart'; explore: string }
  /** Design Space: stop the running exploration (its partial result is shown). */
  | { v: typeof PROTOCOL_VERSION; type: 'exploreCancel' }
  /** Design Space: write this point's values into the design as one undoable edit. */
  | { v: typeof PROTOCOL_VERSION; type: 'applyPoint'; explore: string; index: number; values: Record<string, string> };

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
