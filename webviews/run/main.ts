/**
 * Run panel: the input image, the output map, a routing heat map per MoE layer (each patch coloured by its top-1
 * expert, drawn over the image), the expert-load histogram per layer (chart.js), the measured latency, and a
 * button that feeds the run's routing trace back into the design.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { assertNever, type HostMessage, type RunView } from '../protocol';
import { el, post, showStale, startPanel } from '../shared/host';
import { chartTheme, onThemeChange } from '../shared/theme';
import { button, checkbox } from '../shared/controls';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

let charts: Chart[] = [];
let current: RunView | undefined;

function render(m: HostMessage): void {
  switch (m.type) {
    case 'run':
      current = m.view;
      showStale(undefined);
      draw(m.view);
      return;
    case 'stale':
      showStale(m.reason);
      return;
    case 'resources':
    case 'schedule':
    case 'selection':
      return;
    default:
      assertNever(m);
  }
}

/** A distinct hue per expert (golden-angle spacing), so neighbouring expert ids never look alike. */
function expertColour(expert: number): string {
  return expert < 0 ? 'transparent' : `hsl(${(expert * 137.508) % 360} 70% 50%)`;
}

function heatMap(v: RunView, layer: RunView['layers'][number]): HTMLElement {
  const canvas = el('canvas', { width: String(Math.max(1, v.grid.cols)), height: String(Math.max(1, v.grid.rows)) });
  const ctx = canvas.getContext('2d')!;
  layer.patchTopExpert.forEach((e, i) => {
    ctx.fillStyle = expertColour(e);
    ctx.fillRect(i % v.grid.cols, Math.floor(i / v.grid.cols), 1, 1);
  });
  const box = el('div', { class: 'heat' });
  if (v.inputImage) box.append(el('img', { src: v.inputImage, alt: 'input' }));
  box.append(canvas);
  return box;
}

function draw(v: RunView): void {
  for (const c of charts) c.destroy();
  charts = [];
  const theme = chartTheme();
  const root = document.getElementById('root')!;
  root.replaceChildren(
    el('div', { class: 'toolbar' },
      el('strong', { id: 'run-title' }, `task ${v.task}` + (v.latencyMs !== undefined ? ` · measured ${v.latencyMs.toFixed(2)} ms` : '')),
      button('Use this routing in the design', () => post({ type: 'useTraceAsRouting' }), 'use-trace'),
      // Runs the same image again with `m3v run --numerics declared|float32` (the design's weights/acts formats).
      checkbox('fpga-numerics', 'FPGA numerics (declared formats)', v.numericsMode === 'declared', (on) => post({ type: 'rerunModel', numerics: on ? 'declared' : 'float32' }))),
  );
  if (v.numerics) root.append(numericsTable(v.numerics));
  const images = el('div', { class: 'grid' });
  if (v.inputImage) images.append(el('figure', {}, el('img', { src: v.inputImage, alt: 'input image' }), el('figcaption', {}, 'input')));
  if (v.outputImage) images.append(el('figure', {}, el('img', { src: v.outputImage, alt: 'output map' }), el('figcaption', {}, 'output')));
  root.append(images);
  const grid = el('div', { class: 'grid' });
  for (const layer of v.layers) {
    const canvas = el('canvas');
    // data-expert-load: the histogram's figures in the DOM too (the e2e suite compares them with `m3v run --json`).
    grid.append(el('section', { 'data-layer': String(layer.layer), 'data-expert-load': layer.expertLoad.join(',') },
      el('h2', {}, `MoE layer ${layer.layer}`), heatMap(v, layer), el('div', { class: 'chart' }, canvas)));
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: { labels: layer.expertLoad.map((_, e) => String(e)), datasets: [{ label: 'tokens', data: layer.expertLoad, backgroundColor: layer.expertLoad.map((_, e) => expertColour(e)) }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { ticks: { color: theme.foreground }, title: { display: true, text: 'expert', color: theme.foreground } }, y: { ticks: { color: theme.foreground } } } },
    }));
  }
  root.append(grid);
}

/** The quantised run beside the float32 run: token error per block, routing flips per MoE layer, the prediction. */
function numericsTable(n: NonNullable<RunView['numerics']>): HTMLElement {
  const flips = new Map(n.routing.map((r) => [r.layer, r]));
  const rows = n.layers.map((l) => {
    const r = flips.get(l.layer);
    return el('tr', { 'data-layer': String(l.layer) }, el('td', {}, String(l.layer)), el('td', {}, l.relL2.toExponential(2)), el('td', {}, r ? `${r.flips} / ${r.tokens}` : '—'));
  });
  return el('section', { id: 'numerics' },
    el('h2', {}, `FPGA numerics: ${n.formats}`),
    el('table', {}, el('tr', {}, el('th', {}, 'block'), el('th', {}, 'tokens rel. L2 vs float32'), el('th', {}, 'routing flips')), ...rows),
    ...(n.prediction ? [el('p', {}, `prediction: ${n.prediction}`)] : []),
    ...n.notes.map((note) => el('p', { class: 'note' }, note)));
}

startPanel('run', (m) => render(m));
onThemeChange(() => current && draw(current));
