/**
 * Runs an ONNX model in a child process (runtime-worker.js) with a typed message protocol: load once, run many times
 * (a task switch changes an input, not the session), cancel by signal, and survive crashes — a worker that dies
 * turns the pending run into a clear error, and the next run starts a fresh worker and reloads the model.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FromWorker, ProgressStage, TensorData, ToWorker } from './protocol';

export interface RunOutput {
  outputs: Record<string, TensorData>;
  /** Wall time of session.run inside the worker. */
  ms: number;
}

/** dist/runtime-worker.js beside the bundle that uses it (dist/cli.js, dist/extension.js), or built in dist/. */
export function defaultWorkerPath(): string {
  const beside = join(__dirname, 'runtime-worker.js');
  return existsSync(beside) ? beside : join(__dirname, '..', '..', 'dist', 'runtime-worker.js');
}

export class ModelRunner {
  private child: ChildProcess | undefined;
  private loaded: Promise<number> | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: RunOutput) => void; reject: (e: Error) => void }>();
  /** Called as the worker loads the model (`loading`) and runs a frame (`running`, `collecting`, with the run's id). */
  onProgress: ((stage: ProgressStage, runId?: number) => void) | undefined;

  constructor(
    private readonly model: Uint8Array,
    private readonly threads: number,
    private readonly workerPath = defaultWorkerPath(),
  ) {}

  /** The worker's process id while it runs (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker and loads the model if needed; resolves with the load time in ms. */
  load(): Promise<number> {
    if (this.loaded) return this.loaded;
    if (!existsSync(this.workerPath)) return Promise.reject(new Error(`model worker not found at ${this.workerPath} (run the build)`));
    const child = fork(this.workerPath, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-2000)));
    this.loaded = new Promise<number>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'progress') this.onProgress?.(message.stage, message.id);
        else if (message.type === 'loaded') resolve(message.ms);
        else if (message.type === 'error' && message.id === undefined) reject(new Error(`the model did not load: ${message.message}`));
        else if (message.type === 'result' || message.type === 'error') this.settle(message);
      };
      child.on('message', onMessage);
      child.on('exit', (code, signal) => {
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        const detail = stderr.trim().split('\n').pop();
        const error = new Error(`the model process stopped unexpectedly (${why})${detail ? `: ${detail}` : ''}; it restarts on the next run`);
        reject(error);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
        if (this.child === child) {
          this.child = undefined;
          this.loaded = undefined;
        }
      });
    });
    this.post({ type: 'load', model: this.model, threads: this.threads });
    return this.loaded;
  }

  /** Runs one frame for task index `task`; an aborted signal kills the worker (the next run restarts it). */
  async run(image: Float32Array, dims: number[], task: number, signal?: AbortSignal): Promise<RunOutput> {
    if (signal?.aborted) throw new Error('cancelled');
    await this.load();
    if (signal?.aborted) throw new Error('cancelled'); // aborted while the model was loading
    const id = this.nextId++;
    const result = new Promise<RunOutput>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const onAbort = () => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      this.child?.kill('SIGKILL');
      p?.reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.post({ type: 'run', id, image, dims, task });
    try {
      return await result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  dispose(): void {
    this.child?.kill();
    this.child = undefined;
    this.loaded = undefined;
  }

  private post(message: ToWorker): void {
    // A child killed or crashed just before this write fails it with EPIPE; the child's 'exit' handler then rejects
    // every pending run with the reason (signal or code), the clear error, so the write error itself is dropped here.
    if (!this.child) throw new Error('the model process is not running; it restarts on the next run');
    try {
      this.child.send(message, () => undefined);
    } catch {
      // the channel was already closed: same as above
    }
  }

  private settle(message: Extract<FromWorker, { type: 'result' | 'error' }>): void {
    const p = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!p || message.id === undefined) return;
    this.pending.delete(message.id);
    if (message.type === 'result') p.resolve({ outputs: message.outputs, ms: message.ms });
    else p.reject(new Error(`the model run failed: ${message.message}`));
  }
}
