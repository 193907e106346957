/** The explore worker of the Node language server (dist/server-explore-worker.js, a worker_thread): see exploreJob.ts. */
import { parentPort } from 'node:worker_threads';
import { createExploreHandler, type ExploreWorkerRequest } from './exploreJob';

const port = parentPort;
if (!port) throw new Error('server-explore-worker.js runs as a worker thread of the M3V language server');
const handle = createExploreHandler((message) => port.postMessage(message));
port.on('message', (request: ExploreWorkerRequest) => handle(request));
