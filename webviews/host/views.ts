/**
 * Engine results → the panels' view models (webviews/protocol.ts). Pure: no `vscode`, no Node, so it is
 * unit-tested and could run in a browser worker. Every figure is copied from the engine report or schedule;
 * the only arithmetic here is unit conversion (cycles ↔ seconds for scenario frames), sorting, grouping (small
 * buffers into one chart segment, events into aggregates past MAX_EVENTS_PER_RUN, schedule events into layers and
 * operations) and ratios of two engine figures (shares, MACs per byte, MACs per second).
 */
import { STRATEGIES, type Design, type HardwareTarget, type Span } from '../../engine/design';
import { analyzeDesign, type AnalysisReport, type StrategyReport, type TargetReport } from '../../engine/analyze';
import { BRAM36_BYTES, URAM_BYTES } from '../../engine/memory/blocks';
import { planOnchip, type OnchipPlan } from '../../engine/memory/buffers';
import { simulateFrame, simulateScenario } from '../../engine/schedule/index';
import { resolveFrame } from '../../engine/schedule/frame';
import { rooflineOf } from '../../engine/roofline';
import { LANES, type FrameSchedule, type ScheduleEvent as EngineEvent } from '../../engine/schedule/types';
import type { RoutingTrace } from '../../engine/routing-trace';
import { decimate } from '../schedule/decimate';
import type {
  BlockBar,
  BudgetRow,
  BufferRow,
  FitVerdict,
  OpMacs,
  ResourcesView,
  Roofline,
  ScenarioFrame,
  ScheduleEvent,
  ScheduleLayerRow,
  ScheduleRun,
  ScheduleView,
  SourceLink,
  StrategyResources,
  StrategySummary,
} from '../protocol';
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

export function resourcesView(
  design: Design,
  report: AnalysisReport,
  task: string,
  target: string,
  uri: string,
  /** The routing traces the report was computed with (the roofline's expert loads follow the same routing). */
  traces?: ReadonlyMap<string, RoutingTrace>,
): ResourcesView | undefined {
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
      bufferTable: bufferTable(s.onchip, res),
      blocks: { bram36: s.onchip.bram36, uram: s.onchip.uram, lutram: s.onchip.lutram, bramPercent: s.onchip.bramPercent, uramPercent: s.onchip.uramPercent },
      blockBars: blockBars(s.onchip, res),
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
    macsByOp: macsByOp(report, task),
    roofline: roofline(design, report, tr, task, traces),
    notCosted: report.notCosted.slice(),
    deviceBlocks: { bram36: res.bram36, uram: res.uram, lut: res.lut },
  };
}

/** Every buffer of the plan, as Vitis HLS's utilisation report lists memories: bytes, kind, blocks, device share. */
export function bufferTable(plan: OnchipPlan, res: HardwareTarget['resources']): BufferRow[] {
  return plan.buffers.map((b) => {
    const kind = b.mapping.kind;
    const available = kind === 'bram' ? res.bram36 : kind === 'uram' ? res.uram : kind === 'lutram' ? res.lut : 0;
    const used = kind === 'lutram' ? b.mapping.luts : b.mapping.blocks;
    return {
      name: b.name,
      role: b.role,
      bytes: b.bytes,
      memory: kind,
      blocks: b.mapping.blocks,
      luts: b.mapping.luts,
      shape: b.mapping.shape,
      sharePercent: available > 0 ? (100 * used) / available : 0,
    };
  });
}

/**
 * The on-chip chart's stacked segments in blocks (what the fit verdict counts), largest first: buffers of at least
 * `SMALL_SHARE` of the device's BRAM36 or URAM get a segment each (at most `MAX_SEGMENTS`, so the palette never
 * cycles), the rest one "N small buffers" segment that names them all. Buffers with no blocks (LUTRAM, registers)
 * are in the table only.
 */
export const MAX_SEGMENTS = 7;
export const SMALL_SHARE = 0.02;

