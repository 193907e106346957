/**
 * Energy of a scenario run with the engine's analytical energy model (engine/energy.ts): every frame costs
 * static power × its latency + its task's MACs + its on-chip accesses + its off-chip bytes (the traffic model's
 * steady-state bytes plus the frame's switch overhead bytes); idle time between frames costs static power.
 */
import type { Design, HardwareTarget } from '../design';
import type { RoutingTrace } from '../routing-trace';
import { countDesign } from '../costs/taskCounts';
import { frameEnergy, onchipAccessBytes } from '../energy';
import { frameTraffic } from '../memory/traffic';
import { routeAllLayers } from './routing';
import type { ScenarioRun } from './scenario';

export interface ScenarioEnergy {
  model: 'analytical';
  /** Per frame, joules, aligned with `frames`. */
  frameJ: number[];
  /** Σ frame energies. */
  activeJ: number;
  /** Static power while no frame runs, up to the later of the last frame's end and the scenario's length (frames/fps). */
  idleJ: number;
  totalJ: number;
  /** Of the active energy, what the switches' extra bytes and time cost (the cold start excluded). */
  switchJ: number;
}

export function scenarioEnergy(
  design: Design,
  target: HardwareTarget,
  run: ScenarioRun,
  fps: number,
  traces: ReadonlyMap<string, RoutingTrace> | undefined,
): ScenarioEnergy {
  const counts = countDesign(design);
  const routingSpec = design.model.moe?.routing;
  const trace = routingSpec?.kind === 'trace' ? traces?.get(routingSpec.path) : undefined;
  const routings = routingSpec ? routeAllLayers(design, routingSpec, trace) : [];
  const perTask = new Map<string, { macs: number; onchipBytes: number; offchipBytes: number }>();
  for (const task of design.tasks) {
    const tc = counts.tasks.find((t) => t.task === task.name)!;
    const traffic = frameTraffic(design, target, run.strategy, task, counts.params, routings);
    perTask.set(task.name, { macs: tc.count.macs, onchipBytes: onchipAccessBytes(tc.count, traffic.total, target), offchipBytes: traffic.total });
  }
  const frameJ: number[] = [];
  let switchJ = 0;
  let busySeconds = 0;
  for (const f of run.frames) {
    const t = perTask.get(f.task)!;
    const e = frameEnergy(target, {
      seconds: f.latency,
      macs: t.macs,
      onchipBytes: t.onchipBytes + f.switchOverheadBytes,
      offchipBytes: t.offchipBytes + f.switchOverheadBytes,
    });
    frameJ.push(e.totalJ);
    busySeconds += f.latency;
    // The overhead's share (switches only, not the first frame's cold start): static power over the extra cycles,
    // and the extra bytes on and off chip.
    const c = target.energy;
    if (f.previousTask !== null && f.previousTask !== f.task)
      switchJ += target.staticPowerW * (f.switchOverheadCycles / target.clockHz) + f.switchOverheadBytes * (c.offchipJPerByte + c.onchipJPerByte);
  }
  const activeJ = frameJ.reduce((a, b) => a + b, 0);
  const span = Math.max(run.totals.endSeconds, fps > 0 ? run.frames.length / fps : 0);
  // Idle between frames the board still draws its static and board power.
  const idleJ = (target.staticPowerW + target.boardPowerW) * Math.max(0, span - busySeconds);
  return { model: 'analytical', frameJ, activeJ, idleJ, totalJ: activeJ + idleJ, switchJ };
}
