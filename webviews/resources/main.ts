/**
 * Resources panel: on-chip memory per strategy in the blocks the fit verdict counts (BRAM36 and URAM against the
 * device), a Vitis-HLS-style utilisation table of every buffer, latency beside its lower bound, a roofline of the
 * operations against the target’s compute and bandwidth roofs, MACs by operation, off-chip traffic, DSP/LUT use,
 * MACs per task against the dense-MTL and all-experts baselines, budgets and what the estimate does not cost.
 * Charts by chart.js; each chart has a table beside it with the exact figures (screen readers, tests, copy).
 *
 * Update path (issue 12: keystroke → panel < 200 ms): the page is built once; each view patches the text of the
 * figures in place (shared/patch.ts) and queues the charts, which are drawn after the browser has painted the
 * figures, once per burst of views, and only where their configuration changed.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { assertNever, type HostMessage, type ResourcesView, type SourceLink } from '../protocol';
import { el, post, showStale, startPanel } from '../shared/host';
import { chartTheme, onThemeChange, type ChartTheme } from '../shared/theme';
import { AfterPaint, patchTable, placeChildren, setText, tableElement, type Cell, type RowSpec } from '../shared/patch';
import { dropdown } from '../shared/controls';
import { formatBlocks, formatBytes, formatCount, formatInteger, formatPercent, formatSeconds, sig3 } from '../../engine/units';
import type { Roofline, StrategyResources } from '../protocol';
import { rooflineChartConfig, rooflineDetails, rooflineHeading } from './roofline';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, ScatterController, LineController, LineElement, PointElement, Tooltip, Legend);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyChart = Chart<any, any, any>;

/** What the tooltip callbacks read of chart.js's item (the datasets carry `blocks` and `buffers` of their own). */
interface TipItem {
  raw: unknown;
  dataIndex: number;
  datasetIndex: number;
  dataset: { label?: string; blocks?: number[]; buffers?: string[] };
}
let current: ResourcesView | undefined;
let options: { tasks: string[]; targets: string[] } = { tasks: [], targets: [] };

function render(m: HostMessage): void {
  switch (m.type) {
    case 'resources':
      current = m.view;
      showStale(undefined);
      draw(m.view);
      return;
    case 'selection':
      // Always followed by a view message from the host, which redraws with these choices.
      options = { tasks: m.tasks, targets: m.targets };
      return;
    case 'stale':
      showStale(m.reason);
      return;
    case 'schedule':
    case 'run':
      return;
    default:
      assertNever(m);
  }
}

// ------------------------------------------------------------------ charts: persistent, drawn after the figures

/**
 * Charts persist across updates, keyed by slot, and are drawn after the browser has painted the patched figures
 * (AfterPaint): a burst of views draws each chart once, with the last view, and a chart whose configuration did not
 * change is not touched. An update swaps the chart's data and options and redraws without animation.
 */
interface Slot {
  box: HTMLElement;
  canvas: HTMLCanvasElement;
  chart?: AnyChart;
  /** The configuration drawn (JSON, functions left out), to skip an identical redraw. */
  drawn?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  next?: ChartConfiguration<any, any, any>;
}
const slots = new Map<string, Slot>();
const chartWork = new AfterPaint();

function chartBox(slot: string): Slot {
  let s = slots.get(slot);
  if (!s) {
    const canvas = el('canvas', { 'data-slot': slot, 'data-chart': slot });
    s = { box: el('div', { class: 'chart' }, canvas), canvas };
    slots.set(slot, s);
  }
  return s;
}

/** Queues the slot's chart for the next drawing pass (after paint). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function chartIn(slot: string, config: ChartConfiguration<any, any, any>): void {
  chartBox(slot).next = config;
  document.body.dataset.charts = 'pending';
  chartWork.schedule(drawCharts);
}

/** When each chart pass ended and how long it took (Date.now(), ms): read by bench/panel-render.bench.ts. */
const chartLog: { at: number; ms: number; drawn: number }[] = [];
(window as unknown as { m3vChartLog: typeof chartLog }).m3vChartLog = chartLog;

