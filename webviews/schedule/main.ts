/**
 * Schedule panel: a Gantt timeline (chart.js floating horizontal bars, one row per lane) of the engine's event
 * list, one chart per strategy when comparing; wheel zooms around the cursor, drag pans, double-click resets;
 * events narrower than a pixel are aggregated (decimate.ts). Hover shows details; clicking an event reveals its
 * layer/task in the source. With a scenario: a frame table with switches and deadline misses.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
  type TooltipItem,
} from 'chart.js';
import { assertNever, type HostMessage, type PanelState, type ScheduleRun, type ScheduleView } from '../protocol';
import { el, post, saveState, showStale, startPanel } from '../shared/host';
import { chartTheme, onThemeChange } from '../shared/theme';
import { decimate, panWindow, zoomWindow, type DrawnBar } from './decimate';
import { formatSeconds } from '../../engine/units';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

type GanttPoint = { x: [number, number]; y: string; bar: DrawnBar };

interface Gantt {
  run: ScheduleRun;
  lanes: string[];
  /** Own zoom window (the scenario chart spans many frames, so it does not share the frame chart's window). */
  window: { start: number; end: number };
  max: number;
  chart: Chart<'bar', GanttPoint[], string>;
  canvas: HTMLCanvasElement;
}

let view: ScheduleView | undefined;
let gantts: Gantt[] = [];
let state: PanelState;
let windowCycles = { start: 0, end: 1 };

/** The runs on screen: the selected strategy's, or every strategy's when comparing. */
function shownRuns(v: ScheduleView): ScheduleRun[] {
  return v.compare ? v.runs : v.runs.slice(0, 1);
}

/** Longest makespan among the runs on screen: the frame charts' shared x range. */
function maxCycles(v: ScheduleView): number {
  return Math.max(1, ...shownRuns(v).map((r) => r.makespanCycles));
}

function scheduleTitle(v: ScheduleView): string {
  return `${v.designName} — ${v.task} on ${v.target} (${(v.clockHz / 1e6).toFixed(0)} MHz)`;
}

function runHeading(run: ScheduleRun, clockHz: number): string {
  return `${run.strategy}: ${run.makespanCycles.toLocaleString('en-US')} cycles = ${formatSeconds(run.makespanCycles / clockHz)} · ${run.events.length} events`;
}

function render(m: HostMessage, s: PanelState): void {
  state = s;
  switch (m.type) {
    case 'schedule': {
      // Same charts, new data: redraw in place (the keystroke path). A scenario's table and chart are rebuilt.
      const sameShape =
        view &&
        view.lanes.join() === m.view.lanes.join() &&
        view.compare === m.view.compare &&
        view.runs.map((r) => r.strategy).join() === m.view.runs.map((r) => r.strategy).join() &&
        !view.scenario &&
        !m.view.scenario;
      view = m.view;
      const max = maxCycles(view);
      if (s.zoom && s.zoom.end <= max * 1.0001) windowCycles = s.zoom;
      else windowCycles = { start: 0, end: max };
      showStale(undefined);
      if (sameShape && gantts.length) {
        // Swap in the new runs (events, makespans) and their headings; the charts stay.
        shownRuns(view).forEach((run, i) => {
          Object.assign(gantts[i], { run, max: run.makespanCycles });
          const heading = document.querySelector(`h2.strategy[data-strategy="${run.strategy}"]`);
          if (heading) heading.textContent = runHeading(run, view!.clockHz);
        });
        const title = document.getElementById('schedule-title');
        if (title) title.textContent = scheduleTitle(view);
        refreshData();
      } else build();
      return;
    }
    case 'stale':
      showStale(m.reason);
      return;
    case 'resources':
    case 'run':
    case 'selection':
      return;
    default:
      assertNever(m);
  }
}

