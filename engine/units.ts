/**
 * Units of the `.m3v` language and their dimensions. One table serves the checker (dimension errors),
 * completion (units after a number), hover, and every report that formats a quantity.
 */

export type Dimension = 'frequency' | 'bandwidth' | 'size' | 'time' | 'energy' | 'power' | 'ratio' | 'share' | 'energy_per_byte';

export interface UnitInfo {
  name: string;
  dimension: Dimension;
  /** Multiply a value in this unit by `factor` to get base units (Hz, B/s, bytes, s, J, W, ×, %, J/B). */
  factor: number;
}

const K = 1e3;
const Ki = 1024;

const UNIT_LIST: UnitInfo[] = [
  { name: 'Hz', dimension: 'frequency', factor: 1 },
  { name: 'kHz', dimension: 'frequency', factor: K },
  { name: 'MHz', dimension: 'frequency', factor: K ** 2 },
  { name: 'GHz', dimension: 'frequency', factor: K ** 3 },
  { name: 'B/s', dimension: 'bandwidth', factor: 1 },
  { name: 'KB/s', dimension: 'bandwidth', factor: K },
  { name: 'MB/s', dimension: 'bandwidth', factor: K ** 2 },
  { name: 'GB/s', dimension: 'bandwidth', factor: K ** 3 },
  { name: 'KiB/s', dimension: 'bandwidth', factor: Ki },
  { name: 'MiB/s', dimension: 'bandwidth', factor: Ki ** 2 },
  { name: 'GiB/s', dimension: 'bandwidth', factor: Ki ** 3 },
  { name: 'bit', dimension: 'size', factor: 1 / 8 },
  { name: 'b', dimension: 'size', factor: 1 / 8 },
  { name: 'Kb', dimension: 'size', factor: K / 8 },
  { name: 'Mb', dimension: 'size', factor: K ** 2 / 8 },
  { name: 'Gb', dimension: 'size', factor: K ** 3 / 8 },
  { name: 'B', dimension: 'size', factor: 1 },
  { name: 'KB', dimension: 'size', factor: K },
  { name: 'MB', dimension: 'size', factor: K ** 2 },
  { name: 'GB', dimension: 'size', factor: K ** 3 },
  { name: 'KiB', dimension: 'size', factor: Ki },
  { name: 'MiB', dimension: 'size', factor: Ki ** 2 },
  { name: 'GiB', dimension: 'size', factor: Ki ** 3 },
  { name: 'ns', dimension: 'time', factor: 1e-9 },
  { name: 'us', dimension: 'time', factor: 1e-6 },
  { name: 'ms', dimension: 'time', factor: 1e-3 },
  { name: 's', dimension: 'time', factor: 1 },
  { name: 'pJ', dimension: 'energy', factor: 1e-12 },
  { name: 'nJ', dimension: 'energy', factor: 1e-9 },
  { name: 'uJ', dimension: 'energy', factor: 1e-6 },
  { name: 'mJ', dimension: 'energy', factor: 1e-3 },
  { name: 'J', dimension: 'energy', factor: 1 },
  { name: 'mW', dimension: 'power', factor: 1e-3 },
  { name: 'W', dimension: 'power', factor: 1 },
  { name: 'x', dimension: 'ratio', factor: 1 },
  { name: '%', dimension: 'share', factor: 1 },
  // Energy coefficients per byte moved (`energy ddr 120 pJ/B`).
  { name: 'pJ/B', dimension: 'energy_per_byte', factor: 1e-12 },
  { name: 'nJ/B', dimension: 'energy_per_byte', factor: 1e-9 },
  { name: 'pJ/bit', dimension: 'energy_per_byte', factor: 8e-12 },
];

export const UNITS: ReadonlyMap<string, UnitInfo> = new Map(UNIT_LIST.map((u) => [u.name, u]));

export function unitsOf(dimension: Dimension): UnitInfo[] {
  return UNIT_LIST.filter((u) => u.dimension === dimension);
}

export const DIMENSION_NOUN: Record<Dimension, string> = {
  frequency: 'a frequency',
  bandwidth: 'a bandwidth',
  size: 'a size',
  time: 'a time',
  energy: 'an energy',
  power: 'a power',
  ratio: 'a ratio',
  share: 'a share',
  energy_per_byte: 'an energy per byte',
};

// ---- formatting for reports, hover and code lens (one implementation so every face agrees to the digit) ----

/**
 * Thousands separators by hand: `toLocaleString` builds an Intl.NumberFormat on every call, which made every
 * formatted budget message of an exploration ~6× slower (bench/explore.bench.ts). `fixed` is a plain decimal string.
 */
function groupThousands(fixed: string): string {
  if (fixed.includes('e')) return fixed; // past 1e21 String() writes an exponent: nothing to group
  const negative = fixed.startsWith('-');
  const body = negative ? fixed.slice(1) : fixed;
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot);
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += ',';
    out += int[i];
  }
  return (negative ? '-' : '') + out + frac;
}

