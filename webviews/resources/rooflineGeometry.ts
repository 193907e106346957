/**
 * Where the roofline chart puts things (pure, no DOM, unit-tested): log-axis ranges that hold every point and roof,
 * the roof polylines min(unit roof, intensity × off-chip roof) per unit, and each point's position. Figures are the
 * view model's (engine/roofline.ts); nothing is computed here but the geometry.
 */
import type { Roofline, RooflinePoint } from '../protocol';
import type { Palette } from '../shared/palette';

export interface XY {
  x: number;
  y: number;
}

export interface RoofLine {
  id: string;
  label: string;
  source: string;
  /** Polyline in data coordinates. */
  points: XY[];
  kind: 'unit' | 'offchip' | 'device';
}

export interface RooflineGeometry {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** x at which an operation with no off-chip bytes is drawn (the right edge). */
  xNoTraffic: number;
  lines: RoofLine[];
  /** Each operation at (intensity, achieved) and its own roof at the same intensity. */
  points: { point: RooflinePoint; at: XY; roof: XY }[];
}

const decadeBelow = (v: number) => Math.pow(10, Math.floor(Math.log10(v)));
const decadeAbove = (v: number) => Math.pow(10, Math.ceil(Math.log10(v)));

export function rooflineGeometry(r: Roofline): RooflineGeometry {
  const offchip = r.offchipBytesPerSecond ?? r.bandwidthRoofBytesPerSecond;
  const unitRoofs = (r.roofs ?? []).filter((x) => x.kind === 'compute' && x.id !== 'dsp' && r.points.some((p) => p.unit === x.id));
  const device = (r.roofs ?? []).find((x) => x.id === 'dsp');
  const withI = r.points.filter((p) => p.intensity !== undefined && p.intensity > 0);
  const intensities = withI.map((p) => p.intensity!);
  const ridges = unitRoofs.map((u) => u.value / offchip);
  const lo = Math.min(...intensities, ...ridges, 1);
  const hi = Math.max(...intensities, ...ridges, 1);
  const xMin = decadeBelow(Math.max(1e-4, lo / 2));
  const xNoTraffic = hi * 8;
  const xMax = decadeAbove(xNoTraffic * 2);
  const top = Math.max(...unitRoofs.map((u) => u.value), device?.value ?? 0, ...r.points.map((p) => p.achievedMacsPerSecond), 1);
  const lowest = Math.min(xMin * offchip, ...r.points.filter((p) => p.achievedMacsPerSecond > 0).map((p) => p.achievedMacsPerSecond), top);
  const yMin = decadeBelow(Math.max(1, lowest / 2));
  const yMax = decadeAbove(top * 2);
  // Each unit's flat roof from its ridge (where the off-chip slope meets it) to the right edge; the slope once, up
  // to the highest unit roof's ridge.
  const lines: RoofLine[] = unitRoofs
    .filter((u) => u.value / offchip < xMax)
    .map((u) => ({
      id: u.id,
      label: u.label,
      source: u.source,
      points: [{ x: Math.max(xMin, u.value / offchip), y: u.value }, { x: xMax, y: u.value }],
      kind: 'unit' as const,
    }));
  const off = (r.roofs ?? []).find((x) => x.id === 'offchip');
  const slopeEnd = Math.min(xMax, Math.max(xMin, ...ridges));
  lines.push({
    id: 'offchip',
    label: off?.label ?? 'off chip',
    source: off?.source ?? '',
    points: [{ x: xMin, y: xMin * offchip }, { x: slopeEnd, y: slopeEnd * offchip }],
    kind: 'offchip',
  });
  if (device && device.value > 0) lines.push({ id: 'dsp', label: device.label, source: device.source, points: [{ x: xMin, y: device.value }, { x: xMax, y: device.value }], kind: 'device' });
  const points = r.points.map((p) => {
    const x = p.intensity !== undefined && p.intensity > 0 ? p.intensity : xNoTraffic;
    return { point: p, at: { x, y: p.achievedMacsPerSecond }, roof: { x, y: p.roofMacsPerSecond } };
  });
  return { xMin, xMax, yMin, yMax, xNoTraffic, lines, points };
}

/** Points that land on the same pixel share one label ("q, k, v, proj"): groups of indices by rounded position. */
export function labelGroups(positions: readonly XY[], pixels = 6): number[][] {
  const groups: { at: XY; members: number[] }[] = [];
  positions.forEach((p, i) => {
    const g = groups.find((x) => Math.abs(x.at.x - p.x) < pixels && Math.abs(x.at.y - p.y) < pixels);
    if (g) g.members.push(i);
    else groups.push({ at: p, members: [i] });
  });
  return groups.map((g) => g.members);
}

/**
 * A unit's colour: the hue of the schedule lane it runs on (linear, attention, gate), so a unit looks the same in the
 * Schedule and Resources panels; the patch embedding's own unit takes vermillion, a hue no lane uses. The palette
 * makes each readable (3:1) on the theme's background.
 */
export function rooflineUnitColour(unit: string, palette: Palette): string {
  if (unit === 'linear') return palette.lane('linear');
  if (unit === 'attention') return palette.lane('attention');
  if (unit === 'gate_unit') return palette.lane('gate');
  return palette.series(5);
}