function drawCharts(): void {
  const t0 = performance.now();
  let drawn = 0;
  for (const s of slots.values()) {
    const config = s.next;
    if (!config) continue;
    s.next = undefined;
    const key = JSON.stringify([config.type, config.data, config.options]);
    if (s.chart && key === s.drawn) continue;
    s.drawn = key;
    drawn++;
    if (s.chart) {
      // The box's height follows the view (a URAM row or not): measure it now, or the chart would be drawn at the old
      // size until chart.js's own resize observer catches up a frame later.
      if (Math.round(s.box.clientHeight) !== Math.round(s.chart.height) || Math.round(s.box.clientWidth) !== Math.round(s.chart.width)) s.chart.resize();
      s.chart.data = config.data;
      // Bar and scatter configurations share this slot store: chart.js types them per chart type only.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
      s.chart.options = config.options ?? {};
      s.chart.update('none');
    } else {
      s.chart = new Chart(s.canvas, config);
    }
  }
  document.body.dataset.charts = 'drawn';
  chartLog.push({ at: Date.now(), ms: performance.now() - t0, drawn });
  if (chartLog.length > 50) chartLog.shift();
}

function dropSlot(slot: string): void {
  slots.get(slot)?.chart?.destroy();
  slots.delete(slot);
}

/** Theme change: the charts are made anew with the new colours (canvases and the rest of the page stay). */
function resetCharts(): void {
  for (const s of slots.values()) {
    s.chart?.destroy();
    s.chart = undefined;
    s.drawn = undefined;
  }
}

// ------------------------------------------------------------------ the page: built once, patched per view

const once = new Map<string, HTMLElement>();
/** The element named `key`, made by `make` the first time only. */
function part<E extends HTMLElement>(key: string, make: () => E): E {
  let e = once.get(key) as E | undefined;
  if (!e) {
    e = make();
    once.set(key, e);
  }
  return e;
}
const heading = (key: string, tag: 'h2' | 'h3' = 'h2', attrs: Record<string, string> = {}) => part(key, () => el(tag, attrs));
const tableOf = (id: string) => part(`table:${id}`, () => tableElement(id));
/** Wide tables scroll sideways inside their own box, never the panel (issue 15: the designer's 509 px tab). */
const scrollBox = (key: string, table: HTMLTableElement) => {
  const box = part(`scroll:${key}`, () => el('div', { class: 'table-scroll' }));
  placeChildren(box, [table]);
  return box;
};
/** A `<section>` whose children are exactly `children` (moved only when out of place). */
function section(key: string, children: Node[]): HTMLElement {
  const s = part(`section:${key}`, () => el('section', { 'data-section': key }));
  placeChildren(s, children);
  return s;
}

const row = (cells: Cell[], attrs: Record<string, string> = {}, link?: SourceLink): RowSpec => ({
  cells,
  attrs,
  onClick: link ? () => post({ type: 'reveal', link }) : undefined,
});

/** A dropdown rebuilt only when its options or selection change (the toolkit's elements are slow to make). */
const dropdowns = new Map<string, { key: string; node: HTMLElement }>();
function cachedDropdown(id: string, values: string[], selected: string, onChange: (value: string) => void): HTMLElement {
  const key = JSON.stringify([values, selected]);
  const had = dropdowns.get(id);
  if (had && had.key === key) return had.node;
  const node = dropdown(id, values, selected, onChange);
  dropdowns.set(id, { key, node });
  return node;
}

const selected = (v: ResourcesView, strategy: string) => strategy + (strategy === v.selectedStrategy ? ' (selected)' : '');

function draw(v: ResourcesView): void {
  const theme = chartTheme();
  const axis = { ticks: { color: theme.foreground }, grid: { color: theme.grid } };
  const root = document.getElementById('root')!;
  placeChildren(root, [
    toolbarPart(v),
    ...onchipParts(v, theme, axis),
    bufferParts(v),
    latencyPart(v),
    ...(v.roofline && v.roofline.points.length ? [section('roofline', rooflineSection(v.roofline, theme, axis))] : []),
    ...(v.macsByOp?.length ? [macsPart(v, theme, axis)] : []),
    trafficPart(v, theme, axis),
    logicPart(v),
    computePart(v, theme, axis),
    budgetsPart(v),
    ...(v.notCosted?.length ? [notCostedPart(v.notCosted)] : []),
  ]);
}