/**
 * Three significant digits, no exponent for everyday magnitudes; thousands separated by commas (en-US) so a value past
 * the largest prefix still reads ("12,300 s", never "12300 s").
 */
export function sig3(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return groupThousands(String(Math.round(value)));
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

/** An integer with thousands separators: "222,655". Event counts, cycles, blocks. */
export function formatInteger(n: number): string {
  return groupThousands(String(Math.round(n)));
}

/** Memory blocks (BRAM36 may end in .5: a BRAM18 half), exact, with thousands separators: "320.5", "3,509". */
export function formatBlocks(blocks: number): string {
  // At most one decimal, none when whole: 320.5, 3,509.
  const r = Math.round(blocks * 10) / 10;
  return groupThousands(Number.isInteger(r) ? String(r) : r.toFixed(1));
}

/** Cycles with thousands separators: "918,393,224 cycles". */
export function formatCycles(cycles: number): string {
  return `${formatInteger(cycles)} cycles`;
}

/** SI prefixes k, M, G, T, P (decimal: counts of MACs, FLOPs, parameters, events), three significant digits. */
const SI_PREFIXES: readonly [number, string][] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

export function formatCount(n: number): string {
  const abs = Math.abs(n);
  for (const [scale, prefix] of SI_PREFIXES) if (abs >= scale) return `${sig3(n / scale)} ${prefix}`;
  return String(Math.round(n));
}

/** Binary sizes in IEC units (KiB, MiB, GiB, TiB): on-chip buffers and traffic are counted in bytes of 2^10 steps. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= Ki ** 4) return `${sig3(bytes / Ki ** 4)} TiB`;
  if (abs >= Ki ** 3) return `${sig3(bytes / Ki ** 3)} GiB`;
  if (abs >= Ki ** 2) return `${sig3(bytes / Ki ** 2)} MiB`;
  if (abs >= Ki) return `${sig3(bytes / Ki)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** Seconds in s, ms, µs or ns (the micro sign, never "us", in everything shown; the language still accepts `us`). */
export function formatSeconds(s: number): string {
  const abs = Math.abs(s);
  if (abs >= 1) return `${sig3(s)} s`;
  if (abs >= 1e-3) return `${sig3(s * 1e3)} ms`;
  if (abs >= 1e-6) return `${sig3(s * 1e6)} µs`;
  return `${sig3(s * 1e9)} ns`;
}

/**
 * A time-axis tick: the unit chosen by the ticks' spacing `step` (not by the value, so a 13 µs window 4.4 ms into a
 * frame reads "4,420.5 µs", "4,422.5 µs" rather than "4.42 ms" twice), with the decimals that show the step to two
 * significant digits; thousands separated.
 */
export function formatAxisSeconds(s: number, step: number): string {
  const absStep = Math.abs(step);
  if (!(absStep > 0) || !Number.isFinite(absStep)) return formatSeconds(s); // one tick: nothing to resolve
  // The largest unit in which the step is at least 0.1 (ticks 0.25 s apart read "1.25 s", 50 ms apart "150 ms").
  const [scale, unit] = absStep >= 0.1 ? [1, 's'] : absStep >= 1e-4 ? [1e3, 'ms'] : absStep >= 1e-7 ? [1e6, 'µs'] : [1e9, 'ns'];
  const inUnit = absStep * scale;
  const decimals = inUnit > 0 ? Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(inUnit)))) : 0;
  return `${groupThousands((s * scale).toFixed(decimals))} ${unit}`;
}

export function formatJoules(j: number): string {
  const abs = Math.abs(j);
  if (abs >= 1) return `${sig3(j)} J`;
  if (abs >= 1e-3) return `${sig3(j * 1e3)} mJ`;
  if (abs >= 1e-6) return `${sig3(j * 1e6)} µJ`;
  if (abs >= 1e-9) return `${sig3(j * 1e9)} nJ`;
  return `${sig3(j * 1e12)} pJ`;
}

export function formatHz(hz: number): string {
  if (hz >= 1e9) return `${sig3(hz / 1e9)} GHz`;
  if (hz >= 1e6) return `${sig3(hz / 1e6)} MHz`;
  if (hz >= 1e3) return `${sig3(hz / 1e3)} kHz`;
  return `${sig3(hz)} Hz`;
}

export function formatBandwidth(bps: number): string {
  if (bps >= 1e9) return `${sig3(bps / 1e9)} GB/s`;
  if (bps >= 1e6) return `${sig3(bps / 1e6)} MB/s`;
  if (bps >= 1e3) return `${sig3(bps / 1e3)} KB/s`;
  return `${sig3(bps)} B/s`;
}

/** Formats a value of a dimension in its most readable unit (used in messages such as "got 19.2 GB/s"). */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return `${p} %`;
  return `${groupThousands(p.toFixed(1))} %`;
}
