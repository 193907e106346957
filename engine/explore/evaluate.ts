/**
 * Evaluating one point of a space with the cost model's own pieces — the same functions `analyzeDesign` calls
 * (engine/analyze.ts: countDesign, routeAllLayers, frameExpertLoads, planOnchip, frameTime, frameTraffic,
 * onchipAccessBytes, frameEnergy, resourceUse, evaluateBudgets), for the explored target at its own `schedule`
 * strategy, without the task-switch simulation (no budget or objective uses it). Nothing here models cost itself.
 *
 * What is reused across points: per model setting (the model keys of a point), the counts, the routing of every MoE
 * layer and the expert loads per strategy — none depends on the hardware. Per point without its clock, the on-chip
 * plan, the resources and each task's off-chip traffic — none reads the clock (engine/memory/, resources.ts). The
 * schedule (latency) and the energy (static power × latency) are computed per point. `test/explore/exact.test.ts` pins every figure equal to
 * `analyzeDesign`'s on the design written as text with the point's values and re-parsed, so this cannot drift from it.
 */
import type { Budget, Design, HardwareTarget, ModelSpec, Strategy } from '../design';
import type { RoutingTrace } from '../routing-trace';
import { countDesign, type DesignCounts } from '../costs/taskCounts';
import { planOnchip, type OnchipPlan } from '../memory/buffers';
import { frameExpertLoads, frameTraffic, type TrafficBreakdown } from '../memory/traffic';
import { frameEnergy, onchipAccessBytes } from '../energy';
import { resourceUse, type ResourceUse } from '../resources';
import { appliesTo, budgetVerdict, type TargetFacts } from '../budgets';
import { frameTime, routeAllLayers, type LayerRouting } from '../schedule/index';
import { applyHardware, applyModel, hardwareRule, type SkipRule } from './apply';
import type { ExploreSpec, Objective, VarySetting } from './spec';

/** What one point gives: skipped by a model rule, or its objectives and the budgets it fails. */
export type PointOutcome =
  | { kind: 'skipped'; rule: SkipRule }
  | {
      kind: 'evaluated';
      /** Objective values in the objectives' order, in natural units (fps is frames/s, not negated). */
      objectives: number[];
      /** Indices (into `budgets`) of the budgets this point fails. */
      failed: number[];
      /** Sum of relative budget excesses (0 when every budget is met): the search's constraint violation. */
      violation: number;
    };

/** What a point's figures share with the same point at another clock. */
interface ClockFreeEntry {
  plan: OnchipPlan;
  resources: ResourceUse;
  traffic: TrafficBreakdown[];
  /**
   * Per task: the frame's makespan in cycles when it is the same at every clock of the explore's clock axis (see
   * `clockRangeCycles`), else null (each clock is simulated). Undefined until first asked.
   */
  cycles?: (number | null)[];
}

/**
 * Points that differ only in clock sit next to each other (space.ts), so a few entries serve an exhaustive run; the
 * search visits points at random, so the cache is larger than that. An entry holds a few objects per task, so the
 * entries are bounded by tasks too (a design of thousands of tasks keeps 16).
 */
const CLOCK_FREE_CACHE_SIZE = 1024;
const CLOCK_FREE_CACHE_TASK_ENTRIES = 65_536;
const clockFreeCacheSize = (tasks: number) => Math.max(16, Math.min(CLOCK_FREE_CACHE_SIZE, Math.floor(CLOCK_FREE_CACHE_TASK_ENTRIES / Math.max(1, tasks))));

interface ModelEntry {
  model: ModelSpec;
  counts: DesignCounts;
  routings: LayerRouting[];
  loads: Map<Strategy, number>;
}

/** How many model settings' facts are kept: model axes vary slowest, so a small cache serves a whole run. */
const MODEL_CACHE_SIZE = 64;

export class PointEvaluator {
  /** The budgets that constrain the space: those of the explored target (or of every target). */
  readonly budgets: Budget[];
  private readonly target: HardwareTarget;
  private readonly models = new Map<number, ModelEntry | SkipRule>();
  private readonly clockFree = new Map<number, ClockFreeEntry>();

  /** The lowest and highest clock of the explore's `clock` axis, when it has two or more values. */
  private readonly clockRange: { low: number; high: number } | undefined;

