// Compares code lens text with `m3v analyze --json`: every "number unit" figure in the lens must be the engine
// formatting of some number in the report. Units follow engine/units.ts (ms/µs/s, B/KiB/MiB/GiB/TiB, k/M/G/T/P, %, mJ/µJ…; the
// older us/uJ spellings are still read).
const SCALE = {
  s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9,
  J: 1, mJ: 1e-3, uJ: 1e-6, 'µJ': 1e-6, nJ: 1e-9, pJ: 1e-12,
  B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
  k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15,
  '%': 1,
};

function numbers(value, out = []) {
  if (typeof value === 'number' && Number.isFinite(value)) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => numbers(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => numbers(v, out));
  return out;
}

/** Figures of the lens text that match no report number within the display precision (3 significant digits). */
export function lensNumbersInReport(lenses, report) {
  const values = numbers(report);
  const missing = [];
  for (const lens of lenses) {
    for (const m of lens.matchAll(/(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s?(ms|us|µs|ns|s|mJ|uJ|µJ|nJ|pJ|J|KiB|MiB|GiB|TiB|B|k|M|G|T|P|%)(?=MACs?\b|FLOPs?\b|[^A-Za-z]|$)/g)) {
      const shown = Number(m[1].replace(/,/g, '')) * SCALE[m[2]];
      const decimals = (m[1].split('.')[1] ?? '').length;
      const tol = (0.5 * 10 ** -decimals) * SCALE[m[2]] * 1.0001;
      // Shares may be stored as fractions or percents; a share worded "more"/"fewer" shows its magnitude (a reduction
      // of -0.00301 reads "0.301 % more MACs").
      // The JSON keeps latency and energy in milli-units (latency_ms, energy_mj): a report value v may stand for v/1000.
      const ok = values.some(
        (v) => Math.abs(v - shown) <= tol || Math.abs(v * 1e-3 - shown) <= tol || (m[2] === '%' && Math.abs(Math.abs(v * 100) - shown) <= tol),
      );
      if (!ok) missing.push(`${m[0]} (in "${lens}")`);
    }
  }
  return missing;
}
