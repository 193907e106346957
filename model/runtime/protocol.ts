/**
 * Messages between the model runner (parent) and its onnxruntime-node worker process (runtime-worker.js). Sent over
 * Node's IPC channel with `serialization: 'advanced'`, so typed arrays cross as they are.
 */
export interface TensorData {
  dims: number[];
  /** float32 or int64 outputs; int64 arrive as BigInt64Array. */
  data: Float32Array | BigInt64Array;
}

export type ToWorker =
  | { type: 'load'; model: Uint8Array; threads: number }
  | { type: 'run'; id: number; image: Float32Array; dims: number[]; task: number };

/** Where the worker is, reported as it goes (a big model takes seconds to load; a run can take as long). */
export type ProgressStage = 'loading' | 'running' | 'collecting';

export type FromWorker =
  | { type: 'progress'; stage: ProgressStage; id?: number }
  | { type: 'loaded'; ms: number }
  | { type: 'result'; id: number; outputs: Record<string, TensorData>; ms: number }
  | { type: 'error'; id?: number; message: string };