function build(): void {
  const v = view;
  if (!v) return;
  for (const g of gantts) g.chart.destroy();
  gantts = [];
  const root = document.getElementById('root')!;
  root.replaceChildren();
  root.append(
    el('h2', { id: 'schedule-title' }, scheduleTitle(v)),
    el('p', { class: 'hint' }, 'Wheel: zoom · drag: pan · double-click: reset · click an event: reveal it in the design'),
  );
  for (const run of shownRuns(v)) {
    const canvas = el('canvas', { 'data-strategy': run.strategy });
    const box = el('div', { class: 'chart tall' }, canvas);
    root.append(
      el('h2', { class: 'strategy', 'data-strategy': run.strategy }, runHeading(run, v.clockHz)),
      box,
    );
    gantts.push(makeGantt(run, v.lanes, canvas, true));
  }
  if (v.scenario) {
    const sc = scenarioRun(v);
    const canvas = el('canvas', { 'data-strategy': 'scenario' });
    root.append(...scenarioTable(v), el('div', { class: 'chart' }, canvas));
    gantts.push(makeGantt(sc.run, sc.lanes, canvas, false));
  }
  refreshData();
}

/** The scenario as a Gantt: one lane per task, one bar per frame, coloured by met / switch / missed. */
function scenarioRun(v: ScheduleView): { run: ScheduleRun; lanes: string[] } {
  const sc = v.scenario!;
  const lanes = [...new Set(sc.frames.map((f) => f.task))];
  const events = sc.frames.map((f) => ({
    lane: lanes.indexOf(f.task),
    start: f.start,
    end: f.end,
    label: `frame ${f.index} (${f.task})${f.switched ? ' after a task switch' : ''}${f.missed ? ' — deadline missed' : ''}`,
    kind: f.missed ? 'miss' : f.switched ? 'switch' : 'frame',
    task: f.task,
  }));
  return { run: { strategy: 'scenario', makespanCycles: Math.max(1, ...sc.frames.map((f) => Math.max(f.end, f.deadline))), events }, lanes };
}

function makeGantt(run: ScheduleRun, lanes: string[], canvas: HTMLCanvasElement, shared: boolean): Gantt {
  const theme = chartTheme();
  const v = view!;
  const gantt = { run, lanes, canvas, window: shared ? windowCycles : { start: 0, end: run.makespanCycles }, max: run.makespanCycles, shared } as Gantt & { shared: boolean };
  const chart: Chart<'bar', GanttPoint[], string> = new Chart<'bar', GanttPoint[], string>(canvas, {
    type: 'bar',
    data: { labels: lanes, datasets: [] },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: { xAxisKey: 'x', yAxisKey: 'y' },
      scales: {
        x: { type: 'linear', min: windowCycles.start, max: windowCycles.end, ticks: { color: theme.foreground, callback: (val) => Math.round(Number(val)).toLocaleString('en-US') }, grid: { color: theme.grid }, title: { display: true, text: 'cycles', color: theme.foreground } },
        y: { type: 'category', stacked: true, ticks: { color: theme.foreground }, grid: { color: theme.grid } },
      },
      plugins: {
        legend: { labels: { color: theme.foreground } },
        tooltip: { callbacks: { label: (item: TooltipItem<'bar'>) => tooltipLines(run, (item.raw as { bar: DrawnBar }).bar) } },
      },
      onClick: (_e, elements) => {
        const hit = elements[0];
        if (!hit) return;
        const ds = chart.data.datasets[hit.datasetIndex];
        const bar = ds.data[hit.index].bar;
        const ev = bar.index >= 0 ? run.events[bar.index] : undefined;
        if (ev?.link) post({ type: 'reveal', link: ev.link });
      },
    },
  });
  gantt.chart = chart;
  attachZoomPan(gantt);
  void v;
  return gantt;
}

function tooltipLines(run: ScheduleRun, bar: DrawnBar): string[] {
  const v = view!;
  const dur = `${(bar.end - bar.start).toLocaleString('en-US')} cycles (${formatSeconds((bar.end - bar.start) / v.clockHz)})`;
  if (bar.index < 0) return [`${bar.count} events (${bar.kind})`, `${bar.start.toLocaleString('en-US')} – ${bar.end.toLocaleString('en-US')}`, dur];
  const e = run.events[bar.index];
  const lines = [e.label, `${e.start.toLocaleString('en-US')} – ${e.end.toLocaleString('en-US')} cycles`, dur];
  if (e.task) lines.push(`task ${e.task}`);
  if (e.layer !== undefined) lines.push(`layer ${e.layer}`);
  if (e.buffer) lines.push(`buffer ${e.buffer}`);
  return lines;
}

