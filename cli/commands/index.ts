/** The table of `m3v` subcommands; each lives in its own module. Add a command by adding one line here. */
import type { CliCommand } from '../args';
import { checkCommand } from './check';
import { analyzeCommand } from './analyze';
import { scheduleCommand } from './schedule';
import { simulateCommand } from './simulate';
import { exportOnnxCommand } from './exportOnnx';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { exportWeightsCommand } from './exportWeights';
import { exploreCommand } from './explore';

export const COMMANDS: CliCommand[] = [checkCommand, analyzeCommand, scheduleCommand, simulateCommand, exportOnnxCommand, runCommand, exportWeightsCommand, serveCommand, exploreCommand];
