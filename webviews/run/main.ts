/**
 * Run panel: the input image, the output map with its class legend (segmentation) or colour bar (regression), a
 * routing heat map per MoE layer (each patch coloured by its top-1 expert, drawn over the image, with its colour
 * key), the expert-load histogram per layer (chart.js, every expert labelled), a tokens × experts map of the gate
 * scores per layer, the measured CPU latency (kept apart from the FPGA estimate), and a button that feeds the
 * run's routing trace back into the design. Seeded weights get a notice: the routing is real for them, the
 * prediction is not.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { assertNever, type HostMessage, type RunOutputKey, type RunView } from '../protocol';
import { el, post, showStale, startPanel } from '../shared/host';
import { chartTheme, onThemeChange } from '../shared/theme';
import { button, checkbox } from '../shared/controls';
import { expertColour, rampColour } from './colours';
import { cpuLabel, seededNotice } from './labels';

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

/** A small colour square (CSSOM style: the panel's CSP allows no inline style attributes). */
function swatch(colour: string): HTMLElement {
  const s = el('span', { class: 'run-swatch' });
  s.style.background = colour;
  return s;
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
  // The key: every expert that is some patch's top-1 choice, with its patch count.
  const patches = new Map<number, number>();
  for (const e of layer.patchTopExpert) if (e >= 0) patches.set(e, (patches.get(e) ?? 0) + 1);
  const key = el('div', { class: 'run-key heat-key', 'aria-label': 'top-1 expert colours' }, el('span', { class: 'hint' }, 'top-1 expert:'));
  for (const [e, n] of [...patches].sort((a, b) => a[0] - b[0])) key.append(el('span', { class: 'run-key-item', 'data-expert': String(e) }, swatch(expertColour(e)), `${e} (${n})`));
  return el('div', {}, box, key);
}

/** Tokens × experts: one column per token, one row per expert, coloured by the gate score of the chosen experts. */
function tokenExpertMap(routing: NonNullable<RunView['tokenRouting']>[number], experts: number): HTMLElement {
  const tokens = routing.experts.length;
  const canvas = el('canvas', { width: String(Math.max(1, tokens)), height: String(Math.max(1, experts)), class: 'token-map', 'data-tokens': String(tokens), 'data-experts': String(experts) });
  const ctx = canvas.getContext('2d')!;
  let maxScore = 0;
  for (const s of routing.scores) for (const v of s) maxScore = Math.max(maxScore, v);
  const hasScores = maxScore > 0;
  routing.experts.forEach((choice, t) =>
    choice.forEach((e, j) => {
      if (e < 0 || e >= experts) return;
      // Without scores (a trace saved without them) every chosen expert is drawn at full intensity.
      ctx.fillStyle = rampColour(hasScores ? (routing.scores[t]?.[j] ?? 0) / maxScore : 1);
      ctx.fillRect(t, e, 1, 1);
    }),
  );
  const bar = el('canvas', { width: '100', height: '1', class: 'ramp' });
  const bctx = bar.getContext('2d')!;
  for (let i = 0; i < 100; i++) {
    bctx.fillStyle = rampColour(i / 99);
    bctx.fillRect(i, 0, 1, 1);
  }
  return el('figure', { class: 'token-figure' },
    el('div', { class: 'axis-y' }, 'expert 0 (top) … ' + String(experts - 1)),
    canvas,
    el('div', { class: 'hint' }, `token 0 … ${tokens - 1} (left to right)`),
    el('div', { class: 'run-key' }, el('span', { class: 'hint' }, hasScores ? 'gate score 0' : 'chosen'), bar, el('span', { class: 'hint' }, hasScores ? maxScore.toFixed(3) : ''), el('span', { class: 'hint' }, '· not chosen: background')),
    el('figcaption', {}, 'tokens × experts (gate scores of the k chosen experts)'));
}

/** The output map's key: the class legend (pixels per class) or the regression's grey ramp with its range. */
function outputKey(key: RunOutputKey): HTMLElement {
  if (key.kind === 'classes') {
    const list = el('div', { class: 'run-key', id: 'run-legend' });
    for (const c of key.classes) list.append(el('span', { class: 'run-key-item', 'data-class': String(c.class), 'data-pixels': String(c.pixels) }, swatch(c.colour), `class ${c.class} · ${c.pixels} px`));
    return list;
  }
  const bar = el('canvas', { width: '100', height: '1', class: 'ramp' });
  const ctx = bar.getContext('2d')!;
  for (let i = 0; i < 100; i++) {
    const g = Math.round((255 * i) / 99);
    ctx.fillStyle = `rgb(${g}, ${g}, ${g})`;
    ctx.fillRect(i, 0, 1, 1);
  }
  return el('div', { class: 'run-key', id: 'run-colourbar', 'data-min': String(key.min), 'data-max': String(key.max) },
    el('span', { class: 'hint' }, `channel ${key.channel}: ${key.min.toPrecision(4)}`), bar, el('span', { class: 'hint' }, key.max.toPrecision(4)));
}

