/** The table of `m3v` subcommands; each lives in its own module. Add a command by adding one line here. */
import type { CliCommand } from '../io';
import { checkCommand } from './check';

export const COMMANDS: CliCommand[] = [checkCommand];
