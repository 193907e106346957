/**
 * The `m3v` command line: a face over language/ and engine/ like the extension. Each subcommand lives in
 * cli/commands/<name>.ts and returns an exit code; user errors are `UsageError`s printed as one line, never a stack.
 */
import { COMMANDS } from './commands/index';
import { FileRefusal } from '../node/safeFiles';
import { UsageError, type CliIo } from './io';

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`m3v: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // A refused path (not a regular file, too large, an output naming an input) is the user's, like a usage error.
    if (error instanceof UsageError || error instanceof FileRefusal) {
      io.err(`m3v ${name}: ${error.message}`);
      return 2;
    }
    // A bug of ours, not the user's: say so plainly, with the detail needed for a report.
    io.err(`m3v ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 3;
  }
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.synopsis.length));
  return [
    'usage: m3v <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.synopsis.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 the design has errors (or a check failed), 2 bad usage or unreadable input, 3 internal error.',
  ].join('\n');
}
