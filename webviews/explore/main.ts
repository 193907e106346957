/**
 * Design Space panel: runs an `explore` block through the host (the language server's explore worker), shows its
 * progress with Cancel, then a scatter of two chosen objectives coloured by a third — the front highlighted, dominated
 * points faint, failing points toggleable — with each point's values on hover; a click writes the point into the
 * design (one undoable edit, by the host). Below, the front as a sortable table, copyable as CSV.
 *
 * Layout only: every number is the engine's (the run's result); model.ts turns it into dots and rows.
 */
import { PROTOCOL_VERSION, type ExploreHostMessage, type ExploreRunView } from '../protocol';
import { el, loadState, post, saveState, showStale } from '../shared/host';
import { decodePoints, formatObjective, frontCsv, frontRows, nearestDot, pointValues, rampColour, scatter, type PanelPoint, type Scatter, type TableSort } from './model';

interface ExploreState {
  list?: Extract<ExploreHostMessage, { type: 'exploreList' }>;
  last?: Extract<ExploreHostMessage, { type: 'explore' }>;
  x?: number;
  y?: number;
  colour?: number;
  showFailing?: boolean;
  sort?: TableSort;
}

const saved = loadState('explore');
const state: ExploreState = (saved.explore as ExploreState | undefined) ?? {};
const persist = () => saveState({ ...saved, uri: state.list?.uri, explore: state });

let view: ExploreRunView | undefined;
let points: PanelPoint[] = [];
let plot: Scatter | undefined;
let running = false;

// ---------------------------------------------------------------- the page

const root = document.getElementById('root')!;
const exploreSelect = el('select', { id: 'explore', 'aria-label': 'Explore block' });
const runButton = el('button', { id: 'run', type: 'button' }, 'Run');
const cancelButton = el('button', { id: 'cancel', type: 'button', disabled: '' }, 'Cancel');
const progressBar = el('progress', { id: 'progress', max: '1', value: '0' });
const progressText = el('span', { id: 'progress-text', class: 'hint' });
const lensLine = el('div', { id: 'lens', class: 'hint' });
const summary = el('div', { id: 'summary' });
const xSelect = el('select', { id: 'x', 'aria-label': 'X axis objective' });
const ySelect = el('select', { id: 'y', 'aria-label': 'Y axis objective' });
const colourSelect = el('select', { id: 'colour', 'aria-label': 'Colour objective' });
const failingBox = el('input', { id: 'failing', type: 'checkbox' });
const canvas = el('canvas', { id: 'scatter', class: 'scatter' });
const tip = el('div', { id: 'tip', class: 'tip', role: 'tooltip' });
const copyButton = el('button', { id: 'copy-csv', type: 'button' }, 'Copy front as CSV');
const table = el('table', { id: 'front' });
const applied = el('div', { id: 'applied', class: 'hint', role: 'status' });

const style = document.createElement('style');
const nonce = document.querySelector('meta[property="csp-nonce"]')?.getAttribute('content');
if (nonce) style.setAttribute('nonce', nonce);
style.textContent = `
.scatter { width: 100%; max-width: 980px; height: 360px; display: block; cursor: crosshair; }
.plot { position: relative; }
.tip { position: absolute; pointer-events: none; background: var(--vscode-editorHoverWidget-background); color: var(--vscode-editorHoverWidget-foreground);
  border: 1px solid var(--vscode-editorHoverWidget-border); padding: 4px 8px; white-space: pre; font-size: 0.9em; display: none; z-index: 2; }
th.sortable { cursor: pointer; user-select: none; }
progress { width: 220px; }
select, button { font: inherit; }
`;
document.head.append(style);

root.append(
  el('div', { class: 'toolbar' }, exploreSelect, runButton, cancelButton, progressBar, progressText),
  lensLine,
  summary,
  el('div', { class: 'toolbar' }, 'x ', xSelect, ' y ', ySelect, ' colour ', colourSelect, el('label', {}, failingBox, ' failing points')),
  el('div', { class: 'plot' }, canvas, tip),
  applied,
  el('h2', {}, 'Pareto front'),
  el('div', { class: 'toolbar' }, copyButton),
  table,
);

