/**
 * `m3v explore FILE [--explore NAME] [--json] [--csv OUT] [--workers N] [--shard I/N]` runs a design space on
 * worker_threads and prints the exact Pareto front; `m3v explore --merge A.json B.json … [--json]` merges the
 * `--json` results of shards (a Slurm job array, a Kubernetes Indexed Job, a CI matrix) into the result one run
 * would give. docs/explore.md. Exit codes: 0 ok (a front, possibly empty), 1 design errors, 2 bad usage or input.
 */
import { cpus } from 'node:os';
import { ExploreRequestError, findExplore, mergeResults, type ExploreResult } from '../../engine/explore/index';
import { exploreInWorkers, ExploreWorkerPool } from '../../node/explore-pool';
import { formatBytes, formatJoules, formatSeconds, sig3 } from '../../engine/units';
import { UsageError, type CliIo } from '../io';
import { commandUsage, defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { readRegularText, writeFileAtomic } from '../../node/safeFiles';
import { loadDesign } from './design-input';

/** A merged result file: JSON of `m3v explore --json`; fronts are small, so a generous cap bounds memory. */
const MAX_RESULT_BYTES = 256 * 1024 * 1024;

const EXPLORE = {
  name: 'explore',
  summary: 'the exact Pareto front of a design space (explore block), in parallel; merge shards',
  positionals: { usage: 'FILE', what: 'design file', min: 0, max: Infinity },
  options: {
    explore: { type: 'string', value: 'NAME', help: 'the explore block to run (needed when the design declares more than one)' },
    json: { type: 'boolean', help: 'the result as JSON (what --merge reads)' },
    csv: { type: 'string', value: 'OUT', help: 'also write the front as CSV' },
    workers: { type: 'string', value: 'N', help: "worker threads, 1..256 (default: this machine's cores, at most 8)" },
    shard: { type: 'string', value: 'I/N', help: 'run only shard I of N (0 ≤ I < N) of the space' },
    merge: { type: 'boolean', help: 'merge the --json results named as arguments into the result one run would give' },
  },
  otherForms: ['--merge A.json B.json … [--json]'],
} as const satisfies CommandSpec;

interface ExploreArgs {
  file?: string;
  name?: string;
  json: boolean;
  csv?: string;
  workers: number;
  shard?: { index: number; count: number };
  merge?: string[];
}

/** The declared options → what the run needs; the checks no declaration can say (ranges, I/N, one file or --merge). */
function exploreArgs({ values, positionals }: ArgsOf<typeof EXPLORE>): ExploreArgs {
  const usage = `Usage: ${commandUsage(EXPLORE)}`;
  const out: ExploreArgs = { json: values.json, name: values.explore, csv: values.csv, workers: Math.max(1, Math.min(cpus().length, 8)) };
  if (values.workers !== undefined) {
    const n = Number(values.workers);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--workers expects a whole number 1..256, got '${values.workers}'`);
    out.workers = n;
  }
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard expects I/N with 0 ≤ I < N (e.g. 0/4), got '${values.shard}'`);
    out.shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  if (values.merge) {
    if (positionals.length === 0) throw new UsageError(`--merge needs the --json results to merge. ${usage}`);
    out.merge = positionals;
  } else if (positionals.length === 0) throw new UsageError(`missing design file. ${usage}`);
  else if (positionals.length > 1) throw new UsageError(`one design file expected, got '${positionals[0]}' and '${positionals[1]}'`);
  else out.file = positionals[0];
  return out;
}

export async function runExplore(args: ArgsOf<typeof EXPLORE>, io: CliIo): Promise<number> {
  const opts = exploreArgs(args);
  let result: ExploreResult;
  if (opts.merge) result = mergeFiles(opts.merge);
  else {
    // The workers boot (~50–100 ms each: a thread, the bundle) while this thread reads and checks the design.
    const pool = new ExploreWorkerPool();
    pool.warm(opts.workers);
    try {
      const loaded = loadDesign(opts.file!, io);
      if (!loaded) return 1;
      result = await exploreLoaded(loaded, opts, pool);
    } finally {
      await pool.close();
    }
  }
  if (opts.csv) writeFileAtomic(opts.csv, frontCsv(result), 'CSV of the front');
  io.out(opts.json ? JSON.stringify(result, null, 2) : exploreText(result));
  return 0;
}

/** Runs the design's explore block on the pool's workers; Ctrl-C cancels (the partial front is printed). */
async function exploreLoaded(loaded: NonNullable<ReturnType<typeof loadDesign>>, opts: ExploreArgs, pool: ExploreWorkerPool): Promise<ExploreResult> {
  try {
    findExplore(loaded.design, opts.name);
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    const progress = !opts.json && process.stderr.isTTY;
    try {
      return await exploreInWorkers(loaded.design, {
        name: opts.name,
        workers: opts.workers,
        pool,
        traces: loaded.traces,
        shard: opts.shard,
        signal: ac.signal,
        onProgress: progress ? (p) => process.stderr.write(`\r${p.done}/${p.total} points · front ${p.front}   `) : undefined,
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
      if (progress) process.stderr.write('\n');
    }
  } catch (error) {
    if (error instanceof ExploreRequestError) throw new UsageError(error.message);
    throw error;
  }
}

function mergeFiles(files: string[]): ExploreResult {
  const parts = files.map((f) => {
    const text = readRegularText(f, { maxBytes: MAX_RESULT_BYTES, what: 'explore result', because: "results of 'm3v explore --json' are JSON of a front" });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`'${f}' is not JSON (${error instanceof Error ? error.message : String(error)}): pass the output of 'm3v explore --json'`);
    }
    const r = parsed as Partial<ExploreResult>;
    if (typeof r !== 'object' || r === null || typeof r.fingerprint !== 'string' || !r.tally || !Array.isArray(r.front))
      throw new UsageError(`'${f}' is not an 'm3v explore --json' result (no fingerprint, tally or front)`);
    return r as ExploreResult;
  });
  try {
    return mergeResults(parts, files);
  } catch (error) {
    if (error instanceof ExploreRequestError) throw new UsageError(error.message);
    throw error;
  }
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One row per front point: the varied values as written, then each objective in its unit. */
export function frontCsv(r: ExploreResult): string {
  const header = ['index', ...r.axes.map((a) => a.key), ...r.objectives.map((o) => `${o.label} (${o.unit})`)];
  const rows = r.front.map((p) => [String(p.index), ...r.axes.map((a) => p.values[a.key]), ...r.objectives.map((o) => String(p.objectives[o.label]))]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

function objectiveText(unit: string, v: number): string {
  if (unit === 'seconds') return formatSeconds(v);
  if (unit === 'joules') return formatJoules(v);
  if (unit === 'bytes' || unit === 'bytes per frame') return formatBytes(v);
  if (unit === 'frames per second') return `${sig3(v)} FPS`;
  return sig3(v);
}

export function exploreText(r: ExploreResult): string {
  const lines: string[] = [];
  const how = r.mode === 'search' ? `searched (NSGA-II, seed ${r.search?.seed}): ${r.evaluated + r.skipped} of ${r.points.toExponential(2)} points` : `${r.points} points`;
  lines.push(`explore ${r.explore} on ${r.target}: ${how}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count}: points ${r.shard.start}..${r.shard.end - 1})` : ''}`);
  lines.push(`  evaluated ${r.evaluated} · skipped ${r.skipped} · failed budgets ${r.failed_budgets} · meet every budget ${r.feasible} · ${r.elapsed_ms} ms`);
  for (const s of r.skipped_by_rule) lines.push(`  skipped ${s.points}: ${s.meaning} (${s.rule})`);
  for (const b of r.budgets) if (b.failed > 0) lines.push(`  fail '${b.text}': ${b.failed}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  lines.push('', `Pareto front (${r.front.length} point${r.front.length === 1 ? '' : 's'}):`);
  const header = [...r.axes.map((a) => a.key), ...r.objectives.map((o) => `${o.sense === 'maximize' ? '↑' : '↓'} ${o.label}`)];
  const rows = r.front.map((p) => [...r.axes.map((a) => p.values[a.key]), ...r.objectives.map((o) => objectiveText(o.unit, p.objectives[o.label]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => '  ' + row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  lines.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  if (r.best.length > 0) {
    lines.push('', 'Best per objective:');
    for (const b of r.best) {
      const unit = r.objectives.find((o) => o.label === b.objective)!.unit;
      lines.push(`  ${b.objective}: ${objectiveText(unit, b.value)} at ${Object.entries(b.values).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  }
  const moved = r.effects.filter((e) => e.swing > 0).sort((a, b) => b.swing - a.swing);
  if (moved.length > 0) {
    lines.push('', 'How much each key moves each objective (spread of the per-value means / overall mean):');
    for (const e of moved.slice(0, 12)) lines.push(`  ${e.key.padEnd(10)} → ${e.objective}: ${(100 * e.swing).toFixed(1)} %`);
  }
  return lines.join('\n');
}

export const exploreCommand = defineCommand(EXPLORE, runExplore);
