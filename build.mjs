// Bundles the extension host, the language server and the CLI with esbuild. Type checking is a separate step
// (`npm run typecheck`), as in rust-analyzer's and Langium's builds: esbuild strips types without checking them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** One entry per bundle: [source, output, platform]. Node bundles are CommonJS; `vscode` is provided by the host. */
const bundles = [
  { entry: 'extension/main.ts', out: 'dist/extension.js', platform: 'node', external: ['vscode'] },
  { entry: 'language/src/server/main.ts', out: 'dist/server.js', platform: 'node', external: [] },
  // The server's schedule worker (a worker_threads Worker started by dist/server.js from its own folder).
  { entry: 'language/src/server/heavy/nodeWorker.ts', out: 'dist/heavy-worker.js', platform: 'node', external: [] },
  { entry: 'cli/bin.ts', out: 'dist/cli.js', platform: 'node', external: ['onnxruntime-node'] },
  // The onnxruntime-node worker: its own process, so a native fault never takes its parent down.
  { entry: 'model/runtime/worker.ts', out: 'dist/runtime-worker.js', platform: 'node', external: ['onnxruntime-node'] },
  // The explore pool's worker_thread (node/explore-pool.ts), used by the CLI and the language server.
  { entry: 'node/explore-worker.ts', out: 'dist/explore-worker.js', platform: 'node', external: [] },
  // The language server's explore worker (language/src/server/exploreJob.ts), started by dist/server.js.
  { entry: 'language/src/server/exploreWorkerNode.ts', out: 'dist/server-explore-worker.js', platform: 'node', external: [] },
  { entry: 'language/src/server/exploreWorkerBrowser.ts', out: 'dist/designer/explore.worker.js', platform: 'browser', external: [] },
  { entry: 'webviews/explore/main.ts', out: 'dist/webviews/explore.js', platform: 'browser', external: [] },
  // Panels: browser IIFE bundles served from dist/webviews (the only localResourceRoot of the webviews).
  { entry: 'webviews/resources/main.ts', out: 'dist/webviews/resources.js', platform: 'browser', external: [] },
  { entry: 'webviews/schedule/main.ts', out: 'dist/webviews/schedule.js', platform: 'browser', external: [] },
  { entry: 'webviews/run/main.ts', out: 'dist/webviews/run.js', platform: 'browser', external: [] },
  { entry: 'webviews/shared/panel.css', out: 'dist/webviews/panel.css', platform: 'browser', external: [] },
  // The browser designer (`m3v serve`): monaco-editor with the language server in a worker, the panels in iframes.
  // main.js also emits main.css (monaco's styles) and codicon.ttf; dist/designer is served by `m3v serve` and packaged in the vsix (.vscodeignore).
  { entry: 'webviews/designer/main.ts', out: 'dist/designer/main.js', platform: 'browser', external: [], loader: { '.ttf': 'file' } },
  { entry: 'monaco-editor/esm/vs/editor/editor.worker.js', out: 'dist/designer/editor.worker.js', platform: 'browser', external: [] },
  // The same language server as dist/server.js, in the designer's web worker, and its schedule worker.
  { entry: 'language/src/server/browser.ts', out: 'dist/designer/language.worker.js', platform: 'browser', external: [] },
  { entry: 'language/src/server/heavy/browserWorker.ts', out: 'dist/designer/heavy.worker.js', platform: 'browser', external: [] },
  { entry: 'webviews/designer/panelShim.ts', out: 'dist/designer/panel-shim.js', platform: 'browser', external: [] },
  { entry: 'webviews/designer/theme.css', out: 'dist/designer/theme.css', platform: 'browser', external: [] },
  { entry: 'webviews/designer/designer.css', out: 'dist/designer/designer.css', platform: 'browser', external: [] },
];

/** Files the designer loads as they are: the Oniguruma WebAssembly that runs the TextMate grammar. */
const copies = [['node_modules/vscode-oniguruma/release/onig.wasm', 'dist/designer/onig.wasm']];

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
      loader: b.loader,
      sourcemap: true,
      // The designer's bundles are served to a browser and counted against its start-up budget: always minified.
      minify: production || b.out.startsWith('dist/designer/'),
      logLevel: 'warning',
    }),
  ),
);

for (const [from, to] of copies) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`esbuild: built ${bundles.map((b) => b.out).join(', ')}`);
}
