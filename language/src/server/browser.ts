/**
 * The browser entry of the `.m3v` language server: the SAME server (server.ts) in the designer's web worker
 * (dist/designer/language.worker.js), over `postMessage` with vscode-languageserver's BrowserMessageReader/Writer.
 * The page talks LSP to it (webviews/designer/lspClient.ts). Browser glue: routing traces fetched relative to the
 * design's URL (a synchronous request, allowed in a worker) and the schedule worker as a nested Web Worker.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import type { HeavyWorker } from './heavy/pool';
import type { HeavyReply } from './heavy/jobs';
import { startServer } from './server';
import { createTraceLoader, syncFetchText } from './traceFetch';
import type { ExploreWorkerPort } from './exploreRunner';
import type { ExploreWorkerReply } from './exploreJob';

// The worker's global scope: the reader/writer accept it as they accept a Worker (DOM typings lack WorkerGlobalScope).
const scope = self as unknown as Worker;

function spawnHeavyWorker(): HeavyWorker {
  const worker = new Worker('/designer/heavy.worker.js');
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => worker.addEventListener('message', (event: MessageEvent<HeavyReply>) => handler(event.data)),
    onExit: (handler) => worker.addEventListener('error', (event) => handler(event.message)),
    terminate: () => worker.terminate(),
  };
}

/** The designer's explore worker, a nested Web Worker like the schedule one. */
function spawnExploreWorker(): ExploreWorkerPort {
  const worker = new Worker('/designer/explore.worker.js');
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => worker.addEventListener('message', (event: MessageEvent<ExploreWorkerReply>) => handler(event.data)),
    onExit: (handler) => worker.addEventListener('error', (event) => handler(event.message)),
    terminate: () => worker.terminate(),
  };
}

const loadTrace = createTraceLoader(syncFetchText);
startServer(createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope)), {
  loadTrace,
  spawnHeavyWorker,
  spawnExploreWorker,
});
