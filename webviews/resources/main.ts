/**
 * Resources panel: on-chip memory per strategy in the blocks the fit verdict counts (BRAM36 and URAM against the
 * device), a Vitis-HLS-style utilisation table of every buffer, latency beside its lower bound, a roofline of the
 * operations against the target’s compute and bandwidth roofs, MACs by operation, off-chip traffic, DSP/LUT use,
 * MACs per task against the dense-MTL and all-experts baselines, budgets and what the estimate does not cost.
 * Charts by chart.js; each chart has a table beside it with the exact figures (screen readers, tests, copy).
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
import { chartTheme, onThemeChange } from '../shared/theme';
import { dropdown } from '../shared/controls';
import { formatBlocks, formatBytes, formatCount, formatInteger, formatPercent, formatSeconds, sig3 } from '../../engine/units';
import type { Roofline, StrategyResources } from '../protocol';
import { rooflineChartConfig, rooflineDetails, rooflineHeading } from './roofline';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, ScatterController, LineController, LineElement, PointElement, Tooltip, Legend);

/**
 * Charts persist across updates, keyed by slot: an update swaps their data and redraws without animation
 * instead of destroying and re-creating canvases (the keystroke → panel budget is 200 ms).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyChart = Chart<any, any, any>;

/** What the tooltip callbacks read of chart.js's item (the datasets carry `blocks` and `buffers` of their own). */
interface TipItem {
  raw: unknown;
  dataIndex: number;
  datasetIndex: number;
  dataset: { label?: string; blocks?: number[]; buffers?: string[] };
}
const slots = new Map<string, { box: HTMLElement; canvas: HTMLCanvasElement; chart?: AnyChart }>();
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

function linkRow(row: HTMLTableRowElement, link: SourceLink | undefined): HTMLTableRowElement {
  if (link) {
    row.classList.add('link');
    row.title = 'Reveal in the design';
    row.addEventListener('click', () => post({ type: 'reveal', link }));
  }
  return row;
}

function table(id: string, head: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return el('table', { id }, el('tr', {}, ...head.map((h) => el('th', {}, h))), ...rows);
}

function tr(cells: string[], attrs: Record<string, string> = {}): HTMLTableRowElement {
  return el('tr', attrs, ...cells.map((c) => el('td', {}, c)));
}

