/**
 * `m3v analyze --json` → the exported report (`m3v analyze FILE --html OUT`): the tasks' counts, per target and
 * strategy the on-chip memory (bytes, BRAM36, URAM, share of the device), fit, off-chip traffic, latency, FPS,
 * energy and switch cost, the budgets, and what was not costed, plus SVG bar charts of latency and on-chip share.
 * Reads the JSON document as documented in docs/analyze-json.md; every figure is the JSON's own value.
 */
import { barChartSvg, type Report, type ReportChart, type ReportTable } from './report';

type J = Record<string, unknown>;
const obj = (v: unknown): J => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as J) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** The JSON has no `fits` field: a plan fits when its blocks take at most 100 % of the device (engine/memory). */
function fitsDevice(s: J): boolean | undefined {
  const pct = num(s.onchip_percent);
  return pct === undefined ? undefined : pct <= 100;
}

export function analysisReport(json: unknown, designName: string): Report {
  const doc = obj(json);
  const tasks = arr(doc.tasks).map(obj);
  const taskTable: ReportTable = {
    id: 'tasks',
    title: 'Tasks: compute per frame',
    columns: ['task', 'MACs', 'FLOPs', 'active parameters', 'dense multi-task MACs', 'all-experts MACs'],
    rows: tasks.map((t) => [String(t.name), num(t.macs), num(t.flops), num(t.params_active), num(t.dense_mtl_macs), num(t.all_experts_macs)]),
  };
  const tables: ReportTable[] = [taskTable];
  const charts: ReportChart[] = [];
  const notices: string[] = [];
  for (const target of arr(doc.targets).map(obj)) {
    const name = String(target.name);
    const strategies = Object.entries(obj(target.strategies));
    const rows = strategies.flatMap(([strategy, raw]) => {
      const s = obj(raw);
      return tasks.map((t) => {
        const task = String(t.name);
        return [strategy, task, num(s.onchip_bytes), num(s.bram36), num(s.uram), num(s.onchip_percent), fitsDevice(s), num(obj(obj(s.traffic_by_task)[task]).total), num(obj(s.latency_ms)[task]), num(obj(s.fps)[task]), num(obj(s.energy_mj)[task]), num(s.switch_cost_ms)];
      });
    });
    tables.push({
      id: `target-${name}`,
      title: `Target ${name} (${String(target.device)}, schedule ${String(target.schedule)})`,
      columns: ['strategy', 'task', 'on-chip bytes', 'BRAM36', 'URAM', 'on-chip % of device', 'fits', 'off-chip traffic bytes', 'latency ms', 'FPS', 'energy mJ', 'switch cost ms'],
      rows,
      note: 'on-chip %: the blocks the plan occupies over the device\'s BRAM36 + URAM (engine/memory); latency: the event simulator\'s makespan.',
    });
    for (const [strategy, raw] of strategies) {
      const pct = num(obj(raw).onchip_percent);
      if (pct !== undefined && pct > 100) notices.push(`${name}: ${strategy} does not fit: ${pct.toFixed(1)} % of the device's on-chip memory`);
    }
    for (const t of tasks) {
      const task = String(t.name);
      charts.push({ id: `latency-${name}-${task}`, title: `${name}: latency of ${task} per strategy`, svg: barChartSvg(`latency of ${task} on ${name}`, strategies.map(([s]) => s), strategies.map(([, r]) => num(obj(obj(r).latency_ms)[task]) ?? NaN), 'ms') });
    }
    charts.push({ id: `onchip-${name}`, title: `${name}: on-chip memory per strategy (% of BRAM36 + URAM)`, svg: barChartSvg(`on-chip memory on ${name}`, strategies.map(([s]) => s), strategies.map(([, r]) => num(obj(r).onchip_percent) ?? NaN), '%') });
  }
  const budgets = arr(doc.budgets).map(obj);
  if (budgets.length > 0)
    tables.push({ id: 'budgets', title: 'Budgets', columns: ['budget', 'target', 'value', 'limit', 'unit', 'met'], rows: budgets.map((b) => [String(b.text), str(b.target), num(b.value), num(b.limit), str(b.unit), typeof b.ok === 'boolean' ? b.ok : null]) });
  const notCosted = arr(doc.not_costed).map(String);
  if (notCosted.length > 0) tables.push({ id: 'not-costed', title: 'Not costed', columns: ['what the model does not cost'], rows: notCosted.map((n) => [n]) });
  return { title: `M3V report: ${designName}`, subtitle: [`model ${str(doc.model)}`, 'from m3v analyze (the same figures as m3v analyze --json)'], notices, tables, charts };
}
