/**
 * `m3v simulate FILE --scenario S [--target T] [--strategy S] [--json]`: a task-switching scenario frame by frame,
 * per strategy — start, latency, switch overhead, deadline met or missed, totals and energy. Exit 0 ok (missed
 * deadlines are results, not errors; budgets are `m3v analyze`'s), 1 design errors, 2 bad usage.
 */
import { STRATEGIES, type Strategy } from '../../engine/design';
import { ScheduleRequestError, simulateScenario } from '../../engine/schedule/index';
import type { ScenarioResult } from '../../engine/schedule/index';
import { UsageError, type CliCommand, type CliIo } from '../io';
import { loadDesign, parseOptions } from './design-input';
import { scenarioJsonChunks, scenarioLines, writeBatched } from './simulate-text';

const USAGE = 'm3v simulate FILE --scenario S [--target T] [--strategy S] [--json]';

export async function runSimulate(args: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(args, ['scenario', 'target', 'strategy'], ['json'], USAGE);
  const loaded = loadDesign(opts.file, io);
  if (!loaded) return 1;
  const { design, traces } = loaded;
  const scenario = opts.values.get('scenario') ?? (design.scenarios.length === 1 ? design.scenarios[0].name : undefined);
  if (scenario === undefined)
    throw new UsageError(`--scenario is required; scenarios: ${design.scenarios.map((s) => s.name).join(', ') || '(none declared)'}`);
  const strategy = opts.values.get('strategy');
  if (strategy !== undefined && !STRATEGIES.includes(strategy as Strategy))
    throw new UsageError(`unknown strategy '${strategy}'; strategies: ${STRATEGIES.join(', ')}`);
  let result: ScenarioResult;
  try {
    result = simulateScenario(design, scenario, { target: opts.values.get('target'), strategy: strategy as Strategy | undefined, traces });
  } catch (error) {
    if (error instanceof ScheduleRequestError) throw new UsageError(error.message);
    throw error;
  }
  // Batched: a 999,999-frame scenario is more text than one string can hold ("Invalid string length").
  // JSON pieces are joined by newlines, which JSON allows between tokens; each batch is one io.out line.
  if (opts.flags.has('json')) writeBatched(scenarioJsonChunks(result), (t) => io.out(t), '\n');
  else writeBatched(scenarioLines(result), (t) => io.out(t), '\n');
  return 0;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  synopsis: 'simulate FILE --scenario S [--target T] [--strategy S] [--json]',
  summary: 'task-switching scenario per strategy: frames, switch overhead, deadlines, energy',
  run: runSimulate,
};