  constructor(
    readonly base: Design,
    readonly spec: ExploreSpec,
    private readonly traces?: ReadonlyMap<string, RoutingTrace>,
  ) {
    const target = base.targets.find((t) => t.name === spec.target);
    if (!target) throw new Error(`explore '${spec.name}': unknown target '${spec.target}'`);
    this.target = target;
    this.budgets = base.budgets.filter((b) => b.target === undefined || b.target === spec.target);
    const clocks: number[] = [];
    for (const axis of spec.axes) for (const c of axis.choices) if (c.setting.key === 'clock') clocks.push(c.setting.hz);
    this.clockRange = clocks.length >= 2 ? { low: Math.min(...clocks), high: Math.max(...clocks) } : undefined;
  }

  /**
   * `settings`: one per axis (any order); `modelKey`: equal for points with equal model settings; `clockFreeKey`:
   * equal for points equal but for the clock (omit it to cache nothing across clocks).
   */
  evaluate(settings: readonly VarySetting[], modelKey: number, clockFreeKey?: number): PointOutcome {
    const entry = this.modelEntry(settings, modelKey);
    if (typeof entry === 'string') return { kind: 'skipped', rule: entry };
    const target = applyHardware(this.target, settings);
    const rule = hardwareRule(target);
    if (rule) return { kind: 'skipped', rule };
    const design: Design = { ...this.base, model: entry.model, targets: [target] };
    const facts = this.targetFacts(design, target, entry, clockFreeKey);
    // The budgets' verdicts without their report texts (budgetVerdict = evaluateBudgets' ok, pinned equal in
    // test/engine/budgets.test.ts), indexed as evaluateBudgets(this.budgets, [facts]) lists them.
    const failed: number[] = [];
    let violation = 0;
    let i = 0;
    for (const budget of this.budgets) {
      if (!appliesTo(budget, facts.facts.target)) continue;
      const verdict = budgetVerdict(budget, facts.facts);
      if (verdict.ok === false) {
        failed.push(i);
        violation += excess(budget, verdict.value);
      }
      i++;
    }
    return { kind: 'evaluated', objectives: this.spec.objectives.map((o) => objectiveValue(o, facts.facts, facts.dsp)), failed, violation };
  }

  private modelEntry(settings: readonly VarySetting[], key: number): ModelEntry | SkipRule {
    const hit = this.models.get(key);
    if (hit !== undefined) return hit;
    const applied = applyModel(this.base, this.spec, settings);
    let entry: ModelEntry | SkipRule;
    if (!applied.ok) entry = applied.rule;
    else {
      const design: Design = { ...this.base, model: applied.model };
      const counts = countDesign(design);
      const moe = applied.model.moe;
      const routingSpec = moe?.routing ?? { kind: 'balanced' as const };
      const trace = routingSpec.kind === 'trace' ? this.traces?.get(routingSpec.path) : undefined;
      const routings = moe ? routeAllLayers(design, routingSpec, trace) : [];
      entry = { model: applied.model, counts, routings, loads: new Map() };
    }
    if (this.models.size >= MODEL_CACHE_SIZE) this.models.delete(this.models.keys().next().value!);
    this.models.set(key, entry);
    return entry;
  }

  private clockRangeCycles(design: Design, target: HardwareTarget, strategy: Strategy): (number | null)[] | undefined {
    return this.clockRange && clockRangeCyclesOf(design, target, strategy, this.clockRange, this.traces);
  }

