/**
 * Schedule panel: a Gantt timeline (chart.js floating horizontal bars, one row per lane, ping and pong as two rows
 * of the load lane) of the engine's event list, one chart per strategy when comparing. Colours are fixed per lane
 * (shared/palette.ts), the x axis is time (cycles on hover), layers are shaded bands, expert compute bars carry
 * their expert id. Wheel or the buttons zoom, drag pans, double-click or Reset resets; events narrower than a pixel
 * are aggregated (decimate.ts). Below: the tokens each expert's queue holds per MoE layer and a per-layer table.
 * Compare Strategies adds a summary table; a scenario shows every strategy's frames against their deadlines.
 * A design whose on-chip plan does not fit gets a red banner. Every figure comes from the view model.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  Tooltip,
  type ChartDataset,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import {
  assertNever,
  type FitVerdict,
  type HostMessage,
  type PanelState,
  type ScheduleEvent,
  type ScheduleRun,
  type ScheduleView,
} from '../protocol';
import { el, post, saveState, showStale, startPanel } from '../shared/host';
import { chartTheme, onThemeChange, type ChartTheme } from '../shared/theme';
import { luminance } from '../shared/palette';
import { decimate, panWindow, zoomWindow, type DrawnBar } from './decimate';
import { formatAxisSeconds, formatBlocks, formatBytes, formatCycles, formatInteger, formatJoules, formatPercent, formatSeconds, sig3 } from '../../engine/units';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

type GanttPoint = { x: [number, number]; y: string; bar: DrawnBar };

interface Gantt {
  run: ScheduleRun;
  lanes: string[];
  /** The lane each row belongs to: the colour key. */
  rowLanes: string[];
  /** Own zoom window (the scenario chart spans many frames, so it does not share the frame charts' window). */
  window: { start: number; end: number };
  max: number;
  shared: boolean;
  /** Colour of a bar: by its row's lane (frames) or its kind (scenario). */
  colourOf: (bar: DrawnBar) => string;
  chart: Chart<'bar', GanttPoint[], string>;
  canvas: HTMLCanvasElement;
  /** Scenario chart: per row, its strategy's frames (deadlines, switch costs). */
  scenarioRows?: { deadline: number; switchCycles: number; start: number; missed: boolean }[][];
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
  const total = run.totalEvents ?? run.events.length;
  const detail = run.aggregatedBelowCycles
    ? ` (${formatInteger(run.events.length)} bars sent: events under ${formatCycles(run.aggregatedBelowCycles)} aggregated)`
    : '';
  return `${run.strategy}: ${formatSeconds(run.makespanCycles / clockHz)} (${formatCycles(run.makespanCycles)}) · ${formatInteger(total)} events${detail}`;
}

function fitBannerText(v: ScheduleView, strategy: string, fit: FitVerdict): string {
  const uram = fit.uramAvailable > 0 ? ` and ${formatBlocks(fit.uram)} URAM of ${formatInteger(fit.uramAvailable)} (${formatPercent(fit.uramPercent)})` : '';
  return `${strategy} does not fit on ${v.target}: it needs ${formatBlocks(fit.bram36)} BRAM36 of ${formatInteger(fit.bram36Available)} (${formatPercent(fit.bramPercent)})${uram}. This schedule cannot run as designed.`;
}

