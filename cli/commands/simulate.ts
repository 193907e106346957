/**
 * `m3v simulate FILE --scenario S [--target T] [--strategy S] [--json]`: a task-switching scenario frame by frame,
 * per strategy — start, latency, switch overhead, deadline met or missed, totals and energy. Exit 0 ok (missed
 * deadlines are results, not errors; budgets are `m3v analyze`'s), 1 design errors, 2 bad usage.
 */
import { STRATEGIES, type Strategy } from '../../engine/design';
import { ScheduleRequestError, simulateScenario } from '../../engine/schedule/index';
import type { ScenarioResult } from '../../engine/schedule/index';
import { UsageError, type CliIo } from '../io';
import { defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { loadDesign } from './design-input';
import { scenarioJsonChunks, scenarioLines, writeBatched } from './simulate-text';

const SIMULATE = {
  name: 'simulate',
  summary: 'task-switching scenario per strategy: frames, switch overhead, deadlines, energy',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    scenario: { type: 'string', value: 'S', help: 'the scenario to run (needed when the design declares more than one)' },
    target: { type: 'string', value: 'T', help: 'the hardware target (default: the first declared)' },
    strategy: { type: 'string', value: 'S', help: 'one strategy only (default: every strategy)' },
    json: { type: 'boolean', help: 'the frames and totals as JSON' },
  },
} as const satisfies CommandSpec;

export async function runSimulate({ values, positionals: [file] }: ArgsOf<typeof SIMULATE>, io: CliIo): Promise<number> {
  const loaded = loadDesign(file, io);
  if (!loaded) return 1;
  const { design, traces } = loaded;
  const scenario = values.scenario ?? (design.scenarios.length === 1 ? design.scenarios[0].name : undefined);
  if (scenario === undefined)
    throw new UsageError(`--scenario is required; scenarios: ${design.scenarios.map((s) => s.name).join(', ') || '(none declared)'}`);
  const strategy = values.strategy;
  if (strategy !== undefined && !STRATEGIES.includes(strategy as Strategy))
    throw new UsageError(`unknown strategy '${strategy}'; strategies: ${STRATEGIES.join(', ')}`);
  let result: ScenarioResult;
  try {
    result = simulateScenario(design, scenario, { target: values.target, strategy: strategy as Strategy | undefined, traces });
  } catch (error) {
    if (error instanceof ScheduleRequestError) throw new UsageError(error.message);
    throw error;
  }
  // Batched: a 999,999-frame scenario is more text than one string can hold ("Invalid string length").
  // JSON pieces are joined by newlines, which JSON allows between tokens; each batch is one io.out line.
  if (values.json) writeBatched(scenarioJsonChunks(result), (t) => io.out(t), '\n');
  else writeBatched(scenarioLines(result), (t) => io.out(t), '\n');
  return 0;
}

export const simulateCommand = defineCommand(SIMULATE, runSimulate);
