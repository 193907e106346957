/** The heavy-work worker of the Node language server (dist/heavy-worker.js, a `worker_threads` Worker): see jobs.ts. */
import { parentPort } from 'node:worker_threads';
import { createHeavyHandler, type HeavyRequest } from './jobs';

const port = parentPort;
if (!port) throw new Error('heavy-worker.js runs as a worker thread of the M3V language server');
const handle = createHeavyHandler((message) => port.postMessage(message));
port.on('message', (request: HeavyRequest) => handle(request));
