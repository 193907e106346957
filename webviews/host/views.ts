/**
 * Engine results → the panels' view models (webviews/protocol.ts). Pure: no `vscode`, no Node, so it is
 * unit-tested and could run in a browser worker. Every figure is copied from the engine report or schedule;
 * the only arithmetic here is unit conversion (cycles ↔ seconds for scenario frames) and sorting.
 */
import { STRATEGIES, type Design, type Span } from '../../engine/design';
import type { AnalysisReport, TargetReport } from '../../engine/analyze';
import { BRAM36_BYTES, URAM_BYTES } from '../../engine/memory/blocks';
import { simulateFrame, simulateScenario } from '../../engine/schedule/index';
import { LANES } from '../../engine/schedule/types';
import type { RoutingTrace } from '../../engine/routing-trace';
import type { BudgetRow, ResourcesView, ScheduleEvent, ScheduleView, SourceLink, StrategyResources } from '../protocol';
import type { StatusFigures } from '../../language/src/server/protocol';

function link(uri: string, span: Span | undefined): SourceLink | undefined {
  return span ? { uri, start: span.start, end: span.end } : undefined;
}

function targetOf(report: AnalysisReport, target: string): TargetReport | undefined {
  return report.targets.find((t) => t.name === target);
}

export function statusFigures(report: AnalysisReport, task: string, target: string): StatusFigures | undefined {
  const tr = targetOf(report, target);
  const own = tr?.strategies.find((s) => s.strategy === tr.target.schedule) ?? tr?.strategies[0];
  const t = own?.tasks.find((x) => x.task === task);
  if (!tr || !own || !t) return undefined;
  return {
    latencySeconds: t.latency.seconds,
    onchipPercent: own.onchip.onchipPercent,
    budgetsViolated: report.budgets.filter((b) => b.target === target && b.ok === false).length,
  };
}

export function resourcesView(design: Design, report: AnalysisReport, task: string, target: string, uri: string): ResourcesView | undefined {
  const tr = targetOf(report, target);
  if (!tr) return undefined;
  const res = tr.target.resources;
  const bramBytes = res.bram36 * BRAM36_BYTES;
  const uramBytes = res.uram * URAM_BYTES;
  const strategies: StrategyResources[] = tr.strategies.map((s) => {
    const t = s.tasks.find((x) => x.task === task);
    return {
      strategy: s.strategy,
      buffers: s.onchip.buffers.map((b) => ({ name: b.name, bytes: b.bytes })).sort((a, b) => b.bytes - a.bytes),
      onchipBytes: s.onchip.bytes,
      onchipPercent: s.onchip.onchipPercent,
      trafficBytes: t?.traffic.total ?? 0,
      latencySeconds: t?.latency.seconds ?? 0,
      energyJoules: t?.energy.totalJ,
      fits: s.onchip.bram36 <= res.bram36 && s.onchip.uram <= res.uram,
    };
  });
  const budgets: BudgetRow[] = report.budgets
    .filter((b) => b.target === target)
    .map((b) => ({
      text: b.text,
      status: b.ok === undefined ? 'unknown' : b.ok ? 'met' : 'violated',
      actual: b.valueText ?? 'not estimated',
      link: link(uri, b.budget.span),
    }));
  return {
    designName: design.model.name,
    task,
    target,
    device: tr.device,
    selectedStrategy: tr.target.schedule,
    capacity: { onchipBytes: bramBytes + uramBytes, bramBytes, uramBytes, dsp: res.dsp, lut: res.lut },
    use: { dsp: tr.resources.dsp, dspPercent: tr.resources.dspPercent },
    strategies,
    tasks: report.counts.tasks.map((tc) => ({
      task: tc.task,
      macs: tc.count.macs,
      flops: tc.count.flops,
      params: tc.paramsActive,
      denseMacs: tc.denseMtl.macs,
      allExpertsMacs: tc.allExperts.macs,
      link: link(uri, design.tasks.find((t) => t.name === tc.task)?.nameSpan),
    })),
    budgets,
    ...boundOf(tr, task),
  };
}

function boundOf(tr: AnalysisReport['targets'][number], task: string): Pick<ResourcesView, 'bound'> {
  const b = tr.bounds.find((x) => x.task === task)?.bound;
  return b ? { bound: { seconds: b.seconds, computeSeconds: b.computeSeconds, memorySeconds: b.memorySeconds, kind: b.bound } } : {};
}

/** Block index → the span to reveal: the `moe` block for MoE layers, else the model block. */
function layerLink(design: Design, uri: string, layer: number, task: string): SourceLink | undefined {
  const m = design.model;
  if (layer >= m.depth) return link(uri, design.tasks.find((t) => t.name === task)?.nameSpan);
  if (m.moe && m.moe.layers.includes(layer)) return link(uri, m.moe.span);
  return link(uri, m.span);
}

export function scheduleView(
  design: Design,
  task: string,
  target: string,
  uri: string,
  scenario: string | undefined,
  traces?: ReadonlyMap<string, RoutingTrace>,
  allStrategies = true,
): ScheduleView | undefined {
  const t = design.targets.find((x) => x.name === target);
  if (!t || !design.tasks.some((x) => x.name === task)) return undefined;
  const lanes = LANES.slice();
  const order = allStrategies ? [t.schedule, ...STRATEGIES.filter((s) => s !== t.schedule)] : [t.schedule];
  const runs = order.map((strategy) => {
    const frame = simulateFrame({ design, task, target, strategy, traces });
    const events: ScheduleEvent[] = frame.events.map((e) => ({
      lane: lanes.indexOf(e.lane),
      start: e.start,
      end: e.end,
      label: e.op === 'load' ? `load ${e.what}${e.expert !== undefined ? ` (expert ${e.expert})` : ''}` : `${e.op}${e.expert !== undefined ? ` expert ${e.expert}` : ''} · layer ${e.layer}`,
      kind: e.op === 'load' ? 'load' : e.lane,
      task,
      layer: e.layer,
      buffer: e.buffer === 'ping' || e.buffer === 'pong' ? e.buffer : undefined,
      link: layerLink(design, uri, e.layer, task),
    }));
    return { strategy, makespanCycles: frame.makespan_cycles, events };
  });
  const view: ScheduleView = { designName: design.model.name, task, target, clockHz: t.clockHz, lanes, runs, compare: allStrategies };
  if (scenario) {
    const result = simulateScenario(design, scenario, { target, strategy: t.schedule, traces });
    const run = result.runs.find((r) => r.strategy === t.schedule) ?? result.runs[0];
    if (run) {
      const toCycles = (s: number) => Math.round(s * t.clockHz);
      view.scenario = {
        name: scenario,
        misses: run.totals.missed,
        switches: run.totals.switches,
        frames: run.frames.map((f) => ({
          index: f.index,
          task: f.task,
          start: toCycles(f.start),
          end: toCycles(f.end),
          deadline: toCycles(f.deadline),
          missed: !f.met,
          switched: f.previousTask !== null && f.previousTask !== f.task,
        })),
      };
    }
  }
  return view;
}
