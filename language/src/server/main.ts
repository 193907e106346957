/**
 * The Node entry of the `.m3v` language server (bundled to dist/server.js). Works over `--stdio` and `--node-ipc`
 * (createConnection picks the transport from the command line). Node-only glue lives here: routing traces read from
 * disk (traceStore.ts) and the schedule worker as a `worker_threads` Worker (dist/heavy-worker.js, beside this file).
 * The server itself is server.ts, shared with the browser designer's worker (browser.ts).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { HeavyWorker } from './heavy/pool';
import type { HeavyReply } from './heavy/jobs';
import { startServer } from './server';
import { TraceStore } from './traceStore';
import type { ExploreWorkerPort } from './exploreRunner';
import type { ExploreWorkerReply } from './exploreJob';

function spawnHeavyWorker(): HeavyWorker {
  const worker = new Worker(join(__dirname, 'heavy-worker.js'));
  // The worker must never keep the server alive after the client has gone.
  worker.unref();
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => void worker.on('message', (reply: HeavyReply) => handler(reply)),
    onExit: (handler) => {
      worker.on('error', (error) => handler(error.message));
      worker.on('exit', (code) => handler(`exit code ${code}`));
    },
    terminate: () => void worker.terminate(),
  };
}

/** The explore worker (dist/server-explore-worker.js beside this file): explorations run there, never on this thread. */
function spawnExploreWorker(): ExploreWorkerPort {
  const worker = new Worker(join(__dirname, 'server-explore-worker.js'));
  worker.unref();
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => void worker.on('message', (reply: ExploreWorkerReply) => handler(reply)),
    onExit: (handler) => {
      worker.on('error', (error) => handler(error.message));
      worker.on('exit', (code) => handler(`exit code ${code}`));
    },
    terminate: () => void worker.terminate(),
  };
}

const traces = new TraceStore();
startServer(createConnection(ProposedFeatures.all), {
  loadTrace: (uri, path) => traces.load(uri, path),
  forgetTrace: (uri) => traces.forget(uri),
  traceProblem: (uri, path) => traces.problem(uri, path),
  spawnHeavyWorker,
  spawnExploreWorker,
});
