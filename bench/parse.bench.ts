/**
 * Parse + check time per sample: p50/p95 over repeated runs, printed as a table (no asserts: benchmarks inform).
 * Goals: p95 < 5 ms for each sample, < 50 ms for the stress design. Run: node --import tsx bench/parse.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../language/src/analyze';

const samplesDir = join(resolve(__dirname, '..'), 'samples');
const WARMUP = 20;
const RUNS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const rows: string[][] = [['sample', 'chars', 'p50 ms', 'p95 ms', 'goal p95 ms']];
for (const name of readdirSync(samplesDir).filter((f) => f.endsWith('.m3v')).sort()) {
  const text = readFileSync(join(samplesDir, name), 'utf8');
  for (let i = 0; i < WARMUP; i++) analyzeDocument(text);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    analyzeDocument(text);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  rows.push([name, String(text.length), percentile(times, 50).toFixed(3), percentile(times, 95).toFixed(3), name === 'stress.m3v' ? '50' : '5']);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
