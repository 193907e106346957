/**
 * The `m3v` command line: a face over language/ and engine/ like the extension. Each subcommand lives in
 * cli/commands/<name>.ts, declares its options once (cli/args.ts) and returns an exit code; user errors are
 * `UsageError`s printed as one line, never a stack.
 */
import { version } from '../package.json';
import { commandList } from './args';
import { COMMANDS } from './commands/index';
import { FileRefusal } from '../node/safeFiles';
import { UsageError, type CliIo } from './io';

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.out(`m3v ${version}`);
    return 0;
  }
  // `m3v help CMD` is `m3v CMD --help`.
  if (name === 'help' && rest.length > 0) return main([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) {
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    io.err(`m3v: ${what}. Commands: ${COMMANDS.map((c) => c.spec.name).join(', ')} (m3v --help).`);
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
  return [
    `m3v ${version}: model–accelerator co-design of multi-task MoE vision transformers on FPGAs`,
    '',
    'usage: m3v <command> [options]     m3v <command> --help for its options     m3v --version',
    '',
    ...commandList(COMMANDS.map((c) => c.spec)),
    '',
    'Exit codes: 0 ok, 1 the design has errors (or a check failed), 2 bad usage or unreadable input, 3 internal error.',
  ].join('\n');
}
