/** Process entry of `m3v` (bundled to dist/cli.js): runs the command line with the real stdout/stderr. */
import { main } from './main';
import { nodeIo } from './io';

// `m3v schedule … --json | head` closes the pipe early: that is the reader's choice, not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2), nodeIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main() answers user errors with exit codes; a rejection here is a bug of ours: exit 3 (internal error).
    process.stderr.write(`m3v: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
