/**
 * Task-switching scenarios: a sequence of single-task frames released at the scenario's fps, simulated per strategy.
 *
 * Frame i is released at i/fps and starts when released and the previous frame is done; it meets its deadline when
 * it ends by release + 1/fps. A frame's switch overhead is what it costs beyond a normal (steady-state, same task
 * before) frame of its task under the same strategy — cycles and off-chip bytes — which is where the strategies'
 * state across frames shows (docs/schedule.md, "Task switches"):
 * - expert_by_expert and token_by_token keep nothing across frames that depends on the task: every frame loads the
 *   experts it uses in every MoE layer, the task's router per layer (Edge-MoE load_w_gate) and its head. A switch
 *   changes which router and head are loaded, not how much: zero overhead.
 * - all_resident keeps the routers and the current task's head on chip; a switch (and the first frame) loads the new
 *   task's routers and head before the frame can use them.
 */
import type { Design, Strategy } from '../design';
import { STRATEGIES } from '../design';
import type { RoutingTrace } from '../routing-trace';
import { ScheduleRequestError, resolveFrame, runFrame } from './frame';
import type { Timeline } from './timeline';
import type { ScenarioEnergy } from './scenario-energy';
import { scenarioEnergy } from './scenario-energy';

export interface ScenarioOptions {
  /** Default: the first target of the design. */
  target?: string;
  /** Default: every strategy (the target's declared one is marked). */
  strategy?: Strategy;
  traces?: ReadonlyMap<string, RoutingTrace>;
}

export interface ScenarioFrame {
  index: number;
  task: string;
  /** Seconds from the scenario start. */
  release: number;
  start: number;
  end: number;
  /** Service time of the frame, seconds (end − start). */
  latency: number;
  cycles: number;
  /** Cycles and off-chip bytes beyond a steady-state frame of the same task (0 when nothing switched). */
  switchOverheadCycles: number;
  switchOverheadBytes: number;
  /** Absolute deadline, seconds: release + 1/fps. */
  deadline: number;
  met: boolean;
  /** The previous frame's task, or null for the first frame. */
  previousTask: string | null;
}

export interface ScenarioRun {
  strategy: Strategy;
  /** The target's declared `schedule`. */
  declared: boolean;
  frames: ScenarioFrame[];
  totals: {
    frames: number;
    missed: number;
    /** Frames whose task differs from the previous frame's (the first frame counts as a cold start, not a switch). */
    switches: number;
    switchOverheadCycles: number;
    switchOverheadBytes: number;
    /** Cold-start cost of the first frame beyond a steady-state frame. */
    coldStartCycles: number;
    coldStartBytes: number;
    busyCycles: number;
    loadBytes: number;
    /** When the last frame ends, seconds. */
    endSeconds: number;
    worstLatencySeconds: number;
  };
  /** The switch cost model of this strategy, in words and numbers. */
  switchModel: string;
  /** Energy of the run with the engine's analytical model (engine/energy.ts). */
  energy: ScenarioEnergy;
}

export interface ScenarioResult {
  scenario: string;
  target: string;
  fps: number;
  clockHz: number;
  runs: ScenarioRun[];
  routingNotes: string[];
}

interface FrameCost {
  cycles: number;
  loadBytes: number;
}

export function simulateScenario(design: Design, scenarioName: string, options: ScenarioOptions = {}): ScenarioResult {
  const scenario = design.scenarios.find((s) => s.name === scenarioName);
  if (!scenario)
    throw new ScheduleRequestError(
      `unknown scenario '${scenarioName}'; scenarios: ${design.scenarios.map((s) => s.name).join(', ') || '(none declared)'}`,
    );
  const targetName = options.target ?? design.targets[0]?.name;
  if (targetName === undefined) throw new ScheduleRequestError('the design declares no hardware target to simulate on');
  const target = design.targets.find((t) => t.name === targetName);
  if (!target) throw new ScheduleRequestError(`unknown target '${targetName}'; targets: ${design.targets.map((t) => t.name).join(', ')}`);
  if (options.strategy !== undefined && !STRATEGIES.includes(options.strategy))
    throw new ScheduleRequestError(`unknown strategy '${String(options.strategy)}'; strategies: ${STRATEGIES.join(', ')}`);
  for (const task of scenario.frames)
    if (!design.tasks.some((t) => t.name === task))
      throw new ScheduleRequestError(`scenario '${scenario.name}' names unknown task '${task}'; tasks: ${design.tasks.map((t) => t.name).join(', ')}`);
  const strategies = options.strategy ? [options.strategy] : STRATEGIES.slice();
  const routingNotes = new Set<string>();
  const runs = strategies.map((strategy) => runScenario(design, scenario.frames, scenario.fps, targetName, strategy, options.traces, routingNotes));
  for (const run of runs) {
    run.declared = run.strategy === target.schedule;
    run.energy = scenarioEnergy(design, target, run, scenario.fps, options.traces);
  }
  return { scenario: scenario.name, target: targetName, fps: scenario.fps, clockHz: target.clockHz, runs, routingNotes: [...routingNotes] };
}

