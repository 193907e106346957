/** Process entry of `m3v` (bundled to dist/cli.js): runs the command line with the real stdout/stderr. */
import { main } from './main';
import { nodeIo } from './io';

main(process.argv.slice(2), nodeIo).then((code) => {
  process.exitCode = code;
});
