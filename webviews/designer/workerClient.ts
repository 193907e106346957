/**
 * The page's side of the language worker: `update`/`select` are fire-and-forget (the worker answers with an
 * `analysis` message the page routes to markers and panels); completion, hover and format are request/response.
 */
import type { AnalysisMessage, PageRequest, ReplyResults, WorkerReply } from './workerProtocol';

/** A request with its id left to the client. */
type Query = Exclude<PageRequest, { type: 'update' } | { type: 'select' }>;
type Unsent<Q> = Q extends Query ? Omit<Q, 'id'> : never;

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly worker: Worker,
    onAnalysis: (message: AnalysisMessage) => void,
    onError: (message: string) => void,
  ) {
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      const m = event.data;
      if (m.type === 'analysis') return onAnalysis(m);
      if (m.type === 'error') {
        if (m.id !== undefined) this.settle(m.id)?.reject(new Error(m.message));
        return onError(m.message);
      }
      this.settle(m.id)?.resolve(m.result as never);
    });
    worker.addEventListener('error', (event) => onError(`language worker failed: ${event.message}`));
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  /** Asks the worker; the answer's type follows the request's (`ReplyResults`). */
  ask<Q extends Unsent<Query>>(query: Q): Promise<ReplyResults[Q['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...query, id });
    });
  }

  update(uri: string, version: number, text: string): void {
    this.worker.postMessage({ type: 'update', uri, version, text } satisfies PageRequest);
  }

  select(uri: string, selection: { task?: string; target?: string; compare?: boolean; scenario?: string | null }): void {
    this.worker.postMessage({ type: 'select', uri, ...selection } satisfies PageRequest);
  }
}