/** Re-decimate every chart for the current window and redraw without animation. */
function refreshData(): void {
  const v = view;
  if (!v) return;
  const theme = chartTheme();
  for (const g of gantts) {
    if ((g as Gantt & { shared: boolean }).shared) g.window = windowCycles;
    const pixels = Math.max(100, g.chart.chartArea ? g.chart.chartArea.right - g.chart.chartArea.left : g.canvas.clientWidth);
    const bars = decimate(g.run.events, g.window.start, g.window.end, pixels);
    const kinds = [...new Set(bars.map((b) => b.kind))].sort();
    const datasets: ChartDataset<'bar', GanttPoint[]>[] = kinds.map((kind, i) => ({
      label: kind,
      data: bars.filter((b) => b.kind === kind).map((b) => ({ x: [b.start, b.end] as [number, number], y: g.lanes[b.lane] ?? String(b.lane), bar: b })),
      backgroundColor: kind === 'miss' ? theme.error : theme.series[i % theme.series.length],
      borderWidth: 0,
      barPercentage: 0.8,
      categoryPercentage: 1,
      grouped: false,
    }));
    g.chart.data.labels = g.lanes;
    g.chart.data.datasets = datasets;
    const x = g.chart.options.scales!.x!;
    x.min = g.window.start;
    x.max = g.window.end;
    g.chart.update('none');
    g.canvas.dataset.bars = String(bars.length);
  }
}

/** Wheel zooms around the cursor, drag pans, double-click resets. Frame charts share one window (side by side
 * strategies stay aligned); the scenario chart has its own. */
function attachZoomPan(g: Gantt & { shared?: boolean }): void {
  const { canvas, chart } = g;
  const setWindow = (w: { start: number; end: number }) => {
    if (g.shared) {
      windowCycles = w;
      persistZoom();
    }
    g.window = w;
    refreshData();
  };
  const cycleAt = (clientX: number) => {
    const r = canvas.getBoundingClientRect();
    return chart.scales.x.getValueForPixel(clientX - r.left) ?? g.window.start;
  };
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    setWindow(zoomWindow(g.window.start, g.window.end, cycleAt(e.clientX), e.deltaY > 0 ? 1.25 : 0.8, g.max));
  }, { passive: false });
  let drag: { x: number; start: number; end: number } | undefined;
  canvas.addEventListener('mousedown', (e) => (drag = { x: e.clientX, ...g.window }));
  window.addEventListener('mouseup', () => (drag = undefined));
  canvas.addEventListener('mousemove', (e) => {
    if (!drag || e.buttons !== 1) return;
    const area = chart.chartArea;
    const cyclesPerPx = (drag.end - drag.start) / Math.max(1, area.right - area.left);
    setWindow(panWindow(drag.start, drag.end, (drag.x - e.clientX) * cyclesPerPx, g.max));
  });
  canvas.addEventListener('dblclick', () => setWindow({ start: 0, end: g.max }));
}

function persistZoom(): void {
  state.zoom = { ...windowCycles };
  saveState(state);
}

function scenarioTable(v: ScheduleView): HTMLElement[] {
  const sc = v.scenario!;
  const rows = sc.frames.map((f) =>
    el('tr', { class: f.missed ? 'violated' : '' },
      el('td', {}, String(f.index)), el('td', {}, f.task), el('td', {}, f.switched ? 'switch' : ''),
      el('td', {}, formatSeconds(f.start / v.clockHz)), el('td', {}, formatSeconds((f.end - f.start) / v.clockHz)),
      el('td', {}, formatSeconds(f.deadline / v.clockHz)), el('td', {}, f.missed ? 'MISSED' : 'ok')),
  );
  return [
    el('h2', { id: 'scenario-title' }, `Scenario ${sc.name}: ${sc.frames.length} frames, ${sc.switches} task switches, ${sc.misses} deadline misses`),
    el('table', { id: 'scenario-table' },
      el('tr', {}, ...['frame', 'task', '', 'start', 'duration', 'deadline', 'status'].map((h) => el('th', {}, h))), ...rows),
  ];
}

state = startPanel('schedule', render);
onThemeChange(() => build());
