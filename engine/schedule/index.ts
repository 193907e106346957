/**
 * Latency of a design: the public face of the schedule. `frameLatency` is what the engine's analysis calls for every
 * task × target × strategy (no events materialised); `simulateFrame` is the same run with its events kept for the
 * timeline views and `m3v schedule`. Both run `runFrame` on the same resolved frame, so makespan ≡ latency.
 */
import type { Timeline } from './timeline';
import { resolveFrame, runFrame } from './frame';
import type { FrameLatency, FrameRequest, FrameSchedule, FrameSummary, FrameTime, ScheduleEvent } from './types';
import { LANES } from './types';
import type { ResolvedFrame } from './frame';

export type { FrameLatency, FrameRequest, FrameSchedule, FrameSummary, FrameTime, Lane, LayerKind, LayerSummary, ScheduleEvent } from './types';
export { EMBED_LAYER, LANES } from './types';
export { ScheduleRequestError } from './frame';
export { headOps } from '../headOps';
export type { LayerRouting, RoutingSource } from './routing';
export { routeLayer, routeAllLayers } from './routing';
export { KERNEL_AXI_BITS, OP_FILL_CYCLES } from './cycles';
export type { ScenarioFrame, ScenarioOptions, ScenarioResult, ScenarioRun } from './scenario';
export { simulateScenario } from './scenario';

/** What every estimate of this model leaves out (shown with each report). */
export const NOT_COSTED: readonly string[] = [
  'DDR contention between the weight port and the activation streams (each is assumed to get its own rate)',
  'DDR refresh, page misses and AXI burst boundaries beyond a fixed per-operation start-up',
  'host-side work (image decode, transfers to and from the host)',
  'overlap of independent computes on different units (Edge-MoE runs one step at a time)',
];

export function simulateFrame(req: FrameRequest): FrameSchedule {
  const frame = resolveFrame(req);
  const events: ScheduleEvent[] = [];
  const tl = runFrame(frame, events);
  return {
    clock_hz: frame.target.clockHz,
    makespan_cycles: tl.makespan,
    events,
    lanes: LANES.map((lane) => ({ lane, busyCycles: tl.laneBusy[lane] })),
    summary: summaryOf(frame, tl),
  };
}

export function frameLatency(req: FrameRequest): FrameLatency {
  const frame = resolveFrame(req);
  const tl = runFrame(frame, null);
  return latencyOf(frame, tl);
}

/** Both the summary and the latency of one run, for callers that want the numbers without events. */
export function frameSummary(req: FrameRequest): FrameSummary {
  const frame = resolveFrame(req);
  return summaryOf(frame, runFrame(frame, null));
}

/**
 * `frameLatency` without the per-layer and per-operation breakdowns: what the engine's report keeps per task ×
 * target × strategy. On a large design the breakdowns are most of a report (samples/stress.m3v: 24,000 + 337,760
 * entries, 15 of its 19 MB as JSON) and nothing that reads a report uses them, while the language server moves its
 * report between threads on every edit.
 */
export function frameTime(req: FrameRequest): FrameTime {
  const frame = resolveFrame(req);
  return timeOf(frame, runFrame(frame, null));
}

function timeOf(frame: ResolvedFrame, tl: Timeline): FrameTime {
  return {
    cycles: tl.makespan,
    seconds: tl.makespan / frame.target.clockHz,
    routingNotes: frame.routingNotes.slice(),
  };
}

function latencyOf(frame: ResolvedFrame, tl: Timeline): FrameLatency {
  return {
    ...timeOf(frame, tl),
    perLayer: tl.layers.map((l) => ({ layer: l.layer, cycles: l.cycles })),
    // Entries are frozen once their layer ends (Timeline.endLayer): shared, not copied.
    perOp: tl.perOp.slice(),
  };
}

function summaryOf(frame: ResolvedFrame, tl: Timeline): FrameSummary {
  return {
    task: frame.task.name,
    target: frame.target.name,
    strategy: frame.strategy,
    clockHz: frame.target.clockHz,
    makespanCycles: tl.makespan,
    seconds: tl.makespan / frame.target.clockHz,
    laneBusy: { ...tl.laneBusy },
    stallCycles: tl.stallCycles,
    loadBytes: tl.loadBytes,
    loads: tl.loads,
    eventCount: tl.eventCount,
    layers: tl.layers.slice(),
    routingNotes: frame.routingNotes.slice(),
    notCosted: NOT_COSTED.slice(),
  };
}
export { parseRoutingTrace, type TraceParse } from './trace-format';
