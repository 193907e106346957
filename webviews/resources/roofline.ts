/**
 * The Resources panel's roofline: the chart's configuration, its heading, the roofs with their sources, the table of
 * operations and the note on what is counted. Draws only: every figure is the view model's (engine/roofline.ts via
 * webviews/host/views.ts), positions come from rooflineGeometry.ts. Colours: each unit keeps its schedule lane's
 * hue (shared/palette.ts, readable on dark, light and high-contrast backgrounds); the bound is the marker's shape,
 * so it reads without colour too.
 */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { Roofline, RooflinePoint } from '../protocol';
import type { ChartTheme } from '../shared/theme';
import { el } from '../shared/host';
import { formatBandwidth, formatBytes, formatCount, formatPercent, sig3 } from '../../engine/units';
import { labelGroups, rooflineGeometry, rooflineUnitColour } from './rooflineGeometry';

/** A unit's colour on this theme (rooflineGeometry.ts: its schedule lane's hue, readable on the background). */
function unitColour(unit: string, theme: ChartTheme): string {
  return rooflineUnitColour(unit, theme.palette);
}

const UNIT_NAMES: Record<string, string> = { linear: 'linear arrays', attention: 'attention unit', gate_unit: 'gate unit', patch_embed: 'patch embedding unit' };
/** Shorter names for the labels on the chart's roof lines. */
const UNIT_SHORT: Record<string, string> = { linear: 'linear', attention: 'attention', gate_unit: 'gate unit', patch_embed: 'patch embed' };

/** Marker shape per bound: readable without colour. */
const BOUND_SHAPES: Record<string, string> = { compute: 'circle', 'weight port': 'triangle', 'activation ports': 'rectRot', DDR: 'rect' };
const BOUND_GLYPHS: Record<string, string> = { compute: '●', 'weight port': '▲', 'activation ports': '◆', DDR: '■' };