runButton.addEventListener('click', () => {
  if (exploreSelect.value) post({ type: 'exploreStart', explore: exploreSelect.value });
});
cancelButton.addEventListener('click', () => post({ type: 'exploreCancel' }));
for (const [select, key] of [
  [xSelect, 'x'],
  [ySelect, 'y'],
  [colourSelect, 'colour'],
] as const)
  select.addEventListener('change', () => {
    state[key] = Number(select.value);
    persist();
    draw();
  });
failingBox.addEventListener('change', () => {
  state.showFailing = failingBox.checked;
  persist();
  draw();
});
copyButton.addEventListener('click', () => void copyCsv());

function setRunning(on: boolean): void {
  running = on;
  runButton.toggleAttribute('disabled', on);
  cancelButton.toggleAttribute('disabled', !on);
  document.body.dataset.running = on ? 'true' : 'false';
}

function fillSelect(select: HTMLSelectElement, options: [string, string][], value: string): void {
  select.replaceChildren(...options.map(([v, label]) => new Option(label, v, false, v === value)));
  select.value = value;
}

// ---------------------------------------------------------------- messages

function render(m: ExploreHostMessage): void {
  switch (m.type) {
    case 'exploreList': {
      state.list = m;
      const chosen = m.running ?? m.chosen ?? (m.explores.some((e) => e.name === exploreSelect.value) ? exploreSelect.value : m.explores[0]?.name) ?? '';
      fillSelect(
        exploreSelect,
        m.explores.map((e) => [e.name, e.name]),
        chosen,
      );
      lensLine.textContent = m.explores.find((e) => e.name === chosen)?.lens ?? (m.explores.length ? '' : "The design has no 'explore NAME { … }' block.");
      setRunning(m.running !== undefined);
      showStale(undefined);
      return;
    }
    case 'exploreProgress': {
      const p = m.progress;
      setRunning(true);
      progressBar.max = Math.max(1, p.total);
      progressBar.value = p.done;
      progressText.textContent = `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} points · front ${p.front} · ${(p.elapsedMs / 1000).toFixed(1)} s`;
      return;
    }
    case 'explore':
      state.last = m;
      setRunning(false);
      show(m.view);
      post({ type: 'rendered', panel: 'explore', seq: m.seq });
      return;
    case 'pointApplied':
      applied.textContent = m.problem ? `Not applied: ${m.problem}` : `Applied point ${m.index} to the design (undo with Ctrl+Z).`;
      applied.dataset.point = String(m.index);
      return;
    case 'stale':
      setRunning(false);
      showStale(m.reason);
      return;
  }
}

function show(v: ExploreRunView): void {
  view = v;
  points = decodePoints(v);
  const r = v.result;
  const objectives = r.objectives.map((o, i) => [String(i), `${o.sense === 'minimize' ? 'min' : 'max'} ${o.label}`] as [string, string]);
  const n = objectives.length;
  state.x = state.x !== undefined && state.x < n ? state.x : 0;
  state.y = state.y !== undefined && state.y < n ? state.y : Math.min(1, n - 1);
  state.colour = state.colour !== undefined && state.colour < n ? state.colour : n > 2 ? 2 : -1;
  fillSelect(xSelect, objectives, String(state.x));
  fillSelect(ySelect, objectives, String(state.y));
  fillSelect(colourSelect, [['-1', 'none'], ...objectives], String(state.colour));
  failingBox.checked = state.showFailing ?? true;
  progressBar.max = 1;
  progressBar.value = r.cancelled ? 0 : 1;
  const sampled = v.points.shown < v.points.evaluated ? ` · showing ${v.points.shown.toLocaleString('en-US')} (front + a sample)` : '';
  progressText.textContent = r.cancelled ? 'cancelled' : `done in ${(r.elapsed_ms / 1000).toFixed(2)} s`;
  summary.textContent =
    `${r.explore} on ${r.target}: ${r.evaluated.toLocaleString('en-US')} evaluated, ${r.skipped.toLocaleString('en-US')} skipped, ` +
    `${r.failed_budgets.toLocaleString('en-US')} failing a budget, ${r.feasible.toLocaleString('en-US')} meeting every budget · front ${r.front.length}` +
    sampled +
    (r.notes.length ? ` · ${r.notes.join(' · ')}` : '');
  summary.dataset.front = String(r.front.length);
  summary.dataset.evaluated = String(r.evaluated);
  persist();
  draw();
  drawTable();
}

