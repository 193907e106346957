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
import { labelGroups, rooflineGeometry } from './rooflineGeometry';

/** The schedule lane whose hue a unit takes (the patch embedding has its own unit: a series hue of its own). */
function unitColour(unit: string, theme: ChartTheme): string {
  if (unit === 'linear') return theme.palette.lane('linear');
  if (unit === 'attention') return theme.palette.lane('attention');
  if (unit === 'gate_unit') return theme.palette.lane('gate');
  return theme.palette.series(4);
}

const UNIT_NAMES: Record<string, string> = { linear: 'linear arrays', attention: 'attention unit', gate_unit: 'gate unit', patch_embed: 'patch embedding unit' };

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
}

/** Writes each operation's name beside its point; points on the same pixel share one label. */
function opLabels(foreground: string): Plugin<'scatter'> {
  return {
    id: 'm3vRooflineLabels',
    afterDatasetsDraw(chart) {
      const placed: { x: number; y: number; text: string }[] = [];
      chart.data.datasets.forEach((ds, i) => {
        const ops = (ds as OpDataset).ops;
        if (!ops || !chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach((pt, j) => placed.push({ x: pt.x, y: pt.y, text: ops[j].op }));
      });
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = foreground;
      ctx.font = '11px sans-serif';
      ctx.textBaseline = 'middle';
      for (const g of labelGroups(placed)) ctx.fillText(g.map((k) => placed[k].text).join(', '), placed[g[0]].x + 8, placed[g[0]].y - 8);
      ctx.restore();
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rooflineChartConfig(r: Roofline, theme: ChartTheme, axis: object): ChartConfiguration<any, any, any> {
  const g = rooflineGeometry(r);
  const units = [...new Set(r.points.map((p) => p.unit))];
  const lineDatasets = g.lines.map((l) => ({
    type: 'line',
    label: l.kind === 'device' ? `${l.label} (ceiling)` : l.label,
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
    plugins: [opLabels(theme.foreground)],
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: { ...axis, type: 'logarithmic', min: g.xMin, max: g.xMax, ticks: { color: theme.foreground, autoSkip: false, callback: decade('') }, title: { display: true, text: 'arithmetic intensity: MACs per DDR byte (weights + activations in + out); 1 MAC = 2 ops', color: theme.foreground } },
        y: { ...axis, type: 'logarithmic', min: g.yMin, max: g.yMax, ticks: { color: theme.foreground, autoSkip: false, callback: decade('MAC/s') }, title: { display: true, text: 'MAC/s (points: achieved in the schedule)', color: theme.foreground } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: theme.foreground, boxWidth: 12, usePointStyle: false } },
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
  return Math.abs(l - Math.round(l)) < 1e-6 ? `${formatCount(Number(val))}${suffix}` : '';
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

/** The roofs with their sources, the operations' table and the note on what the bytes count. */
export function rooflineDetails(r: Roofline): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (r.roofs?.length)
    out.push(table('roofline-roofs', ['roof', 'value', 'source'], r.roofs.map((x) =>
      row([x.label, x.kind === 'compute' ? `${formatCount(x.value)}MAC/s` : formatBandwidth(x.value), x.source], { 'data-roof': x.id }))));
  out.push(table('roofline-table', ['operation', 'family', 'unit', 'runs in', 'MACs', 'weights', 'acts in', 'acts out', 'MAC per DDR byte', 'roof here', 'bound by', 'achieved', 'of the roof'],
    r.points.map((p) => row([
      p.op, p.family, UNIT_NAMES[p.unit] ?? p.unit, layersText(p), formatCount(p.macs),
      p.weightBytes ? formatBytes(p.weightBytes) : 'none', formatBytes(p.actInBytes), formatBytes(p.actOutBytes),
      p.intensity === undefined ? '—' : sig3(p.intensity), `${formatCount(p.roofMacsPerSecond)}MAC/s`, `${BOUND_GLYPHS[p.boundBy] ?? ''} ${p.boundBy}`,
      `${formatCount(p.achievedMacsPerSecond)}MAC/s`, formatPercent((100 * p.achievedMacsPerSecond) / Math.max(1, p.roofMacsPerSecond)),
    ], { 'data-op': p.op, 'data-family': p.family, 'data-bound': p.boundBy }))));
  const onChip = r.onChip ?? [];
  const ew = r.elementwise;
  out.push(el('p', { class: 'hint', id: 'roofline-note' },
    'Bytes per operation = weights (weight port) + activations read and written (activation ports), all through DDR: the engine keeps activations off chip between operations, as Edge-MoE does (src/ViT_compute.cpp: x, tmp1–4, tmp_hidden, attention scores and softmax statistics in DDR). ' +
    (onChip.length ? `Kept on chip, so no DDR bytes counted: ${onChip.join('; ')}. ` : '') +
    (ew ? `Element-wise passes (norms, residual adds, upsampling) move ${formatBytes(ew.actBytes + ew.weightBytes)} and do no MACs: not drawn. ` : '') +
    'Shapes: ● compute-bound, ▲ weight port, ◆ activation ports, ■ DDR; a dash marks each operation’s own roof. Achieved counts the cycles of its loads and computes (with prefetch off they do not overlap).'));
  return out;
}