export function blockBars(plan: OnchipPlan, res: HardwareTarget['resources']): BlockBar[] {
  const share = (b: OnchipPlan['buffers'][number]) =>
    b.mapping.kind === 'bram' ? b.mapping.blocks / Math.max(1, res.bram36) : b.mapping.kind === 'uram' ? b.mapping.blocks / Math.max(1, res.uram) : 0;
  const inBlocks = plan.buffers.filter((b) => b.mapping.blocks > 0).sort((a, b) => share(b) - share(a) || a.name.localeCompare(b.name));
  const big = inBlocks.filter((b) => share(b) >= SMALL_SHARE).slice(0, MAX_SEGMENTS);
  const small = inBlocks.filter((b) => !big.includes(b));
  const bar = (label: string, list: typeof inBlocks): BlockBar => ({
    label,
    buffers: list.map((b) => b.name),
    bram36: list.reduce((n, b) => n + (b.mapping.kind === 'bram' ? b.mapping.blocks : 0), 0),
    uram: list.reduce((n, b) => n + (b.mapping.kind === 'uram' ? b.mapping.blocks : 0), 0),
  });
  const out = big.map((b) => bar(b.name, [b]));
  if (small.length) out.push(bar(`${small.length} small buffer${small.length === 1 ? '' : 's'}`, small));
  return out;
}

function macsByOp(report: AnalysisReport, task: string): OpMacs[] | undefined {
  const tc = report.counts.tasks.find((t) => t.task === task);
  if (!tc) return undefined;
  const total = Math.max(1, tc.count.macs);
  return Object.entries(tc.count.byOp)
    .filter(([, macs]) => macs > 0)
    .map(([op, macs]) => ({ op, macs, sharePercent: (100 * macs) / total }));
}

/**
 * The roofline of the selected strategy's frame (engine/roofline.ts): every matrix operation, heads included, by MACs
 * per DDR byte (weights + activations) against each unit's compute roof and the ports' and DDR's bandwidth roofs.
 */
