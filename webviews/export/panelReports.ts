/**
 * A panel's current view → the exported report (HTML tables, CSV). Pure: the webview calls it when the user clicks
 * Export, with its own view model, so the report shows exactly the figures on screen; the panel's charts are added
 * as PNG data URIs by panelButtons.ts.
 */
import type { HostMessage, ResourcesView, RunView, ScheduleView } from '../protocol';
import { cpuLabel, seededNotice } from '../run/labels';
import type { Report, ReportTable } from './report';

function resourcesReport(v: ResourcesView): Report {
  const strategies: ReportTable = {
    id: 'strategies',
    title: `Strategies on ${v.target} (${v.device}), task ${v.task}`,
    columns: ['strategy', 'selected', 'on-chip bytes', 'on-chip % of device', 'fits', 'off-chip traffic bytes', 'latency s', 'energy J'],
    rows: v.strategies.map((s) => [s.strategy, s.strategy === v.selectedStrategy, s.onchipBytes, s.onchipPercent, s.fits, s.trafficBytes, s.latencySeconds, s.energyJoules]),
  };
  const buffers: ReportTable = {
    id: 'buffers',
    title: `On-chip buffers of ${v.selectedStrategy}`,
    columns: ['buffer', 'bytes'],
    rows: (v.strategies.find((s) => s.strategy === v.selectedStrategy)?.buffers ?? []).map((b) => [b.name, b.bytes]),
  };
  const tasks: ReportTable = {
    id: 'tasks',
    title: 'Tasks: compute per frame',
    columns: ['task', 'MACs', 'FLOPs', 'parameters', 'dense multi-task MACs', 'all-experts MACs'],
    rows: v.tasks.map((t) => [t.task, t.macs, t.flops, t.params, t.denseMacs, t.allExpertsMacs]),
  };
  const budgets: ReportTable = { id: 'budgets', title: 'Budgets', columns: ['budget', 'status', 'actual'], rows: v.budgets.map((b) => [b.text, b.status, b.actual]) };
  const notices = v.strategies.filter((s) => !s.fits).map((s) => `${s.strategy} does not fit ${v.device}: ${s.onchipPercent.toFixed(1)} % of its on-chip memory`);
  return {
    title: `M3V Resources: ${v.designName}`,
    subtitle: [`target ${v.target} (${v.device}) · task ${v.task} · DSP ${v.use.dsp} (${v.use.dspPercent.toFixed(1)} %)`],
    notices,
    tables: [strategies, buffers, tasks, ...(budgets.rows.length ? [budgets] : [])],
    charts: [],
  };
}

function scheduleReport(v: ScheduleView): Report {
  const runs: ReportTable = {
    id: 'runs',
    title: 'Strategies',
    columns: ['strategy', 'makespan cycles', 'makespan s', 'events'],
    rows: v.runs.map((r) => [r.strategy, r.makespanCycles, r.makespanCycles / v.clockHz, r.events.length]),
  };
  const tables: ReportTable[] = [runs];
  const first = v.runs[0];
  if (first) {
    // Busy cycles per lane of the selected strategy (events may overlap within a lane only across layers: summed).
    const busy = v.lanes.map(() => 0);
    for (const e of first.events) busy[e.lane] += e.end - e.start;
    tables.push({ id: 'lanes', title: `Lane use of ${first.strategy}`, columns: ['lane', 'busy cycles', 'share of makespan'], rows: v.lanes.map((l, i) => [l, busy[i], first.makespanCycles > 0 ? busy[i] / first.makespanCycles : 0]) });
  }
  if (v.scenario)
    tables.push({ id: 'scenario', title: `Scenario ${v.scenario.name}`, columns: ['frame', 'task', 'start cycles', 'end cycles', 'deadline cycles', 'switched', 'missed'], rows: v.scenario.frames.map((f) => [f.index, f.task, f.start, f.end, f.deadline, f.switched, f.missed]) });
  return { title: `M3V Schedule: ${v.designName}`, subtitle: [`target ${v.target} at ${v.clockHz / 1e6} MHz · task ${v.task}`], notices: [], tables, charts: [] };
}

function runReport(v: RunView): Report {
  const notices: string[] = [];
  if (v.weights?.seeded) notices.push(seededNotice(v.weights.source));
  if (v.inputNotice) notices.push(v.inputNotice);
  const tables: ReportTable[] = [];
  if (v.latencyMs !== undefined) tables.push({ id: 'measured', title: `Measured on ${cpuLabel(v.threads)}`, columns: ['what', 'ms per frame'], rows: [[`CPU run of task ${v.task} (not the FPGA estimate)`, v.latencyMs]] });
  const experts = Math.max(0, ...v.layers.map((l) => l.expertLoad.length));
  tables.push({
    id: 'expert-load',
    title: 'Tokens routed to each expert, per MoE layer',
    columns: ['MoE layer', ...Array.from({ length: experts }, (_, e) => `expert ${e}`)],
    rows: v.layers.map((l) => [l.layer, ...Array.from({ length: experts }, (_, e) => l.expertLoad[e] ?? 0)]),
  });
  if (v.outputKey?.kind === 'classes') tables.push({ id: 'classes', title: 'Output classes (arg-max per pixel)', columns: ['class', 'colour', 'pixels'], rows: v.outputKey.classes.map((c) => [c.class, c.colour, c.pixels]) });
  if (v.outputKey?.kind === 'channels') tables.push({ id: 'output-range', title: 'Output range (grey ramp)', columns: ['channel', 'min (black)', 'max (white)'], rows: [[v.outputKey.channel, v.outputKey.min, v.outputKey.max]] });
  if (v.numerics)
    tables.push({ id: 'numerics', title: `FPGA numerics: ${v.numerics.formats}`, columns: ['block', 'tokens rel. L2 vs float32'], rows: v.numerics.layers.map((l) => [l.layer, l.relL2]) });
  const charts = [...(v.inputImage ? [{ id: 'input', title: 'input (as the model sees it)', png: v.inputImage }] : []), ...(v.outputImage ? [{ id: 'output', title: 'output map', png: v.outputImage }] : [])];
  return { title: `M3V Run: task ${v.task}`, subtitle: [v.weights ? `weights: ${v.weights.source}` : ''].filter(Boolean), notices, tables, charts };
}

/** The report of whatever the panel shows now; undefined when it shows no view (a stale line, nothing yet). */
export function reportOfMessage(m: HostMessage | undefined): Report | undefined {
  switch (m?.type) {
    case 'resources':
      return resourcesReport(m.view);
    case 'schedule':
      return scheduleReport(m.view);
    case 'run':
      return runReport(m.view);
    default:
      return undefined;
  }
}
