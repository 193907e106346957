/**
 * Lower bounds on a task's frame latency on a target: no schedule, array shape or overlap can beat them, so an
 * impossible budget or a design far from its limits is visible beside every estimate.
 * - Compute bound: every MAC on a DSP, all of the device's DSPs busy every cycle, at the declared formats
 *   (weights × activations for the linear layers, activations × activations for Q·Kᵀ and attention·V; DSPs per
 *   multiplier by engine/resources.ts `dspPerMultiplier`).
 * - Memory bound: the least off-chip traffic any strategy needs for the task, through the board's ports (weights
 *   through the weight port, activations through the activation ports) and all of it through the DDR's sustained rate.
 */
import type { HardwareTarget } from './design';
import type { ModelCount } from './costs/counts';
import type { TrafficBreakdown } from './memory/traffic';
import { dspPerMultiplier } from './resources';
import { ratesOf } from './schedule/cycles';

export interface LowerBound {
  /** MACs / (DSPs ÷ DSPs per MAC) / clock. */
  computeSeconds: number;
  /** Least traffic / the ports' and DDR's rates. */
  memorySeconds: number;
  /** The larger of the two. */
  seconds: number;
  bound: 'compute' | 'memory';
}

export function lowerBound(target: HardwareTarget, count: ModelCount, leastTraffic: TrafficBreakdown): LowerBound {
  const attentionMacs = count.byOp.qk + count.byOp.av;
  const linearMacs = count.macs - attentionMacs;
  const dspCycles =
    linearMacs * dspPerMultiplier(target.acts, target.weights, true) + attentionMacs * dspPerMultiplier(target.acts, target.acts);
  const computeCycles = target.resources.dsp > 0 ? dspCycles / target.resources.dsp : Infinity;
  const r = ratesOf(target);
  const weightBytes = leastTraffic.weights + leastTraffic.experts;
  const memoryCycles = Math.max(
    weightBytes / r.weightPortBytesPerCycle,
    leastTraffic.activations / (r.actPorts * r.actPortBytesPerCycle),
    leastTraffic.total / r.ddrBytesPerCycle,
  );
  const computeSeconds = computeCycles / target.clockHz;
  const memorySeconds = memoryCycles / target.clockHz;
  return {
    computeSeconds,
    memorySeconds,
    seconds: Math.max(computeSeconds, memorySeconds),
    bound: computeSeconds >= memorySeconds ? 'compute' : 'memory',
  };
}