function chartBox(slot: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  let s = slots.get(slot);
  if (!s) {
    const canvas = el('canvas', { 'data-slot': slot });
    s = { box: el('div', { class: 'chart' }, canvas), canvas };
    slots.set(slot, s);
  }
  return s;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function chartIn(slot: string, config: ChartConfiguration<any, any, any>): void {
  const s = slots.get(slot)!;
  if (s.chart) {
    s.chart.data = config.data;
    // Bar and scatter configurations share this slot store: chart.js types them per chart type only.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
    s.chart.options = config.options ?? {};
    s.chart.update('none');
  } else {
    s.chart = new Chart(s.canvas, config);
  }
}

function resetCharts(): void {
  for (const s of slots.values()) s.chart?.destroy();
  slots.clear();
}

function draw(v: ResourcesView): void {
  const theme = chartTheme();
  const axis = { ticks: { color: theme.foreground }, grid: { color: theme.grid } };
  const root = document.getElementById('root')!;
  root.replaceChildren();

  const toolbar = el('div', { class: 'toolbar' }, el('strong', { id: 'design-title' }, `${v.designName} on ${v.device}`));
  const tasks = options.tasks.length ? options.tasks : v.tasks.map((t) => t.task);
  toolbar.append('task', dropdown('task-select', tasks, v.task, (task) => post({ type: 'selectTask', task })));
  if (options.targets.length > 1) toolbar.append('target', dropdown('target-select', options.targets, v.target, (target) => post({ type: 'selectTarget', target })));
  root.append(toolbar);

  // --- on-chip memory in blocks (what the fit verdict counts) per strategy vs the device
  root.append(el('h2', { id: 'onchip-title' }, `On-chip memory in blocks: ${formatInteger(v.deviceBlocks?.bram36 ?? 0)} BRAM36 + ${formatInteger(v.deviceBlocks?.uram ?? 0)} URAM on ${v.device}`));
  for (const s of v.strategies) {
    const box = chartBox(`onchip-${s.strategy}`);
    box.box.style.height = `${(v.deviceBlocks?.uram ? 2 : 1) * 34 + 120}px`;
    box.box.classList.add('wide');
    root.append(el('h3', { 'data-strategy': s.strategy, class: s.fits ? '' : 'violated' }, `${s.strategy}${s.strategy === v.selectedStrategy ? ' (selected)' : ''}${s.fits ? '' : ' — does not fit'}`), box.box);
    chartIn(`onchip-${s.strategy}`, blocksChart(v, s, theme, axis));
  }
  root.append(table('strategies-table', ['strategy', 'on-chip bytes', 'BRAM36', 'URAM', 'LUTRAM LUTs', 'BRAM36+URAM share', 'off-chip traffic', 'fits'],
    v.strategies.map((s) => tr([
      s.strategy + (s.strategy === v.selectedStrategy ? ' (selected)' : ''),
      formatBytes(s.onchipBytes),
      s.blocks ? `${formatBlocks(s.blocks.bram36)} (${formatPercent(s.blocks.bramPercent)})` : '—',
      s.blocks ? `${formatBlocks(s.blocks.uram)} (${formatPercent(s.blocks.uramPercent)})` : '—',
      s.blocks ? formatInteger(s.blocks.lutram) : '—',
      formatPercent(s.onchipPercent),
      formatBytes(s.trafficBytes),
      s.fits ? 'yes' : 'NO',
    ], { 'data-strategy': s.strategy, class: s.fits ? '' : 'violated' }))));

  // --- every buffer, Vitis HLS utilisation style (selected strategy open, the others folded)
  root.append(el('h2', {}, 'Utilisation by buffer (every buffer of the plan)'));
  for (const s of v.strategies) {
    const rows = s.bufferTable ?? [];
    const details = el('details', { 'data-strategy': s.strategy });
    if (s.strategy === v.selectedStrategy) details.setAttribute('open', '');
    details.append(el('summary', {}, `${s.strategy}: ${rows.length} buffers`), table(s.strategy === v.selectedStrategy ? 'buffers-table' : `buffers-table-${s.strategy}`,
      ['buffer', 'role', 'memory', 'shape', 'bytes', 'BRAM36', 'URAM', 'LUTs', 'share of device'],
      [
        ...rows.map((b) => tr([b.name, b.role, b.memory, b.shape, formatBytes(b.bytes), b.memory === 'bram' ? formatBlocks(b.blocks) : '', b.memory === 'uram' ? formatBlocks(b.blocks) : '', b.luts ? formatInteger(b.luts) : '', formatPercent(b.sharePercent)],
          { 'data-buffer': b.name, 'data-memory': b.memory, 'data-blocks': String(b.blocks) })),
        tr(['total', '', '', '', formatBytes(s.onchipBytes), s.blocks ? `${formatBlocks(s.blocks.bram36)} / ${formatInteger(v.deviceBlocks?.bram36 ?? 0)}` : '', s.blocks ? `${formatBlocks(s.blocks.uram)} / ${formatInteger(v.deviceBlocks?.uram ?? 0)}` : '', s.blocks ? formatInteger(s.blocks.lutram) : '', ''], { class: 'totals' }),
      ]));
    root.append(details);
  }

  // --- latency beside the lower bound no schedule can beat
  const bound = v.bound;
  root.append(
    el('h2', {}, `Latency of ${v.task} and its lower bound`),
    bound
      ? el('p', { class: 'hint', id: 'bound-note' }, `No schedule can run ${v.task} on ${v.target} faster than ${formatSeconds(bound.seconds)} (${bound.kind}-bound: compute ${formatSeconds(bound.computeSeconds)} with every DSP busy, memory ${formatSeconds(bound.memorySeconds)} through the ports and DDR).`)
      : el('p', { class: 'hint' }, 'No lower bound for this task.'),
    table('latency-table', ['strategy', 'latency', 'lower bound', 'latency ÷ bound'],
      v.strategies.map((s) => tr([
        s.strategy + (s.strategy === v.selectedStrategy ? ' (selected)' : ''),
        formatSeconds(s.latencySeconds),
        bound ? formatSeconds(bound.seconds) : '—',
        bound && bound.seconds > 0 ? `${sig3(s.latencySeconds / bound.seconds)}×` : '—',
      ], { 'data-strategy': s.strategy }))),
  );

  // --- roofline
  if (v.roofline && v.roofline.points.length) root.append(...rooflineSection(v.roofline, theme, axis));

  // --- MACs by operation
  if (v.macsByOp?.length) {
    const ops = chartBox('macs-by-op');
    ops.box.classList.add('wide');
    root.append(el('h2', {}, `MACs by operation (${v.task})`), ops.box);
    chartIn('macs-by-op', {
      type: 'bar',
      data: { labels: v.macsByOp.map((o) => o.op), datasets: [{ label: 'MACs', data: v.macsByOp.map((o) => o.macs), backgroundColor: theme.palette.series(0) }] },
      options: {
        indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { ...axis, ticks: { color: theme.foreground, callback: (val: unknown) => formatCount(Number(val)) } }, y: axis },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i: { raw: unknown }) => `${formatCount(Number(i.raw))} MACs` } } },
      },
    });
    root.append(table('macs-op-table', ['operation', 'MACs', 'share'], v.macsByOp.map((o) => tr([o.op, formatCount(o.macs), formatPercent(o.sharePercent)], { 'data-op': o.op }))));
  }

  // --- off-chip traffic
  const traffic = chartBox('traffic');
  root.append(el('h2', {}, 'Off-chip traffic per frame'), traffic.box);
  chartIn('traffic', {
    type: 'bar',
    data: { labels: v.strategies.map((s) => s.strategy), datasets: [{ label: 'bytes per frame', data: v.strategies.map((s) => s.trafficBytes), backgroundColor: theme.palette.series(1) }] },
    options: {
      indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { ...axis, ticks: { color: theme.foreground, callback: (val: unknown) => formatBytes(Number(val)) } }, y: axis },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i: TipItem) => formatBytes(Number(i.raw)) } } },
    },
  });

  // --- DSP / LUT
  root.append(el('h2', {}, 'Logic'), table('logic-table', ['resource', 'used', 'available', 'share'], [
    tr(['DSP', formatCount(v.use.dsp), formatCount(v.capacity.dsp), formatPercent(v.use.dspPercent)]),
    v.use.lut === undefined
      ? tr(['LUT', 'not estimated (needs synthesis)', formatCount(v.capacity.lut), '—'])
      : tr(['LUT', formatCount(v.use.lut), formatCount(v.capacity.lut), formatPercent((100 * v.use.lut) / Math.max(1, v.capacity.lut))]),
  ]));

  // --- compute per task vs baselines
  const compute = chartBox('compute');
  root.append(el('h2', {}, 'MACs per task: M3V (sparse top-k) vs dense multi-task ViT vs all experts'), compute.box);
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
  root.append(table('tasks-table', ['task', 'MACs', 'FLOPs', 'active params', 'dense MTL MACs', 'all-experts MACs'],
    v.tasks.map((t) => linkRow(tr([t.task, formatCount(t.macs), formatCount(t.flops), formatCount(t.params), formatCount(t.denseMacs), formatCount(t.allExpertsMacs)], { 'data-task': t.task }), t.link))));

  // --- budgets
  root.append(el('h2', {}, 'Budgets'), v.budgets.length === 0
    ? el('p', { class: 'hint' }, 'No budget block for this target.')
    : table('budgets-table', ['budget', 'actual', 'status'], v.budgets.map((b) => {
      const row = linkRow(el('tr', { class: b.text === v.focusBudget ? 'focus' : '' }, el('td', {}, b.text), el('td', {}, b.actual), el('td', { class: b.status }, b.status)), b.link);
      if (b.text === v.focusBudget) queueMicrotask(() => row.scrollIntoView({ block: 'center' }));
      return row;
    })));

  // --- what the estimate leaves out
  if (v.notCosted?.length)
    root.append(el('h2', {}, 'Not costed'), el('p', { class: 'hint' }, 'These are outside every figure above:'),
      el('ul', { id: 'not-costed', class: 'not-costed' }, ...v.notCosted.map((n) => el('li', {}, n))));
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
  return [rooflineHeading(r), box.box, ...rooflineDetails(r)];
}

startPanel('resources', (m) => render(m));
onThemeChange(() => {
  resetCharts();
  if (current) draw(current);
});
