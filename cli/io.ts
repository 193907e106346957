/** Output and errors of the CLI, injectable so tests run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const nodeIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
};

/** A mistake of the user's (bad flag, missing file): printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface CliCommand {
  name: string;
  synopsis: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}
