/**
 * `m3v serve [FILE|FOLDER] [--port N]`: the browser designer on http://127.0.0.1:PORT/ — monaco-editor with the
 * language services, and the Resources and Schedule panels — for the designs in FOLDER (default: the current
 * folder) and the samples shipped with m3v. Edits stay in the page until the user saves or downloads. Runs until
 * interrupted (Ctrl+C). Exit 2 for bad usage (missing path, port in use).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type CliIo } from '../io';
import { withArgs, type ArgsOf, type CliCommand, type CommandSpec } from '../args';
import { startDesignerServer } from '../serve/server';
import type { ServedRoots } from '../serve/designFiles';

export const DEFAULT_PORT = 7733;

const SERVE = {
  name: 'serve',
  summary: 'the browser designer (monaco-editor, live panels) on http://127.0.0.1, for FOLDER and the samples',
  positionals: { usage: '[FILE|FOLDER]', what: 'file or folder', min: 0, max: 1, default: '.' },
  options: {
    port: { type: 'string', value: 'N', help: `the port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)` },
  },
} as const satisfies CommandSpec;

/** dist/ beside the bundle (dist/cli.js), or the repository's dist/ when run from source (tests). */
function distDir(): string {
  return existsSync(join(__dirname, 'designer')) ? __dirname : join(__dirname, '..', '..', 'dist');
}

function servedRoots(pathArg: string): ServedRoots {
  const path = resolve(pathArg);
  if (!existsSync(path)) throw new UsageError(`no such file or folder: ${pathArg}`);
  const isFile = statSync(path).isFile();
  if (isFile && !path.endsWith('.m3v')) throw new UsageError(`not a .m3v design: ${pathArg}`);
  const workspace = isFile ? dirname(path) : path;
  const samples = resolve(distDir(), '..', 'samples');
  return { workspace, initialFile: isFile ? path : undefined, samples: existsSync(samples) && samples !== workspace ? samples : undefined };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got '${text}'`);
  return port;
}

/** Resolves when the server stops: on SIGINT/SIGTERM, or when `stop` (tests) aborts. */
export function runServe(args: string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  return withArgs(SERVE, args, io, (parsed) => serve(parsed, io, stop));
}

async function serve({ values, positionals: [file] }: ArgsOf<typeof SERVE>, io: CliIo, stop?: AbortSignal): Promise<number> {
  const roots = servedRoots(file);
  const port = parsePort(values.port);
  const assets = distDir();
  if (!existsSync(join(assets, 'designer', 'main.js'))) throw new UsageError(`the designer is not built (${join(assets, 'designer')}): run npm run build`);
  let server;
  try {
    server = await startDesignerServer({ roots, port, distDir: assets });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use on 127.0.0.1: pass another with --port N (0 picks a free one)`);
    throw error;
  }
  io.out(`M3V designer: ${server.url}`);
  io.out(`serving ${roots.workspace}${roots.samples ? ` and the samples in ${roots.samples}` : ''} on 127.0.0.1 only; Ctrl+C stops`);
  await new Promise<void>((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    stop?.addEventListener('abort', finish, { once: true });
  });
  await server.close();
  return 0;
}

export const serveCommand: CliCommand = { spec: SERVE, run: (args, io) => runServe(args, io) };