export function roofline(design: Design, report: AnalysisReport, tr: TargetReport, task: string, traces?: ReadonlyMap<string, RoutingTrace>): Roofline | undefined {
  const target = tr.target;
  if (!report.counts.tasks.some((t) => t.task === task) || target.resources.dsp <= 0) return undefined;
  const data = rooflineOf({ design, task, target: target.name, strategy: target.schedule, traces });
  const roof = (id: string) => data.roofs.find((r) => r.id === id)?.value ?? 0;
  return {
    computeRoofMacsPerSecond: roof('dsp'),
    bandwidthRoofBytesPerSecond: roof('weight_port'),
    strategy: data.strategy,
    points: data.ops.map((o) => ({ ...o, bound: o.boundBy === 'compute' ? 'compute' : 'memory' })),
    roofs: data.roofs,
    offchipBytesPerSecond: data.offchipBytesPerSecond,
    elementwise: data.elementwise,
    onChip: data.onChip,
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

/** Past this many events a run is sent as aggregates (a message of ~225 k events froze the panel on stress.m3v). */
export const MAX_EVENTS_PER_RUN = 20_000;

/** Row labels of the load lane's ping and pong buffers: two rows of one lane, one colour. */
export const PING_ROW = 'load · ping';
export const PONG_ROW = 'load · pong';

function layerName(layer: number, depth: number): string {
  return layer < 0 ? 'embed' : layer >= depth ? 'head' : `block ${layer}`;
}

/** Rows of the chart: the engine's lanes, with `load` split into ping, pong and other loads when a run uses them. */
function rowsOf(frames: FrameSchedule[]): { rows: string[]; rowLanes: string[]; rowOf: (e: EngineEvent) => number } {
  const pingPong = frames.some((f) => f.events.some((e) => e.lane === 'load' && (e.buffer === 'ping' || e.buffer === 'pong')));
  const rows: string[] = [];
  const rowLanes: string[] = [];
  for (const lane of LANES) {
    if (lane === 'load' && pingPong) {
      rows.push(PING_ROW, PONG_ROW, 'load · other');
      rowLanes.push('load', 'load', 'load');
    } else {
      rows.push(lane);
      rowLanes.push(lane);
    }
  }
  const rowOf = (e: EngineEvent) => {
    if (e.lane === 'load' && pingPong) return rows.indexOf(e.buffer === 'ping' ? PING_ROW : e.buffer === 'pong' ? PONG_ROW : 'load · other');
    return rows.indexOf(e.lane);
  };
  return { rows, rowLanes, rowOf };
}

function eventLabel(e: EngineEvent): string {
  if (e.op === 'load') return `load ${e.what}${e.expert !== undefined ? ` (expert ${e.expert})` : ''}${e.buffer ? ` → ${e.buffer}` : ''}`;
  return `${e.op}${e.expert !== undefined ? ` expert ${e.expert}` : ''} · layer ${e.layer}`;
}

/** The layer table and bands: LayerSummary cycles run back to back from the frame start (they sum to the makespan). */
export function layerRows(design: Design, frame: FrameSchedule): ScheduleLayerRow[] {
  const busy = new Map<number, Map<string, number>>();
  for (const e of frame.events) {
    if (e.lane === 'load') continue;
    let m = busy.get(e.layer);
    if (!m) busy.set(e.layer, (m = new Map<string, number>()));
    m.set(e.lane, (m.get(e.lane) ?? 0) + (e.end - e.start));
  }
  let at = 0;
  return frame.summary.layers.map((l) => {
    const start = at;
    at += l.cycles;
    const lanes = [...(busy.get(l.layer) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]);
    const bound = l.stallCycles * 2 > l.cycles ? 'weights' : (lanes[0]?.[0] ?? 'weights');
    return {
      layer: l.layer,
      name: layerName(l.layer, design.model.depth),
      kind: l.kind,
      start,
      end: at,
      cycles: l.cycles,
      stallCycles: l.stallCycles,
      loads: l.loads,
      loadBytes: l.loadBytes,
      expertLoads: l.expertLoads,
      expertsUsed: l.expertsUsed,
      bound,
    };
  });
}

export function fitVerdict(plan: OnchipPlan, res: HardwareTarget['resources']): FitVerdict {
  return {
    fits: plan.bram36 <= res.bram36 && plan.uram <= res.uram,
    bram36: plan.bram36,
    uram: plan.uram,
    bram36Available: res.bram36,
    uramAvailable: res.uram,
    bramPercent: plan.bramPercent,
    uramPercent: plan.uramPercent,
    onchipPercent: plan.onchipPercent,
  };
}

function strategySummary(sr: StrategyReport | undefined, task: string): StrategySummary | undefined {
  const t = sr?.tasks.find((x) => x.task === task);
  if (!sr || !t) return undefined;
  return {
    latencySeconds: t.latency.seconds,
    fps: t.fps,
    energyJoules: t.energy.totalJ,
    trafficBytes: t.traffic.total,
    expertLoads: t.traffic.expertLoads,
    switchBytes: sr.switchCost.bytes,
    switchSeconds: sr.switchCost.seconds,
  };
}

/** Events for the panel: one per engine event, or aggregates of sub-resolution runs when there are too many. */
function panelEvents(events: ScheduleEvent[], makespan: number): { events: ScheduleEvent[]; aggregatedBelowCycles?: number } {
  if (events.length <= MAX_EVENTS_PER_RUN) return { events };
  // decimate bounds its output by O(rows × pixels): the finest resolution (a power of two "pixels" across the frame)
  // whose output fits under the cap, so a zoom still shows as much detail as the message can carry.
  let pixels = 1 << 16;
  let bars = decimate(events, 0, makespan, pixels);
  while (bars.length > MAX_EVENTS_PER_RUN && pixels > 64) {
    pixels >>= 1;
    bars = decimate(events, 0, makespan, pixels);
  }
  const out = bars.map((b): ScheduleEvent => {
    if (b.index >= 0) return events[b.index];
    return { lane: b.lane, start: b.start, end: b.end, kind: b.kind, label: `${b.count.toLocaleString('en-US')} events (${b.kind})`, count: b.count };
  });
  return { events: out, aggregatedBelowCycles: Math.ceil(makespan / pixels) };
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
  const order = allStrategies ? [t.schedule, ...STRATEGIES.filter((s) => s !== t.schedule)] : [t.schedule];
  const frames = order.map((strategy) => simulateFrame({ design, task, target, strategy, traces }));
  const { rows, rowLanes, rowOf } = rowsOf(frames);
  // Compare Strategies: the summary table's figures from the engine report of this target (switch costs included).
  const report = allStrategies ? analyzeDesign(design, { traces, targets: [target] }) : undefined;
  const runs = order.map((strategy, i): ScheduleRun => {
    const frame = frames[i];
    const laneBusy = rows.map(() => 0);
    const all: ScheduleEvent[] = frame.events.map((e) => {
      const row = rowOf(e);
      laneBusy[row] += e.end - e.start;
      return {
        lane: row,
        start: e.start,
        end: e.end,
        label: eventLabel(e),
        kind: e.op === 'load' ? 'load' : e.lane,
        task,
        layer: e.layer,
        buffer: e.buffer === 'ping' || e.buffer === 'pong' ? e.buffer : undefined,
        expert: e.expert,
        link: layerLink(design, uri, e.layer, task),
      };
    });
    const shown = panelEvents(all, frame.makespan_cycles);
    const routing = resolveFrame({ design, task, target, strategy, traces }).routing;
    const run: ScheduleRun = {
      strategy,
      makespanCycles: frame.makespan_cycles,
      events: shown.events,
      totalEvents: frame.events.length,
      layers: layerRows(design, frame),
      expertQueues: routing.map((r) => ({ layer: r.layer, tokens: r.counts.slice(), source: r.source })),
      laneBusy,
      fit: fitVerdict(planOnchip(design, t, strategy), t.resources),
    };
    if (shown.aggregatedBelowCycles !== undefined) run.aggregatedBelowCycles = shown.aggregatedBelowCycles;
    const summary = strategySummary(report?.targets[0]?.strategies.find((s) => s.strategy === strategy), task);
    if (summary) run.summary = summary;
    return run;
  });
  const view: ScheduleView = { designName: design.model.name, task, target, clockHz: t.clockHz, lanes: rows, rowLanes, runs, compare: allStrategies };
  if (scenario) {
    // Every strategy through the scenario (the declared one first); `frames` stays the declared strategy's.
    const result = simulateScenario(design, scenario, { target, traces });
    const toCycles = (s: number) => Math.round(s * t.clockHz);
    const framesOf = (run: (typeof result.runs)[number]): ScenarioFrame[] =>
      run.frames.map((f) => ({
        index: f.index,
        task: f.task,
        start: toCycles(f.start),
        end: toCycles(f.end),
        deadline: toCycles(f.deadline),
        missed: !f.met,
        switched: f.previousTask !== null && f.previousTask !== f.task,
        switchCycles: f.switchOverheadCycles,
        switchBytes: f.switchOverheadBytes,
      }));
    const sorted = [...result.runs].sort((a, b) => Number(b.declared) - Number(a.declared) || order.indexOf(a.strategy) - order.indexOf(b.strategy));
    const run = sorted.find((r) => r.strategy === t.schedule) ?? sorted[0];
    if (run) {
      view.scenario = {
        name: scenario,
        misses: run.totals.missed,
        switches: run.totals.switches,
        frames: framesOf(run),
        periodCycles: result.fps > 0 ? Math.round(t.clockHz / result.fps) : undefined,
        strategies: sorted.map((r) => ({
          strategy: r.strategy,
          declared: r.declared,
          frames: framesOf(r),
          misses: r.totals.missed,
          switches: r.totals.switches,
          switchOverheadCycles: r.totals.switchOverheadCycles,
          worstLatencySeconds: r.totals.worstLatencySeconds,
          energyJoules: r.energy.totalJ,
        })),
      };
    }
  }
  return view;
}
