/**
 * The onnxruntime-node worker (bundled to dist/runtime-worker.js): holds one inference session and runs it on request.
 * It lives in its own process so that a native fault in onnxruntime never takes down the editor or the CLI.
 */
import * as ort from 'onnxruntime-node';
import type { FromWorker, TensorData, ToWorker } from './protocol';

let session: ort.InferenceSession | undefined;

function send(message: FromWorker): void {
  process.send?.(message);
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'load': {
      send({ type: 'progress', stage: 'loading' });
      const t0 = performance.now();
      // Threads are set deliberately: the default takes every core, which starves the editor on a 2-core laptop.
      session = await ort.InferenceSession.create(message.model, {
        intraOpNumThreads: message.threads,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
      });
      send({ type: 'loaded', ms: performance.now() - t0 });
      return;
    }
    case 'run': {
      if (!session) throw new Error('no model loaded');
      send({ type: 'progress', stage: 'running', id: message.id });
      const t0 = performance.now();
      const results = await session.run({
        image: new ort.Tensor('float32', message.image, message.dims),
        task: new ort.Tensor('int64', BigInt64Array.from([BigInt(message.task)]), []),
      });
      const ms = performance.now() - t0;
      send({ type: 'progress', stage: 'collecting', id: message.id });
      const outputs: Record<string, TensorData> = {};
      for (const [name, tensor] of Object.entries(results)) {
        outputs[name] = { dims: [...tensor.dims], data: tensor.data as Float32Array | BigInt64Array };
      }
      send({ type: 'result', id: message.id, outputs, ms });
      return;
    }
  }
}

process.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) =>
    send({ type: 'error', id: message.type === 'run' ? message.id : undefined, message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
