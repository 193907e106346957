/**
 * `m3v analyze FILE [--target T] [--json] [--html OUT]`: the full cost report of a design — counts per task, and per target and
 * strategy on-chip buffers, off-chip bytes and traffic, latency, energy, switch cost, and the budgets.
 * Routing traces named in the design (`routing trace "FILE"`) are read relative to the design file (design-input.ts)
 * and passed to the pure engine. Exit codes: 0 ok, 1 the design has errors or a budget fails, 2 bad usage or
 * unreadable input. `--html OUT` also writes the report as one self-contained HTML file (webviews/export), atomically.
 */
import { analyzeDesign, analysisToJson, analysisToText } from '../../engine/index';
import { UsageError, type CliCommand, type CliIo } from '../io';
import { analysisLimitProblem } from '../../language/src/check/limits';
import { loadDesign } from './design-input';
import { basename } from 'node:path';
import { analysisReport } from '../../webviews/export/analysisReport';
import { reportHtml } from '../../webviews/export/report';
import { refuseOutputsOverInputs, writeFileAtomic } from '../../node/safeFiles';

const USAGE = 'm3v analyze FILE [--target T]... [--json] [--html OUT]';

interface AnalyzeArgs {
  file: string;
  targets: string[];
  json: boolean;
  html?: string;
}

/** `--target` may repeat (one report per named target), so this command parses its own options. */
function parseArgs(args: string[]): AnalyzeArgs {
  let file: string | undefined;
  const targets: string[] = [];
  let json = false;
  let html: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--html') {
      html = args[++i];
      if (html === undefined || html === '' || html.startsWith('-')) throw new UsageError(`--html needs an output file. Usage: ${USAGE}`);
    } else if (a.startsWith('--html=')) html = a.slice('--html='.length);
    else if (a === '--target') {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) throw new UsageError(`--target needs a target name. Usage: ${USAGE}`);
      targets.push(v);
    } else if (a.startsWith('--target=')) targets.push(a.slice('--target='.length));
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'. Usage: ${USAGE}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`one design file expected, got '${file}' and '${a}'`);
  }
  if (file === undefined) throw new UsageError(`missing design file. Usage: ${USAGE}`);
  return { file, targets, json, html };
}

export async function runAnalyze(args: string[], io: CliIo): Promise<number> {
  const opts = parseArgs(args);
  if (opts.html !== undefined) refuseOutputsOverInputs([{ label: '--html', path: opts.html }], [{ label: 'the design file', path: opts.file }]);
  const loaded = loadDesign(opts.file, io);
  if (!loaded) return 1;
  const { design, traces } = loaded;
  const known = design.targets.map((t) => t.name);
  for (const t of opts.targets)
    if (!known.includes(t)) throw new UsageError(`unknown target '${t}'; the design declares: ${known.join(', ') || '(none)'}`);
  // The checker already refuses such designs; kept as a guard at the engine's door (one limit function, shared).
  const tooLarge = analysisLimitProblem(design);
  if (tooLarge) throw new UsageError(tooLarge.message.message);
  const report = analyzeDesign(design, { traces, targets: opts.targets.length > 0 ? opts.targets : undefined });
  const json = analysisToJson(report);
  io.out(opts.json ? JSON.stringify(json, null, 2) : analysisToText(report));
  // The same figures as --json, as one self-contained page (node/safeFiles: temp file, fsync, rename).
  if (opts.html !== undefined) writeFileAtomic(opts.html, reportHtml(analysisReport(json, basename(opts.file))), '--html output');
  return report.budgets.some((b) => b.ok === false) ? 1 : 0;
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  synopsis: 'analyze FILE [--target T] [--json] [--html OUT]',
  summary: 'counts, memory, latency, energy, switch cost and budgets of a design',
  run: runAnalyze,
};