function draw(v: RunView): void {
  for (const c of charts) c.destroy();
  charts = [];
  const theme = chartTheme();
  const root = document.getElementById('root')!;
  const cpu = cpuLabel(v.threads);
  root.replaceChildren(
    el('div', { class: 'toolbar' },
      el('strong', { id: 'run-title' }, `task ${v.task}` + (v.latencyMs !== undefined ? ` · measured ${v.latencyMs.toFixed(2)} ms on ${cpu}` : '')),
      button('Use this routing in the design', () => post({ type: 'useTraceAsRouting' }), 'use-trace'),
      // Runs the same image again with `m3v run --numerics declared|float32` (the design's weights/acts formats).
      checkbox('fpga-numerics', 'FPGA numerics (declared formats)', v.numericsMode === 'declared', (on) => post({ type: 'rerunModel', numerics: on ? 'declared' : 'float32' }))),
  );
  if (v.weights?.seeded)
    root.append(el('div', { class: 'notice', id: 'run-seeded', role: 'note' }, seededNotice(v.weights.source)));
  if (v.inputNotice) root.append(el('div', { class: 'notice', id: 'run-input-notice', role: 'note' }, v.inputNotice));
  if (v.latencyMs !== undefined)
    root.append(el('section', { id: 'run-cpu' },
      el('h2', {}, `Measured on ${cpu}`),
      el('p', {}, el('span', { 'data-ms': String(v.latencyMs) }, `${v.latencyMs.toFixed(2)} ms per frame`), el('span', { class: 'hint' }, ' — this machine\'s CPU running the ONNX graph, not the FPGA. The FPGA estimate of the cost model is in the Schedule and Resources panels.'))));
  if (v.numerics) root.append(numericsTable(v.numerics));
  const images = el('div', { class: 'grid' });
  if (v.inputImage) images.append(el('figure', {}, el('img', { src: v.inputImage, alt: 'input image' }), el('figcaption', {}, 'input (as the model sees it)')));
  if (v.outputImage) images.append(el('figure', {}, el('img', { src: v.outputImage, alt: 'output map' }), ...(v.outputKey ? [outputKey(v.outputKey)] : []), el('figcaption', {}, v.outputKey?.kind === 'classes' ? 'output: arg-max class per pixel' : 'output')));
  root.append(images);
  const experts = Math.max(0, ...v.layers.map((l) => l.expertLoad.length));
  const routing = new Map((v.tokenRouting ?? []).map((r) => [r.layer, r]));
  // In the document before the charts are made, so chart.js sizes and lays them out at once.
  const grid = el('div', { class: 'grid' });
  root.append(grid);
  for (const layer of v.layers) {
    const canvas = el('canvas', { 'data-chart': `expert-load-${layer.layer}` });
    const tokens = routing.get(layer.layer);
    // data-expert-load: the histogram's figures in the DOM too (the e2e suite compares them with `m3v run --json`).
    grid.append(el('section', { 'data-layer': String(layer.layer), 'data-expert-load': layer.expertLoad.join(',') },
      el('h2', {}, `MoE layer ${layer.layer}`), heatMap(v, layer), el('div', { class: 'chart' }, canvas),
      ...(tokens && tokens.experts.length > 0 ? [tokenExpertMap(tokens, experts)] : [])));
    const chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: layer.expertLoad.map((_, e) => String(e)), datasets: [{ label: 'tokens', data: layer.expertLoad, backgroundColor: layer.expertLoad.map((_, e) => expertColour(e)) }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          // Every expert number: chart.js skips labels that would overlap unless told not to.
          x: { ticks: { color: theme.foreground, autoSkip: false, maxRotation: 0 }, title: { display: true, text: 'expert', color: theme.foreground } },
          y: { beginAtZero: true, ticks: { color: theme.foreground, precision: 0 }, title: { display: true, text: 'tokens routed (of k choices per token)', color: theme.foreground } },
        },
      },
    });
    charts.push(chart);
  }
  // What chart.js laid out, in the DOM for tests: the x tick labels it drew and the y title.
  for (const chart of charts) {
    const x = chart.scales.x;
    if (x) chart.canvas.dataset.xTicks = x.ticks.map((t) => String(t.label)).join(',');
  }
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
