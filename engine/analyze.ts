/**
 * The full analysis of a design: exact counts per task, and per target × strategy the on-chip buffer plan, off-chip
 * footprint and traffic, latency (from the schedule, engine/schedule — the one source of latency), energy and the
 * task-switch cost; then the budgets. Pure and deterministic: the same design gives the same report, to the digit,
 * in the CLI, the language server and the browser.
 */
import { STRATEGIES, type Design, type HardwareTarget, type Strategy } from './design';
import type { RoutingTrace } from './routing-trace';
import { countDesign, type DesignCounts, type TaskCounts } from './costs/taskCounts';
import type { ParamCounts } from './costs/params';
import { planOnchip, type OnchipPlan } from './memory/buffers';
import { expertBytes, frameExpertLoads, frameTraffic, offchipFootprint, type OffchipFootprint, type TrafficBreakdown } from './memory/traffic';
import { frameEnergy, onchipAccessBytes, type EnergyBreakdown } from './energy';
import { resourceUse, type ResourceUse } from './resources';
import { switchBytes, type SwitchCost } from './switchCost';
import { evaluateBudgets, type BudgetResult, type TargetFacts } from './budgets';
import { lowerBound, type LowerBound } from './bounds';
import { DSP_NOT_COSTED } from './resources';
import { frameTime, routeAllLayers, NOT_COSTED as SCHEDULE_NOT_COSTED } from './schedule/index';
import type { FrameTime } from './schedule/index';

export interface AnalyzeOptions {
  /** Routing traces by the path written in the design (`routing trace "FILE"`), loaded by a Node-side face. */
  traces?: ReadonlyMap<string, RoutingTrace>;
  /** Only these targets (by name); default all. */
  targets?: readonly string[];
  /** Strategies to analyse; default all three. */
  strategies?: readonly Strategy[];
  /** Skip the task-switch simulation (two extra schedule runs per task pair under all_resident). */
  skipSwitch?: boolean;
}

export interface TaskStrategyReport {
  task: string;
  latency: FrameTime;
  fps: number;
  traffic: TrafficBreakdown;
  energy: EnergyBreakdown;
}

export interface StrategyReport {
  strategy: Strategy;
  onchip: OnchipPlan;
  /** The on-chip buffers that would grow if the experts doubled (M3ViT's claim: none but bookkeeping should). */
  growsWithExperts: string[];
  offchip: OffchipFootprint;
  tasks: TaskStrategyReport[];
  switchCost: SwitchCost;
}

export interface TargetReport {
  name: string;
  device: string;
  target: HardwareTarget;
  /** At the target's own `schedule` strategy. */
  resources: ResourceUse;
  strategies: StrategyReport[];
  /** Bytes of one expert (fc1, fc2, biases) at the weight format. */
  expertBytes: number;
  /** Per task (design order): the fastest any schedule could run it on this target. */
  bounds: { task: string; bound: LowerBound }[];
}

export interface AnalysisReport {
  model: string;
  counts: DesignCounts;
  params: ParamCounts;
  targets: TargetReport[];
  budgets: BudgetResult[];
  /** Which model produced each kind of number. */
  provenance: { counts: 'exact'; memory: 'analytical'; latency: 'simulated'; energy: 'analytical'; resources: 'analytical' };
  notCosted: string[];
}

/** What the cost model itself leaves out (the schedule lists its own). */
export const ENGINE_NOT_COSTED: readonly string[] = [
  'LUT and FF use (softmax, GELU, LayerNorm and control logic need synthesis to estimate)',
  'element-wise operations in energy (they are counted by kind, but no per-operation energy is charged)',
  'on-chip buffer accesses of attention operands streamed through FIFOs',
  'clock-tree, I/O and dynamic interconnect power beyond the per-MAC and per-byte coefficients',
  'host-to-device transfer of the input image and results beyond one 8-bit image read per frame',
];

export function analyzeDesign(design: Design, options: AnalyzeOptions = {}): AnalysisReport {
  const counts = countDesign(design);
  const params = counts.params;
  const strategies = options.strategies ?? STRATEGIES;
  const moe = design.model.moe;
  const routingSpec = moe?.routing ?? { kind: 'balanced' as const };
  const trace = routingSpec.kind === 'trace' ? options.traces?.get(routingSpec.path) : undefined;
  const routings = moe ? routeAllLayers(design, routingSpec, trace) : [];
  const targets = design.targets.filter((t) => !options.targets || options.targets.includes(t.name));
  // Expert loads depend on strategy and routing only: simulate the slot/queue walk once per strategy.
  const loads = new Map(strategies.map((s) => [s, frameExpertLoads(design, s, routings)] as const));
  const targetReports = targets.map((target) => analyzeTarget(design, target, counts, routings, loads, strategies, options));
  const facts: TargetFacts[] = targetReports.map((tr) => {
    const own = tr.strategies.find((s) => s.strategy === tr.target.schedule) ?? tr.strategies[0];
    return {
      target: tr.name,
      strategy: own.strategy,
      onchipPercent: own.onchip.onchipPercent,
      onchipBytes: own.onchip.bytes,
      dspPercent: tr.resources.dspPercent,
      bramPercent: own.onchip.bramPercent,
      uramPercent: own.onchip.uramPercent,
      tasks: own.tasks.map((t) => ({
        task: t.task,
        seconds: t.latency.seconds,
        energyJ: t.energy.totalJ,
        trafficBytes: t.traffic.total,
        boundSeconds: tr.bounds.find((b) => b.task === t.task)?.bound.seconds,
        boundKind: tr.bounds.find((b) => b.task === t.task)?.bound.bound,
      })),
    };
  });
  return {
    model: design.model.name,
    counts,
    params,
    targets: targetReports,
    budgets: evaluateBudgets(design.budgets, facts),
    provenance: { counts: 'exact', memory: 'analytical', latency: 'simulated', energy: 'analytical', resources: 'analytical' },
    notCosted: [...ENGINE_NOT_COSTED, DSP_NOT_COSTED, ...SCHEDULE_NOT_COSTED],
  };
}