// ---------------------------------------------------------------- scatter

const MARGIN = { left: 70, right: 16, top: 12, bottom: 36 };

function draw(): void {
  if (!view) return;
  const o = { x: state.x ?? 0, y: state.y ?? 1, colour: state.colour ?? -1, showFailing: state.showFailing ?? true };
  plot = scatter(points, o);
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 600;
  const h = canvas.clientHeight || 360;
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(h * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const css = getComputedStyle(document.body);
  const fg = css.getPropertyValue('--vscode-foreground').trim() || '#ccc';
  const faint = css.getPropertyValue('--vscode-descriptionForeground').trim() || '#888';
  const error = css.getPropertyValue('--vscode-errorForeground').trim() || '#f48771';
  const pw = w - MARGIN.left - MARGIN.right;
  const ph = h - MARGIN.top - MARGIN.bottom;
  const r = view.result;
  // Axes with min / mid / max ticks in the objective's units.
  g.strokeStyle = faint;
  g.fillStyle = fg;
  g.font = '11px sans-serif';
  g.strokeRect(MARGIN.left, MARGIN.top, pw, ph);
  for (const t of [0, 0.5, 1]) {
    const xv = plot.x.min + (plot.x.max - plot.x.min) * t;
    const yv = plot.y.min + (plot.y.max - plot.y.min) * t;
    g.textAlign = 'center';
    g.fillText(formatObjective(xv, r.objectives[o.x].unit), MARGIN.left + pw * t, h - MARGIN.bottom + 14);
    g.textAlign = 'right';
    g.fillText(formatObjective(yv, r.objectives[o.y].unit), MARGIN.left - 4, MARGIN.top + ph * (1 - t) + 4);
  }
  g.textAlign = 'center';
  g.fillText(r.objectives[o.x].label, MARGIN.left + pw / 2, h - 6);
  // Faint marks (failing, dominated) at a quarter to a third of full strength vanish on a high-contrast theme's pure
  // black or white: there they are drawn at most of full strength and told apart by shape alone.
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const failingAlpha = highContrast ? 0.85 : 0.35;
  const dominatedAlpha = highContrast ? 0.7 : 0.25;
  for (const d of plot.dots) {
    const px = MARGIN.left + d.x * pw;
    const py = MARGIN.top + (1 - d.y) * ph;
    const colour = d.c !== undefined ? rampColour(d.c) : fg;
    if (d.status === 'failing') {
      g.globalAlpha = failingAlpha;
      g.strokeStyle = error;
      g.beginPath();
      g.moveTo(px - 2.5, py - 2.5);
      g.lineTo(px + 2.5, py + 2.5);
      g.moveTo(px + 2.5, py - 2.5);
      g.lineTo(px - 2.5, py + 2.5);
      g.stroke();
    } else if (d.status === 'dominated') {
      g.globalAlpha = dominatedAlpha;
      g.fillStyle = colour;
      g.fillRect(px - 1.5, py - 1.5, 3, 3);
    } else {
      g.globalAlpha = 1;
      g.fillStyle = colour;
      g.strokeStyle = fg;
      g.beginPath();
      g.arc(px, py, 4.5, 0, 2 * Math.PI);
      g.fill();
      g.stroke();
    }
  }
  g.globalAlpha = 1;
  canvas.dataset.dots = String(plot.dots.length);
  // Where the front's dots are (CSS px in the canvas, `index:x,y;…`): tests click and hover them like a user.
  canvas.dataset.frontDots = plot.dots
    .filter((d) => d.status === 'front')
    .slice(0, 50)
    .map((d) => `${points[d.point].index}:${(MARGIN.left + d.x * pw).toFixed(1)},${(MARGIN.top + (1 - d.y) * ph).toFixed(1)}`)
    .join(';');
  canvas.dataset.front = String(plot.dots.filter((d) => d.status === 'front').length);
}

/** The dot under a mouse event, in plot units, within 8 px. */
function dotAt(event: MouseEvent) {
  if (!plot) return undefined;
  const rect = canvas.getBoundingClientRect();
  const pw = rect.width - MARGIN.left - MARGIN.right;
  const ph = rect.height - MARGIN.top - MARGIN.bottom;
  const x = (event.clientX - rect.left - MARGIN.left) / pw;
  const y = 1 - (event.clientY - rect.top - MARGIN.top) / ph;
  return nearestDot(plot, x, y, 8 / Math.min(pw, ph));
}

function describe(p: PanelPoint): string {
  const r = view!.result;
  const values = Object.entries(pointValues(view!, p)).map(([k, v]) => `${k} ${v}`);
  const objectives = r.objectives.map((o, i) => `${o.label}: ${formatObjective(p.objectives[i], o.unit)}`);
  const status = p.status === 'front' ? 'on the Pareto front' : p.status === 'failing' ? `fails ${p.failed.join('; ')}` : 'dominated';
  return [`point ${p.index} · ${status}`, ...values, ...objectives, p.status === 'failing' ? '' : 'click: apply to the design'].filter(Boolean).join('\n');
}

canvas.addEventListener('mousemove', (event) => {
  const d = dotAt(event);
  if (!d || !view) {
    tip.style.display = 'none';
    return;
  }
  tip.textContent = describe(points[d.point]);
  tip.style.display = 'block';
  const rect = canvas.getBoundingClientRect();
  tip.style.left = `${Math.min(event.clientX - rect.left + 12, rect.width - 220)}px`;
  tip.style.top = `${event.clientY - rect.top + 12}px`;
  tip.dataset.point = String(points[d.point].index);
});
canvas.addEventListener('mouseleave', () => (tip.style.display = 'none'));
canvas.addEventListener('click', (event) => {
  const d = dotAt(event);
  if (d && view) apply(points[d.point]);
});

function apply(p: PanelPoint): void {
  if (!view) return;
  post({ type: 'applyPoint', explore: view.result.explore, index: p.index, values: pointValues(view, p) });
  applied.textContent = `Applying point ${p.index}…`;
}

// ---------------------------------------------------------------- the front's table

function drawTable(): void {
  if (!view) return;
  const v = view;
  const sort = state.sort ?? { column: 'objective:0', descending: false };
  const rows = frontRows(v, points, sort);
  const head: [string, string][] = [...v.result.axes.map((a, i) => [`axis:${i}`, a.key] as [string, string]), ...v.result.objectives.map((o, i) => [`objective:${i}`, o.label] as [string, string])];
  const headRow = el('tr', {}, el('th', {}, 'point'));
  for (const [column, label] of head) {
    const arrow = sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : '';
    const th = el('th', { class: 'sortable', 'data-column': column, title: 'Sort' }, label + arrow);
    th.addEventListener('click', () => {
      state.sort = { column, descending: sort.column === column ? !sort.descending : false };
      persist();
      drawTable();
    });
    headRow.append(th);
  }
  const body = rows.map((r) => {
    const tr = el(
      'tr',
      { class: 'link', title: 'Apply this point to the design', 'data-point': String(r.index) },
      el('td', {}, String(r.index)),
      ...r.values.map((t) => el('td', {}, t)),
      ...r.objectives.map((x, i) => el('td', {}, formatObjective(x, v.result.objectives[i].unit))),
    );
    tr.addEventListener('click', () => apply(points[r.point]));
    return tr;
  });
  table.replaceChildren(headRow, ...body);
  copyButton.dataset.csv = frontCsv(v, rows);
}

async function copyCsv(): Promise<void> {
  const text = copyButton.dataset.csv ?? '';
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API refused (no focus, permissions): the classic copy of a selected textarea still works.
    const area = el('textarea', {}, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  applied.textContent = `Copied ${text.split('\r\n').length - 2} front points as CSV.`;
}

window.addEventListener('resize', () => draw());

// ---------------------------------------------------------------- start

if (state.list) render(state.list);
if (state.last) render(state.last);
window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as ExploreHostMessage;
  if (typeof m !== 'object' || m === null || m.v !== PROTOCOL_VERSION) return;
  render(m);
  if (m.type !== 'exploreProgress') persist();
});
post({ type: 'ready', panel: 'explore' });
setRunning(running);