function toolbarPart(v: ResourcesView): HTMLElement {
  const toolbar = part('toolbar', () => el('div', { class: 'toolbar' }));
  const title = part('design-title', () => el('strong', { id: 'design-title' }));
  setText(title, `${v.designName} on ${v.device}`);
  const tasks = options.tasks.length ? options.tasks : v.tasks.map((t) => t.task);
  const children: Node[] = [title, part('label:task', () => el('span', {}, 'task')), cachedDropdown('task-select', tasks, v.task, (task) => post({ type: 'selectTask', task }))];
  if (options.targets.length > 1)
    children.push(part('label:target', () => el('span', {}, 'target')), cachedDropdown('target-select', options.targets, v.target, (target) => post({ type: 'selectTarget', target })));
  placeChildren(toolbar, children);
  return toolbar;
}

/** On-chip memory in blocks (what the fit verdict counts) per strategy vs the device, and the strategies table. */
function onchipParts(v: ResourcesView, theme: ChartTheme, axis: object): HTMLElement[] {
  const title = heading('onchip-title', 'h2', { id: 'onchip-title' });
  setText(title, `On-chip memory in blocks: ${formatInteger(v.deviceBlocks?.bram36 ?? 0)} BRAM36 + ${formatInteger(v.deviceBlocks?.uram ?? 0)} URAM on ${v.device}`);
  const shown = new Set(v.strategies.map((s) => `onchip-${s.strategy}`));
  for (const slot of [...slots.keys()]) if (slot.startsWith('onchip-') && !shown.has(slot)) dropSlot(slot);
  const charts: Node[] = [];
  for (const s of v.strategies) {
    const slot = `onchip-${s.strategy}`;
    const box = chartBox(slot);
    box.box.classList.add('wide');
    box.box.style.height = `${(v.deviceBlocks?.uram ? 2 : 1) * 34 + 120}px`;
    const h3 = heading(`h3:${s.strategy}`, 'h3', { 'data-strategy': s.strategy });
    setText(h3, `${selected(v, s.strategy)}${s.fits ? '' : ' — does not fit'}`);
    h3.className = s.fits ? '' : 'violated';
    charts.push(h3, box.box);
    chartIn(slot, blocksChart(v, s, theme, axis));
  }
  const table = patchTable(tableOf('strategies-table'), ['strategy', 'on-chip bytes', 'BRAM36', 'URAM', 'LUTRAM LUTs', 'BRAM36+URAM share', 'off-chip traffic', 'fits'],
    v.strategies.map((s) => row([
      selected(v, s.strategy),
      formatBytes(s.onchipBytes),
      s.blocks ? `${formatBlocks(s.blocks.bram36)} (${formatPercent(s.blocks.bramPercent)})` : '—',
      s.blocks ? `${formatBlocks(s.blocks.uram)} (${formatPercent(s.blocks.uramPercent)})` : '—',
      s.blocks ? formatInteger(s.blocks.lutram) : '—',
      formatPercent(s.onchipPercent),
      formatBytes(s.trafficBytes),
      s.fits ? 'yes' : 'NO',
    ], { 'data-strategy': s.strategy, class: s.fits ? '' : 'violated' })));
  return [section('onchip', [title, ...charts, scrollBox('strategies', table)])];
}

