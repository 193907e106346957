/** Types of the simulated schedule: what `simulateFrame`, `frameLatency` and `simulateScenario` return. */
import type { Design, RoutingSpec, Strategy } from '../design';
import type { RoutingTrace } from '../routing-trace';
import type { RoutingSource } from '../layerRouting';

/**
 * Units of the accelerator that an event occupies. `linear`: the MAC array; `attention`: the Q·Kᵀ / attention·V
 * unit; `gate`: the router; `vector`: element-wise passes (LayerNorm, residual add, zeroing, upsampling);
 * `load`: the one off-chip weight port (Edge-MoE's `weights` m_axi bundle).
 */
export type Lane = 'linear' | 'attention' | 'gate' | 'vector' | 'load';
export const LANES: readonly Lane[] = ['load', 'linear', 'attention', 'gate', 'vector'];

/** Block index of the patch embedding (before block 0); the task head is at index `depth`. */
export const EMBED_LAYER = -1;

export interface ScheduleEvent {
  lane: Lane;
  /** Cycles from the start of the frame, [start, end). */
  start: number;
  end: number;
  /** Block index; -1 = patch embedding, depth = task head. */
  layer: number;
  /** `load` for weight loads; otherwise the operation (`q`, `qk`, `fc1`, `expert_fc1`, `gate`, `norm1`, …). */
  op: string;
  /** What is loaded or computed (`fc1`, `fc2`, `q`, `experts`, `routers`, …). */
  what: string;
  expert?: number;
  /** Rows (tokens, or output pixels for a convolution) the operation processes. */
  tokens?: number;
  /** The on-chip weight buffer loaded (load) or read (compute): `ping`, `pong`, `slot0`, `bank`, `gate`, … */
  buffer?: string;
  bytes?: number;
}

export interface FrameRequest {
  design: Design;
  task: string;
  target: string;
  /** Default: the target's `schedule`. */
  strategy?: Strategy;
  /** Default: the design's `moe.routing`. */
  routing?: RoutingSpec;
  /** Loaded routing traces by the path written in the design. */
  traces?: ReadonlyMap<string, RoutingTrace>;
  /**
   * The task of the frame before this one, for the state a strategy keeps across frames. Undefined: steady state
   * (the same task ran before); null: cold start (nothing resident). Only `all_resident` keeps per-task state.
   */
  previousTask?: string | null;
}

export type LayerKind = 'embed' | 'dense' | 'moe' | 'head';

export interface LayerSummary {
  layer: number;
  kind: LayerKind;
  /** Wall-clock cycles from the end of the previous layer's last compute to the end of this layer's. */
  cycles: number;
  /** Of which the compute chain waited for weights. */
  stallCycles: number;
  loads: number;
  loadBytes: number;
  /** Distinct experts with a non-empty queue (MoE layers). */
  expertsUsed?: number;
  /** Expert weight loads in this layer (token_by_token may load one expert many times). */
  expertLoads?: number;
  routing?: RoutingSource;
}

export interface FrameSummary {
  task: string;
  target: string;
  strategy: Strategy;
  clockHz: number;
  makespanCycles: number;
  seconds: number;
  /** Busy cycles per lane. */
  laneBusy: Record<Lane, number>;
  /** Cycles the compute chain waited for a weight load. */
  stallCycles: number;
  loadBytes: number;
  loads: number;
  eventCount: number;
  layers: LayerSummary[];
  routingNotes: string[];
  /** What this estimate did not cost (said on every report). */
  notCosted: string[];
}

export interface FrameSchedule {
  clock_hz: number;
  makespan_cycles: number;
  events: ScheduleEvent[];
  lanes: { lane: Lane; busyCycles: number }[];
  summary: FrameSummary;
}

/** A frame's time: what the engine's report keeps for every task × target × strategy. */
export interface FrameTime {
  cycles: number;
  seconds: number;
  routingNotes: string[];
}

/** A frame's time with its breakdowns: Σ perLayer = cycles, and Σ perOp of a layer = that layer's cycles. */
export interface FrameLatency extends FrameTime {
  perLayer: { layer: number; cycles: number }[];
  perOp: { layer: number; op: string; cycles: number }[];
}