function analyzeTarget(
  design: Design,
  target: HardwareTarget,
  counts: DesignCounts,
  routings: ReturnType<typeof routeAllLayers>,
  loads: ReadonlyMap<Strategy, number>,
  strategies: readonly Strategy[],
  options: AnalyzeOptions,
): TargetReport {
  const params = counts.params;
  const offchip = offchipFootprint(design, target, params);
  const reports = strategies.map((strategy): StrategyReport => {
    const onchip = planOnchip(design, target, strategy);
    const tasks = design.tasks.map((task, i) => {
      const tc: TaskCounts = counts.tasks[i];
      const latency = frameTime({ design, task: task.name, target: target.name, strategy, traces: options.traces });
      const traffic = frameTraffic(design, target, strategy, task, params, routings, loads.get(strategy));
      const energy = frameEnergy(target, {
        seconds: latency.seconds,
        macs: tc.count.macs,
        onchipBytes: onchipAccessBytes(tc.count, traffic.total, target),
        offchipBytes: traffic.total,
      });
      return { task: task.name, latency, fps: latency.seconds > 0 ? 1 / latency.seconds : Infinity, traffic, energy };
    });
    return { strategy, onchip, growsWithExperts: buffersGrowingWithExperts(design, target, strategy, onchip), offchip, tasks, switchCost: switchCostOf(design, target, strategy, params, tasks, options) };
  });
  const own = reports.find((r) => r.strategy === target.schedule) ?? reports[0];
  // The least traffic any analysed strategy needs for each task bounds every schedule from below.
  const bounds = design.tasks.map((task, i) => {
    let least: TrafficBreakdown | undefined;
    for (const r of reports) {
      const t = r.tasks[i].traffic;
      if (!least || t.total < least.total) least = t;
    }
    return { task: task.name, bound: lowerBound(target, counts.tasks[i].count, least!) };
  });
  return {
    name: target.name,
    device: target.device,
    target,
    resources: resourceUse(design, target, own ? own.onchip : planOnchip(design, target, target.schedule)),
    strategies: reports,
    expertBytes: design.model.moe ? expertBytes(design, target) : 0,
    bounds,
  };
}

/** Plans the same target with twice the experts and names the buffers that got bigger. */
function buffersGrowingWithExperts(design: Design, target: HardwareTarget, strategy: Strategy, plan: OnchipPlan): string[] {
  const moe = design.model.moe;
  if (!moe) return [];
  const doubled: Design = { ...design, model: { ...design.model, moe: { ...moe, experts: 2 * moe.experts } } };
  const bigger = planOnchip(doubled, target, strategy);
  const before = new Map(plan.buffers.map((b) => [b.name, b.bytes]));
  return bigger.buffers.filter((b) => b.bytes > (before.get(b.name) ?? 0)).map((b) => b.name);
}

function switchCostOf(
  design: Design,
  target: HardwareTarget,
  strategy: Strategy,
  params: ParamCounts,
  steady: TaskStrategyReport[],
  options: AnalyzeOptions,
): SwitchCost {
  const toTask: SwitchCost['toTask'] = [];
  const steadyByTask = new Map(steady.map((s) => [s.task, s.latency.seconds]));
  for (const to of design.tasks) {
    const bytes = switchBytes(design, target, strategy, to, params);
    // Only a strategy that keeps task state across frames can add time; the added time does not depend on which
    // other task ran before (the whole resident state is reloaded), so one schedule run per destination task.
    let seconds = 0;
    const from = design.tasks.find((t) => t.name !== to.name);
    if (!from) continue; // a single task never switches
    if (bytes > 0 && !options.skipSwitch) {
      const after = frameTime({ design, task: to.name, target: target.name, strategy, traces: options.traces, previousTask: from.name });
      seconds = Math.max(0, after.seconds - steadyByTask.get(to.name)!);
    }
    toTask.push({ to: to.name, bytes, seconds });
  }
  return {
    strategy,
    bytes: toTask.reduce((m, p) => Math.max(m, p.bytes), 0),
    seconds: toTask.reduce((m, p) => Math.max(m, p.seconds), 0),
    toTask,
  };
}