/** Every buffer, Vitis HLS utilisation style (the selected strategy open, the others folded). */
let openedFor: string | undefined;
function bufferParts(v: ResourcesView): HTMLElement {
  const title = heading('buffers-title');
  setText(title, 'Utilisation by buffer (every buffer of the plan)');
  // A new selected strategy opens its table; otherwise what the user opened or folded stays so.
  const reopen = openedFor !== v.selectedStrategy;
  openedFor = v.selectedStrategy;
  const blocks = v.strategies.map((s) => {
    const rows = s.bufferTable ?? [];
    const details = part(`details:${s.strategy}`, () => el('details', { 'data-strategy': s.strategy }));
    if (reopen) details.open = s.strategy === v.selectedStrategy;
    const summary = part(`summary:${s.strategy}`, () => el('summary'));
    setText(summary, `${s.strategy}: ${rows.length} buffers`);
    const table = tableOf(`buffers:${s.strategy}`);
    table.id = s.strategy === v.selectedStrategy ? 'buffers-table' : `buffers-table-${s.strategy}`;
    patchTable(table, ['buffer', 'role', 'memory', 'shape', 'bytes', 'BRAM36', 'URAM', 'LUTs', 'share of device'], [
      ...rows.map((b) => row([b.name, b.role, b.memory, b.shape, formatBytes(b.bytes), b.memory === 'bram' ? formatBlocks(b.blocks) : '', b.memory === 'uram' ? formatBlocks(b.blocks) : '', b.luts ? formatInteger(b.luts) : '', formatPercent(b.sharePercent)],
        { 'data-buffer': b.name, 'data-memory': b.memory, 'data-blocks': String(b.blocks) })),
      row(['total', '', '', '', formatBytes(s.onchipBytes), s.blocks ? `${formatBlocks(s.blocks.bram36)} / ${formatInteger(v.deviceBlocks?.bram36 ?? 0)}` : '', s.blocks ? `${formatBlocks(s.blocks.uram)} / ${formatInteger(v.deviceBlocks?.uram ?? 0)}` : '', s.blocks ? formatInteger(s.blocks.lutram) : '', ''], { class: 'totals' }),
    ]);
    placeChildren(details, [summary, scrollBox(`buffers:${s.strategy}`, table)]);
    return details;
  });
  return section('buffers', [title, ...blocks]);
}

/** Latency beside the lower bound no schedule can beat. */
function latencyPart(v: ResourcesView): HTMLElement {
  const bound = v.bound;
  const title = heading('latency-title');
  setText(title, `Latency of ${v.task} and its lower bound`);
  const note = part('bound-note', () => el('p', { class: 'hint' }));
  if (bound) {
    note.id = 'bound-note';
    setText(note, `No schedule can run ${v.task} on ${v.target} faster than ${formatSeconds(bound.seconds)} (${bound.kind}-bound: compute ${formatSeconds(bound.computeSeconds)} with every DSP busy, memory ${formatSeconds(bound.memorySeconds)} through the ports and DDR).`);
  } else {
    note.removeAttribute('id');
    setText(note, 'No lower bound for this task.');
  }
  const table = patchTable(tableOf('latency-table'), ['strategy', 'latency', 'lower bound', 'latency ÷ bound'],
    v.strategies.map((s) => row([
      selected(v, s.strategy),
      formatSeconds(s.latencySeconds),
      bound ? formatSeconds(bound.seconds) : '—',
      bound && bound.seconds > 0 ? `${sig3(s.latencySeconds / bound.seconds)}×` : '—',
    ], { 'data-strategy': s.strategy })));
  return section('latency', [title, note, scrollBox('latency', table)]);
}

function macsPart(v: ResourcesView, theme: ChartTheme, axis: object): HTMLElement {
  const ops = v.macsByOp ?? [];
  const box = chartBox('macs-by-op');
  box.box.classList.add('wide');
  const title = heading('macs-title');
  setText(title, `MACs by operation (${v.task})`);
  chartIn('macs-by-op', {
    type: 'bar',
    data: { labels: ops.map((o) => o.op), datasets: [{ label: 'MACs', data: ops.map((o) => o.macs), backgroundColor: theme.palette.series(0) }] },
    options: {
      indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { ...axis, ticks: { color: theme.foreground, callback: (val: unknown) => formatCount(Number(val)) } }, y: axis },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i: { raw: unknown }) => `${formatCount(Number(i.raw))} MACs` } } },
    },
  });
  const table = patchTable(tableOf('macs-op-table'), ['operation', 'MACs', 'share'], ops.map((o) => row([o.op, formatCount(o.macs), formatPercent(o.sharePercent)], { 'data-op': o.op })));
  return section('macs', [title, box.box, scrollBox('macs', table)]);
}

