/**
 * The Run panel's colours, in one place: one hue per expert (shared by the patch map, its key and the histogram)
 * and the sequential ramp of the tokens × experts map. Not from webviews/shared/palette.ts: that palette names
 * lanes and at most 7 series hues, while a layer has 16–32 experts that must all look different, and a score map
 * needs a sequential ramp.
 */

/** A distinct hue per expert (golden-angle spacing), so neighbouring expert ids never look alike. */
export function expertColour(expert: number): string {
  return expert < 0 ? 'transparent' : `hsl(${(expert * 137.508) % 360} 70% 50%)`;
}

/** Viridis at five stops (perceptually uniform, colour-blind safe, readable on dark and light backgrounds). */
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** `t` in [0, 1] → an `rgb()` colour on the ramp (clamped; NaN draws as the ramp's low end). */
export function rampColour(t: number): string {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const at = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(at));
  const f = at - i;
  const c = VIRIDIS[i].map((v, k) => Math.round(v + (VIRIDIS[i + 1][k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
