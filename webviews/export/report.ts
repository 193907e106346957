/**
 * The exported report: one self-contained HTML document (inline CSS allowed by its hash, charts as inline SVG or
 * PNG data URIs, no script, no external fetch — a strict CSP in the document says so), and its tables as CSV.
 * Pure: the panels build it in their webview, `m3v analyze --html` in Node. Every number cell keeps its exact value
 * in `data-value` beside the formatted text, so a reader (or a test) can compare it with `m3v analyze --json`.
 */
import { sha256Base64 } from './sha256';

export type Cell = string | number | boolean | null | undefined;

export interface ReportTable {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** One line under the table (units, sources). */
  note?: string;
}

export interface ReportChart {
  id: string;
  title: string;
  /** An inline SVG document (from `barChartSvg`) or a PNG data URI (a panel's canvas). */
  svg?: string;
  png?: string;
}

export interface Report {
  title: string;
  /** Lines under the title: the design, target, task, tool version. */
  subtitle: string[];
  /** Warnings shown in a box (seeded weights, a design that does not fit, …). */
  notices: string[];
  tables: ReportTable[];
  charts: ReportChart[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Whole numbers with thousands separators; others to 4 significant digits (the exact value stays in data-value). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return n.toExponential(3);
  return Number(n.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

function cellHtml(c: Cell, header = false): string {
  const tag = header ? 'th' : 'td';
  if (typeof c === 'number') return `<${tag} class="num" data-value="${String(c)}">${escapeHtml(formatNumber(c))}</${tag}>`;
  if (typeof c === 'boolean') return `<${tag} data-value="${String(c)}">${c ? 'yes' : 'no'}</${tag}>`;
  return `<${tag}>${escapeHtml(c ?? '—')}</${tag}>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d0d7de; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --warn: #d29922; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 24px; max-width: 1200px; }
h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.15em; margin: 24px 0 6px; }
.subtitle { color: var(--muted); margin: 0; }
.notice { border-left: 4px solid var(--warn); padding: 6px 10px; margin: 10px 0; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 0.9em; }
figure { margin: 12px 0; } figure img, figure svg { max-width: 100%; height: auto; }
svg text { fill: currentColor; font-size: 11px; }
`;

/** The Content-Security-Policy of the exported document: nothing loads, only its own style and data: images (no " < & in it, so it goes into the attribute as it is). */
export function reportCsp(style: string = STYLE): string {
  return `default-src 'none'; style-src 'sha256-${sha256Base64(style)}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

export function reportHtml(r: Report): string {
  const tables = r.tables
    .map(
      (t) =>
        `<section id="${escapeHtml(t.id)}"><h2>${escapeHtml(t.title)}</h2>\n<table data-table="${escapeHtml(t.id)}"><thead><tr>${t.columns.map((c) => cellHtml(c, true)).join('')}</tr></thead>\n<tbody>${t.rows
          .map((row) => `<tr>${row.map((c) => cellHtml(c)).join('')}</tr>`)
          .join('\n')}</tbody></table>${t.note ? `\n<p class="note">${escapeHtml(t.note)}</p>` : ''}</section>`,
    )
    .join('\n');
  const charts = r.charts
    .map((c) => {
      // Only our own SVG (built by barChartSvg) or a PNG data URI is embedded; anything else is dropped.
      const body = c.svg && c.svg.startsWith('<svg') ? c.svg : c.png && /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(c.png) ? `<img alt="${escapeHtml(c.title)}" src="${c.png}">` : '';
      return body ? `<figure id="${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}">${body}<figcaption>${escapeHtml(c.title)}</figcaption></figure>` : '';
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp()}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(r.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
${r.subtitle.map((s) => `<p class="subtitle">${escapeHtml(s)}</p>`).join('\n')}
${r.notices.map((n) => `<div class="notice" role="note">${escapeHtml(n)}</div>`).join('\n')}
${tables}
${charts ? `<section id="charts"><h2>Charts</h2>\n${charts}</section>` : ''}
</body>
</html>
`;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; numbers exact. */
export function tableCsv(t: ReportTable): string {
  const field = (c: Cell) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [t.columns, ...t.rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * A horizontal bar chart as inline SVG: one bar per label, the value at its end, a zero-based axis with the unit.
 * `colours` cycles over the bars; the SVG carries no script and no external reference.
 */
export function barChartSvg(title: string, labels: string[], values: number[], unit: string, colours: string[] = ['#3b82c4', '#e08a2c', '#4aa35b', '#9a5bc4']): string {
  const rowH = 22;
  const labelW = Math.min(260, 12 + 7 * Math.max(4, ...labels.map((l) => l.length)));
  const plotW = 420;
  const w = labelW + plotW + 120;
  const h = 28 + labels.length * rowH + 30;
  const finite = values.filter((v) => Number.isFinite(v));
  const max = Math.max(0, ...finite) || 1;
  const bars = labels
    .map((label, i) => {
      const v = values[i];
      const y = 24 + i * rowH;
      const len = Number.isFinite(v) && v > 0 ? (plotW * v) / max : 0;
      return `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(label)}</text><rect x="${labelW}" y="${y + 3}" width="${len.toFixed(1)}" height="${rowH - 6}" fill="${colours[i % colours.length]}"/><text x="${(labelW + len + 4).toFixed(1)}" y="${y + 14}" data-value="${String(v)}">${escapeHtml(formatNumber(v))} ${escapeHtml(unit)}</text>`;
    })
    .join('');
  const axisY = 24 + labels.length * rowH + 4;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(title)}"><text x="0" y="14" font-weight="600">${escapeHtml(title)}</text>${bars}<line x1="${labelW}" y1="${axisY}" x2="${labelW + plotW}" y2="${axisY}" stroke="currentColor"/><text x="${labelW}" y="${axisY + 16}">0</text><text x="${labelW + plotW}" y="${axisY + 16}" text-anchor="end">${escapeHtml(formatNumber(max))} ${escapeHtml(unit)}</text></svg>`;
}