function trafficPart(v: ResourcesView, theme: ChartTheme, axis: object): HTMLElement {
  const traffic = chartBox('traffic');
  const title = heading('traffic-title');
  setText(title, 'Off-chip traffic per frame');
  chartIn('traffic', {
    type: 'bar',
    data: { labels: v.strategies.map((s) => s.strategy), datasets: [{ label: 'bytes per frame', data: v.strategies.map((s) => s.trafficBytes), backgroundColor: theme.palette.series(1) }] },
    options: {
      indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { ...axis, ticks: { color: theme.foreground, callback: (val: unknown) => formatBytes(Number(val)) } }, y: axis },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i: TipItem) => formatBytes(Number(i.raw)) } } },
    },
  });
  return section('traffic', [title, traffic.box]);
}

/** DSP / LUT. */
function logicPart(v: ResourcesView): HTMLElement {
  const title = heading('logic-title');
  setText(title, 'Logic');
  const table = patchTable(tableOf('logic-table'), ['resource', 'used', 'available', 'share'], [
    row(['DSP', formatCount(v.use.dsp), formatCount(v.capacity.dsp), formatPercent(v.use.dspPercent)]),
    v.use.lut === undefined
      ? row(['LUT', 'not estimated (needs synthesis)', formatCount(v.capacity.lut), '—'])
      : row(['LUT', formatCount(v.use.lut), formatCount(v.capacity.lut), formatPercent((100 * v.use.lut) / Math.max(1, v.capacity.lut))]),
  ]);
  return section('logic', [title, scrollBox('logic', table)]);
}

/** Compute per task vs the dense-MTL and all-experts baselines. */
function computePart(v: ResourcesView, theme: ChartTheme, axis: object): HTMLElement {
  const compute = chartBox('compute');
  const title = heading('compute-title');
  setText(title, 'MACs per task: M3V (sparse top-k) vs dense multi-task ViT vs all experts');
  chartIn('compute', {
    type: 'bar',
    data: {
      labels: v.tasks.map((t) => t.task),
      datasets: [
        { label: 'this design', data: v.tasks.map((t) => t.macs), backgroundColor: theme.palette.series(0) },
        { label: 'dense MTL ViT', data: v.tasks.map((t) => t.denseMacs), backgroundColor: theme.palette.series(1) },
        { label: 'all experts', data: v.tasks.map((t) => t.allExpertsMacs), backgroundColor: theme.palette.series(2) },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { ...axis, ticks: { color: theme.foreground, callback: (val: unknown) => formatCount(Number(val)) } }, x: axis },
      plugins: { legend: { labels: { color: theme.foreground } }, tooltip: { callbacks: { label: (i: TipItem) => `${i.dataset.label ?? ''}: ${formatCount(Number(i.raw))} MACs` } } },
    },
  });
  const table = patchTable(tableOf('tasks-table'), ['task', 'MACs', 'FLOPs', 'active params', 'dense MTL MACs', 'all-experts MACs'],
    v.tasks.map((t) => row([t.task, formatCount(t.macs), formatCount(t.flops), formatCount(t.params), formatCount(t.denseMacs), formatCount(t.allExpertsMacs)], { 'data-task': t.task }, t.link)));
  return section('compute', [title, compute.box, scrollBox('tasks', table)]);
}

function budgetsPart(v: ResourcesView): HTMLElement {
  const title = heading('budgets-title');
  setText(title, 'Budgets');
  if (v.budgets.length === 0) return section('budgets', [title, part('no-budgets', () => el('p', { class: 'hint' }, 'No budget block for this target.'))]);
  const table = patchTable(tableOf('budgets-table'), ['budget', 'actual', 'status'],
    v.budgets.map((b) => row([b.text, b.actual, { text: b.status, class: b.status }], { class: b.text === v.focusBudget ? 'focus' : '' }, b.link)));
  const focus = v.budgets.findIndex((b) => b.text === v.focusBudget);
  if (focus >= 0) queueMicrotask(() => table.rows[focus + 1]?.scrollIntoView({ block: 'center' }));
  return section('budgets', [title, scrollBox('budgets', table)]);
}

