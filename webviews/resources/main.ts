/**
 * Resources panel: on-chip memory by buffer per strategy against the device's BRAM+URAM capacity, off-chip
 * traffic, DSP/LUT use, MACs per task against the dense-MTL and all-experts baselines, parameters, and budgets.
 * Charts by chart.js; each chart has a table beside it with the exact figures (screen readers, tests, copy).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { assertNever, type HostMessage, type ResourcesView, type SourceLink } from '../protocol';
import { el, post, showStale, startPanel } from '../shared/host';
import { chartTheme, onThemeChange } from '../shared/theme';
import { dropdown } from '../shared/controls';
import { formatBytes, formatCount, formatPercent, formatSeconds, sig3 } from '../../engine/units';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/**
 * Charts persist across updates, keyed by slot: an update swaps their data and redraws without animation
 * instead of destroying and re-creating canvases (the keystroke → panel budget is 200 ms).
 */
const slots = new Map<string, { box: HTMLElement; canvas: HTMLCanvasElement; chart?: Chart<'bar', number[], string> }>();
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

function chartIn(slot: string, config: ChartConfiguration<'bar', number[], string>): void {
  const s = slots.get(slot)!;
  if (s.chart) {
    s.chart.data = config.data;
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

  // --- on-chip memory by buffer per strategy vs capacity
  const onchip = chartBox('onchip');
  root.append(el('h2', {}, `On-chip memory by buffer (capacity ${formatBytes(v.capacity.onchipBytes)} = BRAM ${formatBytes(v.capacity.bramBytes)} + URAM ${formatBytes(v.capacity.uramBytes)})`), onchip.box);
  const bufferNames = [...new Set(v.strategies.flatMap((s) => s.buffers.map((b) => b.name)))];
  chartIn('onchip', {
    type: 'bar',
    data: {
      labels: [...v.strategies.map((s) => s.strategy), 'capacity'],
      datasets: [
        ...bufferNames.map((name, i) => ({
          label: name,
          data: [...v.strategies.map((s) => s.buffers.find((b) => b.name === name)?.bytes ?? 0), 0],
          backgroundColor: theme.series[i % theme.series.length],
          stack: 'use',
        })),
        { label: 'BRAM+URAM capacity', data: [...v.strategies.map(() => 0), v.capacity.onchipBytes], backgroundColor: theme.grid, stack: 'use' },
      ],
    },
    options: {
      indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { ...axis, stacked: true, ticks: { color: theme.foreground, callback: (val) => formatBytes(Number(val)) } }, y: { ...axis, stacked: true } },
      plugins: { legend: { labels: { color: theme.foreground } }, tooltip: { callbacks: { label: (i) => `${i.dataset.label}: ${formatBytes(Number(i.raw))}` } } },
    },
  });
  root.append(table('strategies-table', ['strategy', 'on-chip bytes', 'BRAM+URAM blocks used', 'off-chip traffic', 'fits'],
    v.strategies.map((s) => tr([
      s.strategy + (s.strategy === v.selectedStrategy ? ' (selected)' : ''),
      formatBytes(s.onchipBytes),
      formatPercent(s.onchipPercent),
      formatBytes(s.trafficBytes),
      s.fits ? 'yes' : 'NO',
    ], { 'data-strategy': s.strategy, class: s.fits ? '' : 'violated' }))));

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

  // --- off-chip traffic
  const traffic = chartBox('traffic');
  root.append(el('h2', {}, 'Off-chip traffic per frame'), traffic.box);
  chartIn('traffic', {
    type: 'bar',
    data: { labels: v.strategies.map((s) => s.strategy), datasets: [{ label: 'bytes per frame', data: v.strategies.map((s) => s.trafficBytes), backgroundColor: theme.series[1] }] },
    options: {
      indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { ...axis, ticks: { color: theme.foreground, callback: (val) => formatBytes(Number(val)) } }, y: axis },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i) => formatBytes(Number(i.raw)) } } },
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
        { label: 'this design', data: v.tasks.map((t) => t.macs), backgroundColor: theme.series[0] },
        { label: 'dense MTL ViT', data: v.tasks.map((t) => t.denseMacs), backgroundColor: theme.series[2] },
        { label: 'all experts', data: v.tasks.map((t) => t.allExpertsMacs), backgroundColor: theme.series[3] },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { ...axis, ticks: { color: theme.foreground, callback: (val) => formatCount(Number(val)) } }, x: axis },
      plugins: { legend: { labels: { color: theme.foreground } }, tooltip: { callbacks: { label: (i) => `${i.dataset.label}: ${formatCount(Number(i.raw))} MACs` } } },
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
}

startPanel('resources', (m) => render(m));
onThemeChange(() => {
  resetCharts();
  if (current) draw(current);
});
