/** The explore worker of the browser designer's language server (dist/designer/explore.worker.js): see exploreJob.ts. */
import { createExploreHandler, type ExploreWorkerRequest } from './exploreJob';

const scope = self as unknown as { postMessage(message: unknown): void; addEventListener(type: 'message', fn: (e: MessageEvent<ExploreWorkerRequest>) => void): void };
const handle = createExploreHandler((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => handle(event.data));
