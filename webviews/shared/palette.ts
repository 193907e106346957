/**
 * The panels' fixed colours. Every schedule lane has ONE hue everywhere (every chart, every zoom, every theme): a
 * colour is looked up by the lane's name, never by the order datasets happen to be drawn in. Hues are the Okabe–Ito
 * palette (Okabe & Ito, "Color Universal Design", 2008; Wong, Nature Methods 8:441, 2011), chosen to stay distinct
 * under protanopia, deuteranopia and tritanopia. Per theme only the lightness moves, until the colour reaches a
 * 3:1 contrast with the background (WCAG 2.1 SC 1.4.11, non-text contrast), so a bar is visible in dark, light and
 * high-contrast themes alike. Pure: no DOM (theme detection takes the body's class list), unit-tested.
 */

export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  grey: '#999999',
} as const;

/** Schedule lanes (engine/schedule/types.ts LANES) → hue. Gate (green) and vector (yellow) are far apart. */
export const LANE_HUES: Readonly<Record<string, string>> = {
  load: OKABE_ITO.orange,
  linear: OKABE_ITO.blue,
  attention: OKABE_ITO.reddishPurple,
  gate: OKABE_ITO.bluishGreen,
  vector: OKABE_ITO.yellow,
};

/** Scenario frames: met, after a task switch (its cost), deadline missed. */
export const FRAME_HUES: Readonly<Record<string, string>> = {
  frame: OKABE_ITO.bluishGreen,
  switch: OKABE_ITO.orange,
  miss: OKABE_ITO.vermillion,
};

/** Ordered series for charts of things that are not lanes (buffers, operations): no hue repeats within 7. */
export const SERIES_HUES: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
];

/** The colour of grouped or unknown things (the "small buffers" segment, an unknown lane). */
export const OTHER_HUE = OKABE_ITO.grey;

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

/** VS Code puts one of these classes on the webview's body. */
export function themeKindOf(classes: readonly string[]): ThemeKind {
  if (classes.includes('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.includes('vscode-high-contrast')) return 'high-contrast';
  if (classes.includes('vscode-light')) return 'light';
  return 'dark';
}

/** Editor backgrounds of the default themes, used when the theme variable cannot be read. */
export const DEFAULT_BACKGROUNDS: Readonly<Record<ThemeKind, string>> = {
  dark: '#1f1f1f',
  light: '#ffffff',
  'high-contrast': '#000000',
  'high-contrast-light': '#ffffff',
};

export const MIN_CONTRAST = 3;

function rgbOf(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h.slice(0, 6);
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

function hexOf([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.1 relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The hue moved towards white (on a dark background) or black (on a light one) in 5 % steps until it has
 * MIN_CONTRAST against `background`: the same hue, readable.
 */
export function readableOn(hue: string, background: string): string {
  const bg = /^#[0-9a-f]{3,8}$/i.test(background) ? background : '#1f1f1f';
  const towards: [number, number, number] = luminance(bg) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  const base = rgbOf(hue);
  for (let step = 0; step <= 20; step++) {
    const t = step / 20;
    const c = hexOf(base.map((v, i) => v + (towards[i] - v) * t) as [number, number, number]);
    if (contrast(c, bg) >= MIN_CONTRAST) return c;
  }
  return hexOf(towards);
}

export interface Palette {
  lane(lane: string): string;
  frame(kind: string): string;
  series(index: number): string;
  other: string;
}

/** The palette for one background (cache it per theme change: readableOn is a small loop). */
export function paletteFor(background: string): Palette {
  const cache = new Map<string, string>();
  const on = (hue: string) => {
    let c = cache.get(hue);
    if (!c) cache.set(hue, (c = readableOn(hue, background)));
    return c;
  };
  return {
    lane: (lane) => on(LANE_HUES[lane] ?? OTHER_HUE),
    frame: (kind) => on(FRAME_HUES[kind] ?? OTHER_HUE),
    series: (index) => on(SERIES_HUES[index % SERIES_HUES.length]),
    other: on(OTHER_HUE),
  };
}