function runScenario(
  design: Design,
  tasks: string[],
  fps: number,
  target: string,
  strategy: Strategy,
  traces: ReadonlyMap<string, RoutingTrace> | undefined,
  routingNotes: Set<string>,
): ScenarioRun {
  // A frame's cost depends only on (task, previous task): memoise, scenarios repeat a short pattern many times.
  const costs = new Map<string, FrameCost>();
  const cost = (task: string, previousTask: string | null | undefined): FrameCost => {
    const key = `${task}\u0000${previousTask === undefined ? '\u0001steady' : previousTask === null ? '\u0001cold' : previousTask}`;
    let c = costs.get(key);
    if (!c) {
      const frame = resolveFrame({ design, task, target, strategy, traces, previousTask });
      for (const note of frame.routingNotes) routingNotes.add(note);
      const tl: Timeline = runFrame(frame, null);
      c = { cycles: tl.makespan, loadBytes: tl.loadBytes };
      costs.set(key, c);
    }
    return c;
  };
  const clockHz = design.targets.find((t) => t.name === target)!.clockHz;
  const period = fps > 0 ? 1 / fps : Infinity;
  const frames: ScenarioFrame[] = [];
  let previousEnd = 0;
  let previousTask: string | null = null;
  let busyCycles = 0;
  let loadBytes = 0;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i];
    const steady = cost(task, undefined);
    const actual = cost(task, previousTask === task ? undefined : previousTask);
    const release = fps > 0 ? i * period : 0;
    const start = Math.max(release, previousEnd);
    const latency = actual.cycles / clockHz;
    const end = start + latency;
    const deadline = release + period;
    frames.push({
      index: i,
      task,
      release,
      start,
      end,
      latency,
      cycles: actual.cycles,
      switchOverheadCycles: actual.cycles - steady.cycles,
      switchOverheadBytes: actual.loadBytes - steady.loadBytes,
      deadline,
      // A tolerance of a picosecond so that float sums do not flip a frame that ends exactly on its deadline.
      met: end <= deadline + 1e-12,
      previousTask,
    });
    busyCycles += actual.cycles;
    loadBytes += actual.loadBytes;
    previousEnd = end;
    previousTask = task;
  }
  const switched = frames.filter((f) => f.previousTask !== null && f.previousTask !== f.task);
  const first = frames[0];
  const run: ScenarioRun = {
    strategy,
    declared: false,
    frames,
    totals: {
      frames: frames.length,
      missed: frames.filter((f) => !f.met).length,
      switches: switched.length,
      switchOverheadCycles: sum(switched.map((f) => f.switchOverheadCycles)),
      switchOverheadBytes: sum(switched.map((f) => f.switchOverheadBytes)),
      coldStartCycles: first ? first.switchOverheadCycles : 0,
      coldStartBytes: first ? first.switchOverheadBytes : 0,
      busyCycles,
      loadBytes,
      endSeconds: previousEnd,
      worstLatencySeconds: frames.reduce((m, f) => Math.max(m, f.latency), 0),
    },
    switchModel: '',
    energy: { model: 'analytical', frameJ: [], activeJ: 0, idleJ: 0, totalJ: 0, switchJ: 0 },
  };
  run.switchModel = describeSwitchModel(run, clockHz);
  return run;
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function describeSwitchModel(run: ScenarioRun, clockHz: number): string {
  const t = run.totals;
  const perSwitch = t.switches > 0 ? t.switchOverheadCycles / t.switches : 0;
  const perSwitchBytes = t.switches > 0 ? t.switchOverheadBytes / t.switches : 0;
  const numbers =
    `${t.switches} switch${t.switches === 1 ? '' : 'es'} cost ${t.switchOverheadCycles} cycles ` +
    `(${((t.switchOverheadCycles / clockHz) * 1e3).toFixed(3)} ms) and ${t.switchOverheadBytes} B beyond normal frames` +
    (t.switches > 0 ? ` (${Math.round(perSwitch)} cycles, ${Math.round(perSwitchBytes)} B each)` : '') +
    `; the first frame's cold start costs ${t.coldStartCycles} cycles, ${t.coldStartBytes} B`;
  switch (run.strategy) {
    case 'expert_by_expert':
      return `expert_by_expert reloads each used expert once per MoE layer in every frame and loads the running task's router per layer (load_w_gate) and its head per frame, so a switch only changes which router and head are read: ${numbers}.`;
    case 'token_by_token':
      return `token_by_token reloads experts token by token in every frame and loads the running task's router per layer and its head per frame, so a switch only changes which are read: ${numbers}.`;
    case 'all_resident':
      return `all_resident keeps the routers and the current task's head on chip between frames; a switch must load the new task's routers (per-task gates; a shared gate only swaps its task embedding) and head before they are used: ${numbers}.`;
  }
}
