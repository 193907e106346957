/**
 * `m3v analyze FILE [--target T] [--json]`: the full cost report of a design — counts per task, and per target and
 * strategy on-chip buffers, off-chip bytes and traffic, latency, energy, switch cost, and the budgets.
 * Routing traces named in the design (`routing trace "FILE"`) are read relative to the design file (design-input.ts)
 * and passed to the pure engine. Exit codes: 0 ok, 1 the design has errors or a budget fails, 2 bad usage or
 * unreadable input.
 */
import { analyzeDesign, analysisToJson, analysisToText } from '../../engine/index';
import { UsageError, type CliIo } from '../io';
import { defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { analysisLimitProblem } from '../../language/src/check/limits';
import { loadDesign } from './design-input';

const ANALYZE = {
  name: 'analyze',
  summary: 'counts, memory, latency, energy, switch cost and budgets of a design',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    target: { type: 'string', value: 'T', multiple: true, help: 'report this hardware target (default: every target)' },
    json: { type: 'boolean', help: 'the report as JSON' },
  },
} as const satisfies CommandSpec;

export async function runAnalyze({ values, positionals: [file] }: ArgsOf<typeof ANALYZE>, io: CliIo): Promise<number> {
  const opts = { file, targets: values.target, json: values.json };
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
  io.out(opts.json ? JSON.stringify(analysisToJson(report), null, 2) : analysisToText(report));
  return report.budgets.some((b) => b.ok === false) ? 1 : 0;
}

export const analyzeCommand = defineCommand(ANALYZE, runAnalyze);