/** What the estimate leaves out. */
function notCostedPart(items: string[]): HTMLElement {
  const title = heading('not-costed-title');
  setText(title, 'Not costed');
  const hint = part('not-costed-hint', () => el('p', { class: 'hint' }, 'These are outside every figure above:'));
  const list = part('not-costed', () => el('ul', { id: 'not-costed', class: 'not-costed' }));
  while (list.children.length > items.length) list.lastElementChild!.remove();
  while (list.children.length < items.length) list.append(el('li'));
  items.forEach((n, i) => setText(list.children[i], n));
  return section('not-costed', [title, hint, list]);
}

/** Device capacity as a dashed line at 100 % of the blocks of each kind. */
const capacityLine: Plugin<'bar'> = {
  id: 'm3vCapacityLine',
  afterDatasetsDraw(chart) {
    const x = chart.scales.x;
    const px = x.getPixelForValue(100);
    const { ctx, chartArea } = chart;
    if (px < chartArea.left || px > chartArea.right) return;
    ctx.save();
    ctx.strokeStyle = chartTheme().error;
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.stroke();
    ctx.restore();
  },
};

/** One strategy's BRAM36 and URAM rows, stacked by buffer, in percent of the device's blocks of that kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function blocksChart(v: ResourcesView, s: StrategyResources, theme: ReturnType<typeof chartTheme>, axis: object): ChartConfiguration<any, any, any> {
  const bramTotal = Math.max(1, v.deviceBlocks?.bram36 ?? 0);
  const uramTotal = v.deviceBlocks?.uram ?? 0;
  const labels = uramTotal > 0 ? ['BRAM36', 'URAM'] : ['BRAM36'];
  const bars = s.blockBars ?? [];
  const maxPct = Math.max(100, s.blocks?.bramPercent ?? 0, s.blocks?.uramPercent ?? 0);
  return {
    type: 'bar',
    data: {
      labels,
      datasets: bars.map((b, i) => ({
        label: b.label,
        data: uramTotal > 0 ? [(100 * b.bram36) / bramTotal, (100 * b.uram) / uramTotal] : [(100 * b.bram36) / bramTotal],
        blocks: [b.bram36, b.uram],
        buffers: b.buffers,
        backgroundColor: b.buffers.length > 1 ? theme.palette.other : theme.palette.series(i),
        stack: 'use',
      })),
    },
    plugins: [capacityLine],
    options: {
      indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: { ...axis, stacked: true, min: 0, max: Math.ceil(maxPct / 10) * 10, ticks: { color: theme.foreground, callback: (val: unknown) => `${Number(val)} %` }, title: { display: true, text: 'share of the device’s blocks (dashed: capacity)', color: theme.foreground } },
        y: { ...axis, stacked: true },
      },
      plugins: {
        // Below the bars: a legend beside them is cut off in a narrow panel.
        legend: { position: 'bottom', labels: { color: theme.foreground, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (i: TipItem) => {
              const kind = i.dataIndex === 0 ? 'BRAM36' : 'URAM';
              const n = i.dataset.blocks?.[i.dataIndex] ?? 0;
              const names = i.dataset.buffers ?? [];
              return [`${i.dataset.label ?? ''}: ${formatBlocks(n)} ${kind} (${formatPercent(Number(i.raw))})`, ...(names.length > 1 ? [names.join(', ')] : [])];
            },
          },
        },
      },
    },
  };
}

/** The roofline (webviews/resources/roofline.ts draws it): heading, chart, roofs, operations, note. */
function rooflineSection(r: Roofline, theme: ReturnType<typeof chartTheme>, axis: object): HTMLElement[] {
  const box = chartBox('roofline');
  box.box.classList.add('wide');
  box.box.style.height = '420px';
  chartIn('roofline', rooflineChartConfig(r, theme, axis));
  // roofline.ts builds its tables afresh: each goes in a box that scrolls sideways by itself (the designer's narrow tab).
  return [rooflineHeading(r), box.box, ...rooflineDetails(r).map((e) => (e instanceof HTMLTableElement ? el('div', { class: 'table-scroll' }, e) : e))];
}

startPanel('resources', (m) => render(m));
onThemeChange(() => {
  resetCharts();
  if (current) draw(current);
});
