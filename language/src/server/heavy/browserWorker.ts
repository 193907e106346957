/** The heavy-work worker of the browser designer's language server (dist/designer/heavy.worker.js): see jobs.ts. */
import { createHeavyHandler, type HeavyRequest } from './jobs';

const scope = self as unknown as { postMessage(message: unknown): void; addEventListener(type: 'message', fn: (e: MessageEvent<HeavyRequest>) => void): void };
const handle = createHeavyHandler((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => handle(event.data));
