/** Chart colours read from VS Code's theme variables (re-read on a theme change: VS Code swaps body classes). */
import { DEFAULT_BACKGROUNDS, paletteFor, themeKindOf, type Palette, type ThemeKind } from './palette';

const CHART_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-charts-red',
];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface ChartTheme {
  series: string[];
  foreground: string;
  grid: string;
  error: string;
  /** Fixed lane/frame/series colours, made readable on this theme's background (palette.ts). */
  palette: Palette;
  kind: ThemeKind;
  background: string;
}

export function chartTheme(): ChartTheme {
  const kind = themeKindOf(document.body.className.split(/\s+/));
  const raw = cssVar('--vscode-editor-background', DEFAULT_BACKGROUNDS[kind]);
  const background = /^#[0-9a-f]{6}/i.test(raw) ? raw.slice(0, 7) : DEFAULT_BACKGROUNDS[kind];
  return {
    palette: paletteFor(background),
    kind,
    background,
    series: CHART_VARS.map((v, i) => cssVar(v, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#cca700', '#f14c4c'][i])),
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    grid: cssVar('--vscode-editorWidget-border', '#454545'),
    error: cssVar('--vscode-errorForeground', '#f14c4c'),
  };
}

/** Calls `onChange` when the user switches theme (VS Code changes `vscode-light|dark|high-contrast` on body). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
