/**
 * The Export buttons of every panel (HTML, CSV, PNG). The webview builds the files itself from the view it shows
 * (panelReports.ts) and its chart canvases, and posts them to its host, which asks where to save and writes them
 * atomically (VS Code) or downloads them (the browser designer).
 */
import type { ExportFile, HostMessage, PanelKind, WebviewMessage } from '../protocol';
import { reportOfMessage } from './panelReports';
import { reportHtml, tableCsv, type ReportChart } from './report';

/** The panel's visible canvases (chart.js charts, heat maps) as named PNGs. */
function canvasCharts(): { name: string; chart: ReportChart }[] {
  return Array.from(document.querySelectorAll<HTMLCanvasElement>('#root canvas'))
    .filter((c) => c.width > 1 && c.height > 1 && !c.classList.contains('ramp'))
    .map((c, i) => {
      const section = c.closest('section');
      const id = c.dataset.chart ?? `${section?.dataset.layer ? `layer-${section.dataset.layer}-` : ''}chart-${i + 1}`;
      const title = section?.querySelector('h2')?.textContent ?? c.getAttribute('aria-label') ?? id;
      return { name: id.replace(/[^A-Za-z0-9_-]+/g, '-'), chart: { id, title, png: c.toDataURL('image/png') } };
    });
}

export function exportFiles(panel: PanelKind, format: 'html' | 'csv' | 'png', latest: HostMessage | undefined): ExportFile[] {
  const report = reportOfMessage(latest);
  if (!report) return [];
  const charts = canvasCharts();
  if (format === 'html') return [{ name: `m3v-${panel}.html`, text: reportHtml({ ...report, charts: [...report.charts, ...charts.map((c) => c.chart)] }) }];
  if (format === 'csv') return report.tables.map((t) => ({ name: `m3v-${panel}-${t.id}.csv`, text: tableCsv(t) }));
  return charts.map((c) => ({ name: `m3v-${panel}-${c.name}.png`, base64: c.chart.png!.slice('data:image/png;base64,'.length) }));
}

type Post = (m: Extract<WebviewMessage, { type: 'exportReport' }> extends infer M ? Omit<M, 'v'> : never) => void;

/**
 * Three buttons; `latest` gives the message the panel shows at the time of the click. `post` is passed in (not
 * imported) so shared/host.ts can install the bar in every panel without an import cycle.
 */
export function exportButtons(panel: PanelKind, latest: () => HostMessage | undefined, post: Post): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'export-bar';
  bar.id = 'export-bar';
  const label = document.createElement('span');
  label.className = 'hint';
  label.textContent = 'Export report:';
  bar.append(label);
  for (const format of ['html', 'csv', 'png'] as const) {
    const b = document.createElement('button');
    b.id = `export-${format}`;
    b.type = 'button';
    b.className = 'export';
    b.textContent = format.toUpperCase();
    b.title = format === 'html' ? 'One self-contained HTML file: tables and charts' : format === 'csv' ? 'The tables as CSV files' : 'The charts as PNG files';
    b.addEventListener('click', () => post({ type: 'exportReport', panel, format, files: exportFiles(panel, format, latest()) }));
    bar.append(b);
  }
  return bar;
}
