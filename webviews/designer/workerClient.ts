/**
 * The page's side of the language worker: `update`/`select` are fire-and-forget (the worker answers with an
 * `analysis` message the page routes to markers and panels); completion, hover and format are request/response.
 */
import type { CompletionItem, Hover, Position, TextEdit } from 'vscode-languageserver-types';
import type { AnalysisMessage, PageRequest, WorkerReply } from './workerProtocol';

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
      const p = this.settle(m.id);
      if (!p) return;
      if (m.type === 'completion') p.resolve(m.items as never);
      else if (m.type === 'hover') p.resolve(m.hover as never);
      else p.resolve(m.edits as never);
    });
    worker.addEventListener('error', (event) => onError(`language worker failed: ${event.message}`));
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  private request<T>(make: (id: number) => PageRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      this.worker.postMessage(make(id));
    });
  }

  update(uri: string, version: number, text: string): void {
    this.worker.postMessage({ type: 'update', uri, version, text } satisfies PageRequest);
  }

  select(uri: string, selection: { task?: string; target?: string; compare?: boolean; scenario?: string | null }): void {
    this.worker.postMessage({ type: 'select', uri, ...selection } satisfies PageRequest);
  }

  completion(uri: string, position: Position): Promise<CompletionItem[]> {
    return this.request((id) => ({ type: 'completion', id, uri, position }));
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request((id) => ({ type: 'hover', id, uri, position }));
  }

  format(uri: string): Promise<TextEdit[]> {
    return this.request((id) => ({ type: 'format', id, uri }));
  }
}