function banner(v: ScheduleView, run: ScheduleRun): HTMLElement | undefined {
  if (!run.fit || run.fit.fits) return undefined;
  return el('div', { class: 'banner error', role: 'alert', 'data-strategy': run.strategy }, fitBannerText(v, run.strategy, run.fit));
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
        !m.view.scenario &&
        shownRuns(view).map((r) => Boolean(r.fit?.fits)).join() === shownRuns(m.view).map((r) => Boolean(r.fit?.fits)).join();
      view = m.view;
      const max = maxCycles(view);
      if (s.zoom && s.zoom.end <= max * 1.0001) windowCycles = s.zoom;
      else windowCycles = { start: 0, end: max };
      showStale(undefined);
      if (sameShape && gantts.length) {
        // Swap in the new runs (events, makespans), their headings and tables; the charts stay.
        shownRuns(view).forEach((run, i) => {
          Object.assign(gantts[i], { run, max: run.makespanCycles });
          const heading = document.querySelector(`h2.strategy[data-strategy="${run.strategy}"]`);
          if (heading) heading.textContent = runHeading(run, view!.clockHz);
        });
        const title = document.getElementById('schedule-title');
        if (title) title.textContent = scheduleTitle(view);
        document.getElementById('details')?.replaceChildren(...details(view));
        document.getElementById('compare-summary')?.replaceChildren(...compareSummary(view));
        for (const b of Array.from(document.querySelectorAll<HTMLElement>('.banner.error[data-strategy]'))) {
          const run = view.runs.find((r) => r.strategy === b.dataset.strategy);
          if (run?.fit) b.textContent = fitBannerText(view, run.strategy, run.fit);
        }
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

function zoomBy(factor: number): void {
  for (const g of gantts) {
    const w = zoomWindow(g.window.start, g.window.end, (g.window.start + g.window.end) / 2, factor, g.max);
    setWindow(g, w);
  }
}

function resetZoom(): void {
  for (const g of gantts) setWindow(g, { start: 0, end: g.max });
}

function toolbar(): HTMLElement {
  const button = (id: string, label: string, title: string, onClick: () => void) => {
    const b = el('button', { id, type: 'button', title, class: 'zoom' }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  return el('div', { class: 'toolbar', id: 'zoom-controls' },
    button('zoom-in', '+', 'Zoom in', () => zoomBy(0.5)),
    button('zoom-out', '−', 'Zoom out', () => zoomBy(2)),
    button('zoom-reset', 'Reset', 'Show the whole frame', resetZoom),
    el('span', { class: 'hint' }, 'Wheel: zoom · drag: pan · double-click: reset · click an event: reveal it in the design · hover: cycles'));
}

function legend(v: ScheduleView, theme: ChartTheme): HTMLElement {
  const lanes = [...new Set(v.rowLanes ?? v.lanes)];
  return el('div', { class: 'legend', id: 'lane-legend' }, ...lanes.map((lane) =>
    el('span', { class: 'key', 'data-lane': lane }, el('span', { class: 'swatch', style: `background:${theme.palette.lane(lane)}` }), lane)));
}

function build(): void {
  const v = view;
  if (!v) return;
  for (const g of gantts) g.chart.destroy();
  gantts = [];
  const theme = chartTheme();
  document.body.style.setProperty('--m3v-lane-linear', theme.palette.lane('linear'));
  const root = document.getElementById('root')!;
  root.replaceChildren();
  root.append(el('h2', { id: 'schedule-title' }, scheduleTitle(v)));
  const selectedBanner = banner(v, v.runs[0]);
  if (selectedBanner && !v.compare) root.append(selectedBanner);
  if (v.compare) root.append(el('div', { id: 'compare-summary' }, ...compareSummary(v)));
  root.append(toolbar(), legend(v, theme));
  const rows = v.lanes.length;
  for (const run of shownRuns(v)) {
    const canvas = el('canvas', { 'data-strategy': run.strategy });
    // Fill the panel: a single frame gets most of the height, compared ones share it.
    const height = v.compare ? `${rows * 26 + 70}px` : `clamp(${rows * 30 + 80}px, calc(100vh - 420px), ${rows * 64 + 80}px)`;
    const box = el('div', { class: 'chart gantt', style: `height:${height}` }, canvas);
    root.append(el('h2', { class: 'strategy', 'data-strategy': run.strategy }, runHeading(run, v.clockHz)));
    const b = v.compare ? banner(v, run) : undefined;
    if (b) root.append(b);
    root.append(box);
    gantts.push(makeGantt(run, v.lanes, v.rowLanes ?? v.lanes, canvas, true, (bar) => theme.palette.lane((v.rowLanes ?? v.lanes)[bar.lane] ?? '')));
  }
  if (v.scenario) {
    root.append(...scenarioSection(v, theme));
  }
  root.append(el('div', { id: 'details' }, ...details(v)));
  refreshData();
}

/** A wide table scrolls sideways in its own box, not the panel (issue 15: the designer's 509 px tab). */
const scrolling = (table: HTMLElement) => el('div', { class: 'table-scroll' }, table);

/** Tokens per expert strip and the per-layer table of the selected strategy (the first run). */
function details(v: ScheduleView): HTMLElement[] {
  const run = v.runs[0];
  const out: HTMLElement[] = [];
  if (run.expertQueues?.length) {
    out.push(el('h2', {}, `Tokens per expert queue, per MoE layer (${run.expertQueues[0].source} routing, as the estimate used)`));
    const strip = el('div', { id: 'expert-queues', class: 'queues' });
    for (const q of run.expertQueues) {
      const max = Math.max(1, ...q.tokens);
      const row = el('div', { class: 'qrow', 'data-layer': String(q.layer), 'data-tokens': q.tokens.join(',') }, el('span', { class: 'qlabel' }, `block ${q.layer}`));
      q.tokens.forEach((n, e) => {
        row.append(el('span', { class: n === 0 ? 'q empty' : 'q', title: `expert ${e}: ${formatInteger(n)} tokens`, style: `--h:${(n / max).toFixed(3)}` },
          el('span', { class: 'qbar' }), el('span', { class: 'qn' }, String(n))));
      });
      strip.append(row);
    }
    out.push(strip, el('p', { class: 'hint' }, 'Each cell is one expert (0 … E−1); its bar and number are the tokens in its queue. Empty experts are never loaded by expert_by_expert.'));
  }
  if (run.layers?.length) {
    out.push(el('h2', {}, `Per layer (${run.strategy})`));
    const head = ['layer', 'kind', 'latency', 'cycles', 'stall cycles', 'weight loads', 'expert loads', 'experts used', 'bound'];
    const table = el('table', { id: 'layers-table' }, el('tr', {}, ...head.map((h) => el('th', {}, h))));
    for (const l of run.layers) {
      const row = el('tr', { class: 'link', 'data-layer': String(l.layer), title: 'Zoom the chart to this layer' },
        ...[l.name, l.kind, formatSeconds(l.cycles / v.clockHz), formatInteger(l.cycles), formatInteger(l.stallCycles), formatInteger(l.loads),
          l.expertLoads === undefined ? '—' : formatInteger(l.expertLoads), l.expertsUsed === undefined ? '—' : formatInteger(l.expertsUsed), l.bound]
          .map((c) => el('td', {}, c)));
      row.addEventListener('click', () => {
        for (const g of gantts) if (g.shared) setWindow(g, { start: l.start, end: Math.max(l.start + 10, l.end) });
      });
      table.append(row);
    }
    out.push(scrolling(table), el('p', { class: 'hint' }, 'bound: "weights" when the compute chain waited for weight loads more than half the layer, else the busiest unit.'));
    if (run.laneBusy) {
      out.push(el('h2', {}, 'Lane utilisation'), scrolling(el('table', { id: 'lanes-table' },
        el('tr', {}, ...['row', 'busy', 'share of the frame'].map((h) => el('th', {}, h))),
        ...v.lanes.map((lane, i) => el('tr', { 'data-row': lane },
          el('td', {}, lane), el('td', {}, formatSeconds(run.laneBusy![i] / v.clockHz)), el('td', {}, formatPercent((100 * run.laneBusy![i]) / Math.max(1, run.makespanCycles))))))));
    }
  }
  return out;
}

/** Compare Strategies: one row per strategy with the engine report's figures and the difference to the selected one. */
function compareSummary(v: ScheduleView): HTMLElement[] {
  const base = v.runs[0].summary;
  const pct = (x: number, y: number | undefined) => (y && y > 0 ? `${x >= y ? '+' : ''}${formatPercent((100 * (x - y)) / y)}` : '—');
  const head = ['strategy', 'fits', 'BRAM36 / URAM', 'latency', 'FPS', 'energy', 'off-chip traffic', 'expert loads', 'switch cost', 'Δ latency', 'Δ energy', 'Δ traffic'];
  const rows = v.runs.map((r, i) => {
    const s = r.summary;
    const fit = r.fit;
    const fitText = fit ? (fit.fits ? 'yes' : 'NO') : '—';
    const share = fit ? `${formatPercent(fit.bramPercent)}${fit.uramAvailable > 0 ? ` / ${formatPercent(fit.uramPercent)}` : ''}` : '—';
    const cells = s
      ? [formatSeconds(s.latencySeconds), sig3(s.fps), formatJoules(s.energyJoules), formatBytes(s.trafficBytes), formatInteger(s.expertLoads),
          s.switchBytes > 0 ? `${formatBytes(s.switchBytes)}, ${formatSeconds(s.switchSeconds)}` : 'none',
          i === 0 ? 'selected' : pct(s.latencySeconds, base?.latencySeconds), i === 0 ? '' : pct(s.energyJoules, base?.energyJoules), i === 0 ? '' : pct(s.trafficBytes, base?.trafficBytes)]
      : [formatSeconds(r.makespanCycles / v.clockHz), '—', '—', '—', '—', '—', '—', '—', '—'];
    return el('tr', { 'data-strategy': r.strategy, class: fit && !fit.fits ? 'violated' : '' },
      el('td', {}, r.strategy + (i === 0 ? ' (selected)' : '')), el('td', {}, fitText), el('td', {}, share), ...cells.map((c) => el('td', {}, c)));
  });
  const out: HTMLElement[] = [el('h2', {}, `Strategies for ${v.task} on ${v.target}`), scrolling(el('table', { id: 'compare-table' }, el('tr', {}, ...head.map((h) => el('th', {}, h))), ...rows))];
  const misfits = v.runs.filter((r) => r.fit && !r.fit.fits);
  if (misfits.length)
    out.push(el('div', { class: 'banner error', role: 'alert', id: 'fit-warning' },
      `Does not fit on ${v.target}: ${misfits.map((r) => `${r.strategy} (BRAM36 ${formatPercent(r.fit!.bramPercent)}${r.fit!.uramAvailable > 0 ? `, URAM ${formatPercent(r.fit!.uramPercent)}` : ''})`).join(', ')}. Latency and energy are estimated as if it fitted.`));
  return out;
}

/** The scenario: a table of every frame under every strategy, and a chart with one row per strategy. */
function scenarioSection(v: ScheduleView, theme: ChartTheme): HTMLElement[] {
  const sc = v.scenario!;
  const strategies = sc.strategies?.length ? sc.strategies : [{ strategy: v.runs[0].strategy, declared: true, frames: sc.frames, misses: sc.misses, switches: sc.switches, switchOverheadCycles: 0, worstLatencySeconds: 0 }];
  const head = el('tr', {}, el('th', {}, 'frame'), el('th', {}, 'task'), el('th', {}, 'task switch'),
    ...strategies.map((s) => el('th', {}, `${s.strategy}${s.declared ? ' (selected)' : ''}`)));
  const rows = sc.frames.map((f, i) => el('tr', { 'data-frame': String(f.index) },
    el('td', {}, String(f.index)), el('td', {}, f.task), el('td', {}, f.switched ? 'switch' : ''),
    ...strategies.map((s) => {
      const g = s.frames[i];
      if (!g) return el('td', {}, '—');
      const cost = g.switchCycles ? ` (+${formatSeconds(g.switchCycles / v.clockHz)} ${g.switched ? 'switch' : 'cold start'})` : '';
      return el('td', { class: g.missed ? 'violated' : '', 'data-strategy': s.strategy }, `${formatSeconds((g.end - g.start) / v.clockHz)}${cost} ${g.missed ? 'MISSED' : 'ok'}`);
    })));
  const totals = el('tr', { class: 'totals' }, el('td', {}, 'misses'), el('td', {}, ''), el('td', {}, String(sc.switches)),
    ...strategies.map((s) => el('td', { class: s.misses ? 'violated' : '' }, `${s.misses} missed${s.energyJoules !== undefined ? ` · ${formatJoules(s.energyJoules)}` : ''}`)));
  const lanes = strategies.map((s) => s.strategy);
  const events: ScheduleEvent[] = strategies.flatMap((s, lane) => s.frames.flatMap((f) => {
    const label = `${s.strategy} · frame ${f.index} (${f.task})${f.switched ? ` after a task switch${f.switchCycles ? `, +${formatSeconds(f.switchCycles / v.clockHz)}` : ', no extra cost'}` : ''}${f.missed ? ' — deadline missed' : ''}`;
    const kind = f.missed ? 'miss' : 'frame';
    const cost = Math.min(f.switchCycles ?? 0, f.end - f.start);
    const out: ScheduleEvent[] = [];
    if (cost > 0) out.push({ lane, start: f.start, end: f.start + cost, label: `${label} (${f.switched ? 'task-switch' : 'cold-start'} part)`, kind: 'switch', task: f.task });
    out.push({ lane, start: f.start + cost, end: f.end, label, kind, task: f.task });
    return out;
  }));
  const makespan = Math.max(1, ...strategies.flatMap((s) => s.frames.map((f) => Math.max(f.end, f.deadline))));
  const canvas = el('canvas', { 'data-strategy': 'scenario' });
  const box = el('div', { class: 'chart', style: `height:${lanes.length * 40 + 80}px` }, canvas);
  const g = makeGantt({ strategy: 'scenario', makespanCycles: makespan, events }, lanes, lanes, canvas, false, (bar) => theme.palette.frame(bar.kind === 'mixed' ? 'frame' : bar.kind));
  g.scenarioRows = strategies.map((s) => s.frames.map((f) => ({ deadline: f.deadline, switchCycles: f.switchCycles ?? 0, start: f.start, missed: f.missed })));
  gantts.push(g);
  const key = el('div', { class: 'legend' }, ...(['frame', 'switch', 'miss'] as const).map((k) =>
    el('span', { class: 'key' }, el('span', { class: 'swatch', style: `background:${theme.palette.frame(k)}` }), { frame: 'frame met', switch: 'task-switch cost', miss: 'deadline missed' }[k])),
    el('span', { class: 'key' }, el('span', { class: 'swatch deadline', style: `border-color:${theme.error}` }), 'deadline'));
  return [
    el('h2', { id: 'scenario-title' }, `Scenario ${sc.name}: ${sc.frames.length} frames, ${sc.switches} task switches, ${sc.misses} deadline misses`),
    key,
    box,
    scrolling(el('table', { id: 'scenario-table' }, head, ...rows, totals)),
  ];
}

/** The spacing of an axis' ticks (cycles), from its first two; 0 with fewer than two. */
function tickStep(ticks: { value: number }[]): number {
  return ticks.length >= 2 ? Math.abs(ticks[1].value - ticks[0].value) : 0;
}

/** Alternating shaded bands, one per layer, labelled when wide enough (frame charts only). */
const layerBands: Plugin<'bar'> = {
  id: 'm3vLayerBands',
  beforeDatasetsDraw(chart) {
    const g = gantts.find((x) => x.chart === (chart as unknown));
    const layers = g?.shared ? g.run.layers : undefined;
    if (!g || !layers) return;
    const { ctx, chartArea } = chart;
    const x = chart.scales.x;
    const theme = chartTheme();
    ctx.save();
    ctx.font = '10px sans-serif';
    ctx.textBaseline = 'top';
    let drawn = 0;
    layers.forEach((l, i) => {
      if (l.end < g.window.start || l.start > g.window.end) return;
      const x0 = Math.max(chartArea.left, x.getPixelForValue(l.start));
      const x1 = Math.min(chartArea.right, x.getPixelForValue(l.end));
      if (x1 <= x0) return;
      drawn++;
      ctx.globalAlpha = l.kind === 'moe' ? 0.14 : i % 2 ? 0.07 : 0.03;
      ctx.fillStyle = theme.foreground;
      ctx.fillRect(x0, chartArea.top, x1 - x0, chartArea.bottom - chartArea.top);
      ctx.globalAlpha = 0.9;
      const label = l.kind === 'moe' ? `${l.name} (MoE)` : l.name;
      if (ctx.measureText(label).width + 4 < x1 - x0) ctx.fillText(label, x0 + 2, chartArea.top + 1);
    });
    ctx.restore();
    // What the canvas shows, for tests and screen readers: the layer bands drawn, the rows and the time axis' ticks.
    g.canvas.dataset.bands = String(drawn);
    g.canvas.dataset.rows = g.lanes.join(';');
    g.canvas.dataset.ticks = x.ticks.map((t) => String(t.label ?? '')).join(';');
    g.canvas.dataset.area = `${Math.round(chartArea.left)},${Math.round(chartArea.right)}`;
  },
};

/** The expert id on every expert bar wide enough to hold it; scenario: deadline ticks and switch costs. */
const barLabels: Plugin<'bar'> = {
  id: 'm3vBarLabels',
  afterDatasetsDraw(chart) {
    const g = gantts.find((x) => x.chart === (chart as unknown));
    if (!g) return;
    const { ctx, chartArea } = chart;
    const theme = chartTheme();
    ctx.save();
    ctx.font = '10px sans-serif';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    const labelled = new Set<number>();
    chart.data.datasets.forEach((ds, di) => {
      const meta = chart.getDatasetMeta(di);
      (ds.data as unknown as GanttPoint[]).forEach((p, i) => {
        const ev = p.bar.index >= 0 ? g.run.events[p.bar.index] : undefined;
        if (ev?.expert === undefined) return;
        const elem = meta.data[i] as unknown as { x: number; y: number; base: number; height: number };
        const left = Math.min(elem.x, elem.base);
        const width = Math.abs(elem.x - elem.base);
        const text = `e${ev.expert}`;
        if (width < ctx.measureText(text).width + 4) return;
        // Black or white, whichever reads on the bar's own colour.
        ctx.fillStyle = luminance(g.colourOf(p.bar)) > 0.25 ? '#000000' : '#ffffff';
        ctx.fillText(text, left + width / 2, elem.y);
        labelled.add(ev.expert);
      });
    });
    g.canvas.dataset.expertLabels = [...labelled].sort((a, b) => a - b).join(',');
    if (g.scenarioRows) {
      const x = chart.scales.x;
      const y = chart.scales.y;
      ctx.strokeStyle = theme.error;
      ctx.setLineDash([3, 2]);
      g.scenarioRows.forEach((frames, row) => {
        const yc = y.getPixelForValue(row);
        const half = Math.max(6, (y.height / Math.max(1, g.lanes.length)) * 0.45);
        for (const f of frames) {
          const px = x.getPixelForValue(f.deadline);
          if (px < chartArea.left || px > chartArea.right) continue;
          ctx.beginPath();
          ctx.moveTo(px, yc - half);
          ctx.lineTo(px, yc + half);
          ctx.stroke();
        }
      });
    }
    ctx.restore();
  },
};

function makeGantt(run: ScheduleRun, lanes: string[], rowLanes: string[], canvas: HTMLCanvasElement, shared: boolean, colourOf: (bar: DrawnBar) => string): Gantt {
  const theme = chartTheme();
  const v = view!;
  const gantt = { run, lanes, rowLanes, canvas, window: shared ? windowCycles : { start: 0, end: run.makespanCycles }, max: run.makespanCycles, shared, colourOf } as Gantt;
  const chart: Chart<'bar', GanttPoint[], string> = new Chart<'bar', GanttPoint[], string>(canvas, {
    type: 'bar',
    data: { labels: lanes, datasets: [] },
    plugins: [layerBands, barLabels],
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: { xAxisKey: 'x', yAxisKey: 'y' },
      scales: {
        x: {
          type: 'linear',
          min: gantt.window.start,
          max: gantt.window.end,
          ticks: { color: theme.foreground, maxTicksLimit: 10, maxRotation: 0, callback: (val, _i, ticks) => formatAxisSeconds(Number(val) / v.clockHz, tickStep(ticks) / v.clockHz) },
          grid: { color: theme.grid },
          title: { display: true, text: shared ? 'time from the frame start (hover a bar for cycles)' : 'time from the scenario start (hover a frame for cycles)', color: theme.foreground },
        },
        y: { type: 'category', stacked: true, ticks: { color: theme.foreground }, grid: { color: theme.grid } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item: TooltipItem<'bar'>) => tooltipLines(gantt.run, (item.raw as { bar: DrawnBar }).bar) } },
      },
      onClick: (_e, elements) => {
        const hit = elements[0];
        if (!hit) return;
        const ds = chart.data.datasets[hit.datasetIndex];
        const bar = ds.data[hit.index].bar;
        const ev = bar.index >= 0 ? gantt.run.events[bar.index] : undefined;
        if (ev?.link) post({ type: 'reveal', link: ev.link });
      },
    },
  });
  gantt.chart = chart;
  attachZoomPan(gantt);
  return gantt;
}

function tooltipLines(run: ScheduleRun, bar: DrawnBar): string[] {
  const v = view!;
  const span = (a: number, b: number) => `${formatInteger(a)} – ${formatInteger(b)} cycles (${formatSeconds(a / v.clockHz)} – ${formatSeconds(b / v.clockHz)})`;
  const dur = `${formatCycles(bar.end - bar.start)} = ${formatSeconds((bar.end - bar.start) / v.clockHz)}`;
  if (bar.index < 0) return [`${formatInteger(bar.count)} events (${bar.kind})`, span(bar.start, bar.end), dur];
  const e = run.events[bar.index];
  const lines = [e.label, span(e.start, e.end), dur];
  if (e.count && e.count > 1) lines.push(`${formatInteger(e.count)} events merged by the server`);
  if (e.task) lines.push(`task ${e.task}`);
  if (e.layer !== undefined) lines.push(`layer ${e.layer}`);
  if (e.expert !== undefined) lines.push(`expert ${e.expert}`);
  if (e.buffer) lines.push(`buffer ${e.buffer}`);
  return lines;
}

/** Lanes in a fixed order, so datasets (and their colours) never depend on which kinds a window happens to hold. */
function datasetKey(g: Gantt, bar: DrawnBar): string {
  return g.scenarioRows ? bar.kind : (g.rowLanes[bar.lane] ?? 'other');
}

/** Re-decimate every chart for its window and redraw without animation. */
function refreshData(): void {
  const v = view;
  if (!v) return;
  const theme = chartTheme();
  for (const g of gantts) {
    if (g.shared) g.window = windowCycles;
    const pixels = Math.max(100, g.chart.chartArea ? g.chart.chartArea.right - g.chart.chartArea.left : g.canvas.clientWidth);
    const bars = decimate(g.run.events, g.window.start, g.window.end, pixels);
    const byKey = new Map<string, DrawnBar[]>();
    for (const b of bars) {
      const k = datasetKey(g, b);
      let list = byKey.get(k);
      if (!list) byKey.set(k, (list = []));
      list.push(b);
    }
    const datasets: ChartDataset<'bar', GanttPoint[]>[] = [...byKey.entries()].map(([key, list]) => ({
      label: key,
      data: list.map((b) => ({ x: [b.start, b.end] as [number, number], y: g.lanes[b.lane] ?? String(b.lane), bar: b })),
      backgroundColor: g.colourOf(list[0]),
      borderColor: theme.kind.startsWith('high-contrast') ? theme.foreground : undefined,
      borderWidth: theme.kind.startsWith('high-contrast') ? 1 : 0,
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
    g.canvas.dataset.window = `${Math.round(g.window.start)}-${Math.round(g.window.end)}`;
    // Colour per lane as drawn, for tests and screen readers: "linear=#0072b2;load=#e69f00".
    g.canvas.dataset.colours = datasets.map((d) => `${d.label ?? ''}=${(d.backgroundColor as string).toLowerCase()}`).sort().join(';');
  }
}

/** Sets a chart's window and hides its tooltip: after a zoom the hovered bar may be gone or elsewhere. */
function setWindow(g: Gantt, w: { start: number; end: number }): void {
  if (g.shared) {
    windowCycles = w;
    persistZoom();
  }
  g.window = w;
  for (const x of gantts) {
    x.chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
    x.chart.setActiveElements([]);
  }
  refreshData();
}

/** Wheel zooms around the cursor, drag pans, double-click resets. Frame charts share one window (side by side
 * strategies stay aligned); the scenario chart has its own. */
function attachZoomPan(g: Gantt): void {
  const { canvas, chart } = g;
  const cycleAt = (clientX: number) => {
    const r = canvas.getBoundingClientRect();
    return chart.scales.x.getValueForPixel(clientX - r.left) ?? g.window.start;
  };
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    setWindow(g, zoomWindow(g.window.start, g.window.end, cycleAt(e.clientX), e.deltaY > 0 ? 1.25 : 0.8, g.max));
  }, { passive: false });
  let drag: { x: number; start: number; end: number } | undefined;
  canvas.addEventListener('mousedown', (e) => (drag = { x: e.clientX, ...g.window }));
  window.addEventListener('mouseup', () => (drag = undefined));
  canvas.addEventListener('mousemove', (e) => {
    if (!drag || e.buttons !== 1) return;
    const area = chart.chartArea;
    const cyclesPerPx = (drag.end - drag.start) / Math.max(1, area.right - area.left);
    setWindow(g, panWindow(drag.start, drag.end, (drag.x - e.clientX) * cyclesPerPx, g.max));
  });
  canvas.addEventListener('dblclick', () => setWindow(g, { start: 0, end: g.max }));
}

function persistZoom(): void {
  state.zoom = { ...windowCycles };
  saveState(state);
}

state = startPanel('schedule', render);
onThemeChange(() => build());
