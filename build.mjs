// Bundles the extension host, the language server and the CLI with esbuild. Type checking is a separate step
// (`npm run typecheck`), as in rust-analyzer's and Langium's builds: esbuild strips types without checking them.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** One entry per bundle: [source, output, platform]. Node bundles are CommonJS; `vscode` is provided by the host. */
const bundles = [
  { entry: 'extension/main.ts', out: 'dist/extension.js', platform: 'node', external: ['vscode'] },
  { entry: 'language/src/server/main.ts', out: 'dist/server.js', platform: 'node', external: [] },
  { entry: 'cli/bin.ts', out: 'dist/cli.js', platform: 'node', external: ['onnxruntime-node'] },
  // The onnxruntime-node worker: its own process, so a native fault never takes its parent down.
  { entry: 'engine/runtime/worker.ts', out: 'dist/runtime-worker.js', platform: 'node', external: ['onnxruntime-node'] },
  // Panels: browser IIFE bundles served from dist/webviews (the only localResourceRoot of the webviews).
  { entry: 'webviews/resources/main.ts', out: 'dist/webviews/resources.js', platform: 'browser', external: [] },
  { entry: 'webviews/schedule/main.ts', out: 'dist/webviews/schedule.js', platform: 'browser', external: [] },
  { entry: 'webviews/run/main.ts', out: 'dist/webviews/run.js', platform: 'browser', external: [] },
  { entry: 'webviews/shared/panel.css', out: 'dist/webviews/panel.css', platform: 'browser', external: [] },
];

const contexts = await Promise.all(
  bundles.map((b) =>
    esbuild.context({
      entryPoints: [b.entry],
      outfile: b.out,
      bundle: true,
      platform: b.platform,
      format: b.platform === 'node' ? 'cjs' : 'iife',
      target: b.platform === 'node' ? 'node20' : 'es2022',
      external: b.external,
      sourcemap: true,
      minify: production,
      logLevel: 'warning',
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`esbuild: built ${bundles.map((b) => b.out).join(', ')}`);
}
