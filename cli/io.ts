/** Output and errors of the CLI, injectable so tests run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Control characters other than newline and tab, escaped as `\u001b` before they reach the terminal: file names,
 * trace paths and task text come from input a hostile repository controls. The escape is also valid inside a JSON
 * string (the only place such characters can appear in `--json` output), so JSON stays parseable.
 */
export function terminalSafe(text: string): string {
   
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const line = (text: string) => terminalSafe(text.endsWith('\n') ? text : text + '\n');
export const nodeIo: CliIo = {
  out: (text) => process.stdout.write(line(text)),
  err: (text) => process.stderr.write(line(text)),
};

/** A mistake of the user's (bad flag, missing file): printed as one line, exit code 2. */
export class UsageError extends Error {}