  /** The budget facts of analyzeDesign (engine/analyze.ts), for one target at its own strategy. */
  private targetFacts(design: Design, target: HardwareTarget, entry: ModelEntry, clockFreeKey: number | undefined): { facts: TargetFacts; dsp: number } {
    const strategy = target.schedule;
    let loads = entry.loads.get(strategy);
    if (loads === undefined) entry.loads.set(strategy, (loads = frameExpertLoads(design, strategy, entry.routings)));
    const params = entry.counts.params;
    let shared = clockFreeKey === undefined ? undefined : this.clockFree.get(clockFreeKey);
    if (!shared) {
      const plan = planOnchip(design, target, strategy);
      shared = {
        plan,
        resources: resourceUse(design, target, plan),
        traffic: design.tasks.map((task) => frameTraffic(design, target, strategy, task, params, entry.routings, loads)),
      };
      if (clockFreeKey !== undefined) {
        if (this.clockFree.size >= clockFreeCacheSize(design.tasks.length)) this.clockFree.delete(this.clockFree.keys().next().value!);
        this.clockFree.set(clockFreeKey, shared);
      }
    }
    const { plan, resources } = shared;
    if (clockFreeKey !== undefined && shared.cycles === undefined) shared.cycles = this.clockRangeCycles(design, target, strategy);
    const tasks = design.tasks.map((task, i) => {
      const tc = entry.counts.tasks[i];
      // frameTime's own division (engine/schedule/index.ts timeOf: makespan / clockHz), so the figure is the same.
      const cycles = shared.cycles?.[i];
      const seconds = cycles != null ? cycles / target.clockHz : frameTime({ design, task: task.name, target: target.name, strategy, traces: this.traces }).seconds;
      const traffic = shared.traffic[i];
      const energy = frameEnergy(target, {
        seconds,
        macs: tc.count.macs,
        onchipBytes: onchipAccessBytes(tc.count, traffic.total, target),
        offchipBytes: traffic.total,
      });
      return { task: task.name, seconds, energyJ: energy.totalJ, trafficBytes: traffic.total };
    });
    return {
      facts: {
        target: target.name,
        strategy,
        onchipPercent: plan.onchipPercent,
        onchipBytes: plan.bytes,
        dspPercent: resources.dspPercent,
        bramPercent: plan.bramPercent,
        uramPercent: plan.uramPercent,
        tasks,
      },
      dsp: resources.dsp,
    };
  }
}

/**
 * The frame's makespan (cycles) per task when it is provably the same at every clock of the explore's clock axis,
 * from two simulations instead of one per clock; null for a task where it is not (then each clock is simulated).
 *
 * Why two simulations prove it. The clock enters the schedule only through the DDR's bytes per cycle,
 * ddr = bandwidth / clock (engine/schedule/cycles.ts ratesOf: the ports' min(width, ddr) and streamCycles'
 * total / ddr); the sequence of loads and computes does not depend on it (frame.ts branches on the model, routing,
 * strategy and buffers only). Every operation's cycles are non-increasing in ddr (ceil, max, min and division by
 * ddr, each monotone under IEEE rounding), and the timeline's start and end times are max and + of earlier ones
 * (timeline.ts runLoad/runCompute), so the makespan is non-increasing in ddr. Equal at the axis's highest clock
 * (lowest ddr) and lowest clock (highest ddr), it is equal at every clock between. test/explore/clockRange.test.ts
 * checks the monotonicity and this equality against frameLatency at every clock, on every sample and random designs.
 */
function clockRangeCyclesOf(
  design: Design,
  target: HardwareTarget,
  strategy: Strategy,
  range: { low: number; high: number },
  traces: ReadonlyMap<string, RoutingTrace> | undefined,
): (number | null)[] {
  const at = (clockHz: number) => {
    const t: HardwareTarget = { ...target, clockHz };
    const d: Design = { ...design, targets: [t] };
    return design.tasks.map((task) => frameTime({ design: d, task: task.name, target: t.name, strategy, traces }).cycles);
  };
  const fast = at(range.high);
  const slow = at(range.low);
  return fast.map((c, i) => (c === slow[i] ? c : null));
}

/** An objective's value from the budget facts: the same figures the budgets are checked against. */
export function objectiveValue(o: Objective, facts: TargetFacts, dspSlices: number): number {
  const pick = (key: 'seconds' | 'energyJ' | 'trafficBytes'): number => {
    if (o.task !== undefined) return facts.tasks.find((t) => t.task === o.task)?.[key] ?? Number.NaN;
    return facts.tasks.reduce((m, t) => Math.max(m, t[key]), -Infinity);
  };
  switch (o.metric) {
    case 'latency':
      return pick('seconds');
    case 'energy':
      return pick('energyJ');
    case 'traffic':
      return pick('trafficBytes');
    case 'fps':
      return 1 / pick('seconds');
    case 'onchip':
      return facts.onchipBytes;
    case 'dsp':
      return dspSlices;
  }
}

/** How far past its limit a failed budget is, relative to the limit (for the search's constrained domination). */
function excess(budget: Budget, value: number | undefined): number {
  const limit = budget.limit.value;
  if (value === undefined || !(limit > 0)) return 1;
  const upper = budget.op === '<' || budget.op === '<=';
  return Math.max(1e-12, upper ? (value - limit) / limit : (limit - value) / limit);
}