/** "6 blocks (0, 2, …, 10)", "block 1", "embedding", "head". */
function layersText(p: RooflinePoint): string {
  if (p.family === 'head') return 'head';
  if (p.layers.every((l) => l < 0)) return 'embedding';
  const names = p.layers.map(String);
  return names.length > 4 ? `${names.length} blocks (${names[0]}, ${names[1]}, …, ${names[names.length - 1]})` : `block${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
}

interface OpDataset {
  ops?: RooflinePoint[];
  /** A roof line's name, written at its right end. */
  roofLabel?: string;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Writes each operation's name beside its point (points on the same pixel share one label, "q, k, v, proj") and each
 * roof's name at its right end; a label that would cover one already written moves down a line, then up.
 */
function chartLabels(foreground: string, background: string): Plugin<'scatter'> {
  return {
    id: 'm3vRooflineLabels',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      const points: { x: number; y: number; text: string }[] = [];
      const roofs: { x: number; y: number; text: string; colour: string }[] = [];
      chart.data.datasets.forEach((ds, i) => {
        if (!chart.isDatasetVisible(i)) return;
        const d = ds as OpDataset & { borderColor?: unknown };
        const meta = chart.getDatasetMeta(i).data;
        if (d.ops) meta.forEach((pt, j) => points.push({ x: pt.x, y: pt.y, text: d.ops![j].op }));
        else if (d.roofLabel && meta.length) {
          const end = meta[meta.length - 1];
          roofs.push({ x: end.x, y: end.y, text: d.roofLabel, colour: typeof d.borderColor === 'string' ? d.borderColor : foreground });
        }
      });
      ctx.save();
      ctx.font = '11px sans-serif';
      ctx.textBaseline = 'middle';
      // Each label on a patch of the background: readable across grid and roof lines on every theme.
      // Markers first: a label never covers a point.
      const taken: Box[] = points.map((p) => ({ x: p.x - 8, y: p.y - 8, w: 16, h: 16 }));
      /** Writes `text` at the first candidate (left x, centre y) whose box is free and inside the chart. */
      const place = (text: string, candidates: [number, number, 'left' | 'right'][], colour: string, from?: { x: number; y: number }) => {
        const w = ctx.measureText(text).width;
        for (const [x, y, align] of candidates) {
          const left = align === 'left' ? x : x - w;
          const box = { x: left - 1, y: y - 7, w: w + 2, h: 14 };
          if (box.y < chartArea.top || box.y + box.h > chartArea.bottom || box.x < chartArea.left || box.x + box.w > chartArea.right) continue;
          if (taken.some((t) => overlaps(t, box))) continue;
          taken.push(box);
          if (from && Math.hypot(box.x + (align === 'left' ? 0 : box.w) - from.x, y - from.y) > 24) {
            // A label pushed away from its marker gets a thin leader line back to it.
            ctx.strokeStyle = colour;
            ctx.lineWidth = 1;
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.moveTo(from.x, from.y);
            ctx.lineTo(align === 'left' ? box.x : box.x + box.w, y);
            ctx.stroke();
          }
          ctx.fillStyle = background;
          ctx.fillRect(box.x, box.y, box.w, box.h);
          ctx.fillStyle = colour;
          ctx.fillText(text, left, y);
          return;
        }
      };
      // Roof names above the right end of their line, moving up when taken.
      for (const r of roofs) place(r.text, [0, 1, 2, 3].map((k) => [r.x - 4, r.y - 9 - 14 * k, 'right']), r.colour);
      // Operation names beside their marker, below first (above a point near its roof runs the roof line), then
      // further out with a leader line.
      for (const g of labelGroups(points)) {
        const { x, y } = points[g[0]];
        const spots: [number, number, 'left' | 'right'][] = [];
        for (const d of [0, 1, 2, 3]) spots.push([x + 10, y + 12 + 14 * d, 'left'], [x - 10, y + 12 + 14 * d, 'right'], [x + 10, y - 12 - 14 * d, 'left'], [x - 10, y - 12 - 14 * d, 'right']);
        place(g.map((k) => points[k].text).join(', '), spots, foreground, { x, y });
      }
      ctx.restore();
    },
  };
}

/** Short roof names written on the chart (the table below has the full label and source). */
function shortRoof(id: string, value: number, kind: 'unit' | 'offchip' | 'device'): string {
  if (kind === 'offchip') return `off chip ${formatBandwidth(value)}`;
  if (kind === 'device') return `every DSP of the device ${formatCount(value)}MAC/s`;
  return `${UNIT_SHORT[id] ?? id} ${formatCount(value)}MAC/s`;
}

/** Grid lines at powers of ten only: the 2…9 lines of a log axis crowd the labels. */
const decadeGrid = (colour: string) => (c: { tick?: { value: number } }) => {
  const l = Math.log10(c.tick?.value ?? 0);
  return Number.isFinite(l) && Math.abs(l - Math.round(l)) < 1e-6 ? colour : 'transparent';
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rooflineChartConfig(r: Roofline, theme: ChartTheme, axis: object): ChartConfiguration<any, any, any> {
  const g = rooflineGeometry(r);
  const units = [...new Set(r.points.map((p) => p.unit))];
  const offchip = r.offchipBytesPerSecond ?? r.bandwidthRoofBytesPerSecond;
  // Units with the same roof (Edge-MoE: the linear arrays and the patch embedding, 256 MACs a cycle each) share a label.
  const roofNames = new Map<number, string[]>();
  for (const l of g.lines) if (l.kind === 'unit') roofNames.set(l.points[0].y, [...(roofNames.get(l.points[0].y) ?? []), UNIT_SHORT[l.id] ?? l.id]);
  const roofLabel = (l: (typeof g.lines)[number]) => {
    if (l.kind !== 'unit') return shortRoof(l.id, l.kind === 'offchip' ? offchip : l.points[0].y, l.kind);
    const names = roofNames.get(l.points[0].y)!;
    return names[0] === (UNIT_SHORT[l.id] ?? l.id) ? `${names.join(', ')} ${formatCount(l.points[0].y)}MAC/s` : '';
  };
  const lineDatasets = g.lines.map((l) => ({
    type: 'line',
    label: l.kind === 'device' ? `${l.label} (ceiling)` : l.label,
    roofLabel: roofLabel(l),
    data: l.points,
    borderColor: l.kind === 'unit' ? unitColour(l.id, theme) : l.kind === 'device' ? theme.palette.other : theme.foreground,
    borderDash: l.kind === 'device' ? [2, 4] : l.kind === 'unit' ? [6, 3] : [],
    borderWidth: 2,
    pointRadius: 0,
    fill: false,
  }));
  const pointDatasets = units.map((u) => {
    const mine = g.points.filter((p) => p.point.unit === u);
    return {
      type: 'scatter',
      label: `operations on the ${UNIT_NAMES[u] ?? u}`,
      data: mine.map((p) => p.at),
      ops: mine.map((p) => p.point),
      backgroundColor: unitColour(u, theme),
      borderColor: theme.foreground,
      borderWidth: 1,
      pointRadius: 7,
      pointStyle: mine.map((p) => BOUND_SHAPES[p.point.boundBy] ?? 'circle'),
    };
  });
  const roofTicks = {
    type: 'scatter',
    label: 'each operation’s own roof (its slowest of unit, weight port, activation ports, DDR)',
    data: g.points.map((p) => p.roof),
    roofOf: g.points.map((p) => p.point),
    pointStyle: 'dash',
    pointRadius: 9,
    borderColor: theme.foreground,
    borderWidth: 2,
  };
  return {
    type: 'scatter',
    data: { datasets: [...lineDatasets, roofTicks, ...pointDatasets] },
    plugins: [chartLabels(theme.foreground, theme.background)],
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: { ...axis, grid: { color: decadeGrid(theme.grid) }, type: 'logarithmic', min: g.xMin, max: g.xMax, ticks: { color: theme.foreground, autoSkip: false, callback: decade('') }, title: { display: true, text: 'arithmetic intensity: MACs per DDR byte (weights + activations in + out); 1 MAC = 2 ops', color: theme.foreground } },
        y: { ...axis, grid: { color: decadeGrid(theme.grid) }, type: 'logarithmic', min: g.yMin, max: g.yMax, ticks: { color: theme.foreground, autoSkip: false, callback: decade('MAC/s') }, title: { display: true, text: 'MAC/s (points: achieved in the schedule)', color: theme.foreground } },
      },
      plugins: {
        // Only the operations' units in the legend: the roofs are named on their lines and listed with sources below.
        legend: { position: 'bottom', labels: { color: theme.foreground, boxWidth: 12, filter: (item: { datasetIndex?: number }, data: { datasets: OpDataset[] }) => !!data.datasets[item.datasetIndex ?? -1]?.ops } },
        tooltip: {
          callbacks: {
            label: (i: { raw: unknown; dataIndex: number; dataset: { label?: string; ops?: RooflinePoint[]; roofOf?: RooflinePoint[] } }) => {
              const op = i.dataset.ops?.[i.dataIndex];
              const roofOf = i.dataset.roofOf?.[i.dataIndex];
              if (op) return `${op.op}: ${op.intensity === undefined ? 'no off-chip bytes' : `${sig3(op.intensity)} MAC/B`}, achieved ${formatCount(op.achievedMacsPerSecond)}MAC/s, roof ${formatCount(op.roofMacsPerSecond)}MAC/s (${op.boundBy})`;
              if (roofOf) return `${roofOf.op}: roof ${formatCount(roofOf.roofMacsPerSecond)}MAC/s, bound by ${roofOf.boundBy}`;
              return i.dataset.label ?? '';
            },
          },
        },
      },
    },
  };
}

/** Log-axis labels at powers of ten only (chart.js puts 2…9 between them, which collide). */
const decade = (suffix: string) => (val: unknown) => {
  const l = Math.log10(Number(val));
  if (Math.abs(l - Math.round(l)) >= 1e-6) return '';
  const v = Number(val);
  return `${v < 1 ? String(Number(v.toPrecision(1))) : formatCount(v)}${suffix}`;
};

export function rooflineHeading(r: Roofline): HTMLElement {
  const linear = r.roofs?.find((x) => x.id === 'linear');
  const off = r.offchipBytesPerSecond;
  return el('h2', { id: 'roofline-title' },
    `Roofline (${r.strategy})${linear ? `: linear arrays ${formatCount(linear.value)}MAC/s` : ''}${off ? `, off chip ${formatBandwidth(off)}, ridge at ${sig3((linear?.value ?? 0) / off)} MAC/B` : ''}`);
}

function table(id: string, head: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return el('table', { id }, el('tr', {}, ...head.map((h) => el('th', {}, h))), ...rows);
}

function row(cells: string[], attrs: Record<string, string> = {}): HTMLTableRowElement {
  return el('tr', attrs, ...cells.map((c) => el('td', {}, c)));
}

/** Hover text of a row: the intensity in each layer (they differ where routing differs between MoE layers). */
function perLayerText(p: RooflinePoint): string {
  if (p.perLayer.length < 2) return '';
  return p.perLayer.map((l) => `${l.layer < 0 ? 'embed' : `block ${l.layer}`}: ${l.intensity === undefined ? '—' : sig3(l.intensity)} MAC/B`).join('\n');
}

/** The roofs with their sources, the operations' table and the note on what the bytes count. */
export function rooflineDetails(r: Roofline): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (r.roofs?.length)
    out.push(table('roofline-roofs', ['roof', 'value', 'source'], r.roofs.map((x) =>
      row([x.label, x.kind === 'compute' ? `${formatCount(x.value)}MAC/s` : formatBandwidth(x.value), x.source], { 'data-roof': x.id }))));
  out.push(table('roofline-table', ['operation', 'family', 'unit', 'runs in', 'MACs', 'weight port bytes', 'activation port bytes in', 'activation port bytes out', 'MAC per DDR byte', 'roof here', 'bound by', 'achieved', 'of the roof'],
    r.points.map((p) => row([
      p.op, p.family, UNIT_NAMES[p.unit] ?? p.unit, layersText(p), formatCount(p.macs),
      p.weightBytes ? formatBytes(p.weightBytes) : 'none', formatBytes(p.actInBytes), formatBytes(p.actOutBytes),
      p.intensity === undefined ? '—' : sig3(p.intensity), `${formatCount(p.roofMacsPerSecond)}MAC/s`, `${BOUND_GLYPHS[p.boundBy] ?? ''} ${p.boundBy}`,
      `${formatCount(p.achievedMacsPerSecond)}MAC/s`, formatPercent((100 * p.achievedMacsPerSecond) / Math.max(1, p.roofMacsPerSecond)),
    ], { 'data-op': p.op, 'data-family': p.family, 'data-bound': p.boundBy, title: perLayerText(p) }))));
  const onChip = r.onChip ?? [];
  const ew = r.elementwise;
  out.push(el('p', { class: 'hint', id: 'roofline-note' },
    'Bytes per operation = weights (weight port) + activations read and written (activation ports), all through DDR: the engine keeps activations off chip between operations, as Edge-MoE does (src/ViT_compute.cpp: x, tmp1–4, tmp_hidden, attention scores and softmax statistics in DDR). ' +
    (onChip.length ? `Kept on chip, so no DDR bytes counted: ${onChip.join('; ')}. ` : '') +
    (ew ? `Element-wise passes (norms, residual adds, upsampling) move ${formatBytes(ew.actBytes + ew.weightBytes)} and do no MACs: not drawn. ` : '') +
    'Shapes: ● compute-bound, ▲ weight port, ◆ activation ports, ■ DDR; a dash marks each operation’s own roof. Achieved counts the cycles of its loads and computes (with prefetch off they do not overlap).'));
  return out;
}
