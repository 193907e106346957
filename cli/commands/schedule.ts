/**
 * `m3v schedule FILE --task T [--target T] [--strategy S] [--json]`: the simulated schedule of one frame — per layer
 * cycles, weight loads and experts used (text), or every event (JSON). Exit 0 ok, 1 design errors, 2 bad usage.
 */
import { STRATEGIES, type Strategy } from '../../engine/design';
import { ScheduleRequestError, simulateFrame } from '../../engine/schedule/index';
import type { FrameSchedule } from '../../engine/schedule/index';
import { UsageError, type CliIo } from '../io';
import { defineCommand, type ArgsOf, type CommandSpec } from '../args';
import { loadDesign } from './design-input';
import { scheduleText } from './schedule-text';

const SCHEDULE = {
  name: 'schedule',
  summary: 'simulated schedule of one frame: per-layer cycles, weight loads, experts used (or every event)',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    task: { type: 'string', value: 'T', help: 'the task to schedule (needed when the design has more than one)' },
    target: { type: 'string', value: 'T', help: 'the hardware target (default: the first declared)' },
    strategy: { type: 'string', value: 'S', help: "the strategy (default: the target's schedule)" },
    json: { type: 'boolean', help: 'every event as JSON' },
  },
} as const satisfies CommandSpec;

export async function runSchedule({ values, positionals: [file] }: ArgsOf<typeof SCHEDULE>, io: CliIo): Promise<number> {
  const loaded = loadDesign(file, io);
  if (!loaded) return 1;
  const { design, traces } = loaded;
  const task = values.task ?? (design.tasks.length === 1 ? design.tasks[0].name : undefined);
  if (task === undefined) throw new UsageError(`--task is required; tasks: ${design.tasks.map((t) => t.name).join(', ')}`);
  const target = values.target ?? design.targets[0]?.name;
  if (target === undefined) throw new UsageError('the design declares no hardware target to schedule on');
  const strategy = values.strategy;
  if (strategy !== undefined && !STRATEGIES.includes(strategy as Strategy))
    throw new UsageError(`unknown strategy '${strategy}'; strategies: ${STRATEGIES.join(', ')}`);
  let schedule: FrameSchedule;
  try {
    schedule = simulateFrame({ design, task, target, strategy: strategy as Strategy | undefined, traces });
  } catch (error) {
    if (error instanceof ScheduleRequestError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    const { clock_hz, makespan_cycles, events, summary, lanes } = schedule;
    io.out(JSON.stringify({ clock_mhz: clock_hz / 1e6, makespan_cycles, events, lanes, summary }));
  } else io.out(scheduleText(schedule, design.model.depth));
  return 0;
}

export const scheduleCommand = defineCommand(SCHEDULE, runSchedule);
