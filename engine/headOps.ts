/**
 * The task heads as operations on the accelerator's units, shared by the schedule (what runs) and the memory plan
 * (which matrices pass through the weight buffers). Pure arithmetic on the model; no scheduling here.
 */
import type { ModelSpec, TaskSpec } from './design';

/** Head parameters outside its linears: LayerNorm(D) of pup and cls heads, and pup's 4 BatchNorms (γ, β). */
export function headNormParams(model: ModelSpec, task: TaskSpec): number {
  const head = task.head;
  switch (head.kind) {
    case 'linear':
      return 0;
    case 'cls':
      return 2 * model.dim;
    case 'pup':
      return 2 * model.dim + 4 * 2 * head.width;
  }
}

export type HeadOp =
  | { kind: 'linear'; op: string; rows: number; inDim: number; outDim: number }
  | { kind: 'vector'; op: string; values: number; passes: number };

/**
 * The head of a task as operations: `linear` = per-patch linear + bilinear upsampling to the input size;
 * `cls` = one linear on the cls token; `pup` = M3ViT VisionTransformerUpHead: LayerNorm, then 4 × conv3x3 (BN folded,
 * ReLU fused) with ×2 bilinear upsampling between, conv1x1 to the outputs, and a final upsampling to the input.
 * A k×k convolution is an im2col linear: rows = output pixels, in = k·k·C_in, out = C_out.
 */
export function headOps(model: ModelSpec, task: TaskSpec): HeadOp[] {
  const gh = Math.floor(model.input.height / model.patch.height);
  const gw = Math.floor(model.input.width / model.patch.width);
  const patches = gh * gw;
  const fullPixels = model.input.height * model.input.width;
  const head = task.head;
  switch (head.kind) {
    case 'cls':
      return [
        { kind: 'vector', op: 'head_norm', values: model.dim, passes: 2 },
        { kind: 'linear', op: 'head', rows: 1, inDim: model.dim, outDim: head.count },
      ];
    case 'linear':
      return [
        { kind: 'linear', op: 'head', rows: patches, inDim: model.dim, outDim: head.count },
        { kind: 'vector', op: 'upsample', values: fullPixels * head.count, passes: 1 },
      ];
    case 'pup': {
      const ops: HeadOp[] = [{ kind: 'vector', op: 'head_norm', values: patches * model.dim, passes: 2 }];
      let pixels = patches;
      let channels = model.dim;
      for (let i = 0; i < 4; i++) {
        if (i > 0) {
          pixels *= 4;
          ops.push({ kind: 'vector', op: `up${i}`, values: pixels * channels, passes: 1 });
        }
        ops.push({ kind: 'linear', op: `conv${i + 1}`, rows: pixels, inDim: 9 * channels, outDim: head.width });
        channels = head.width;
      }
      ops.push({ kind: 'linear', op: 'conv_out', rows: pixels, inDim: channels, outDim: head.count });
      ops.push({ kind: 'vector', op: 'upsample', values: fullPixels * head.count, passes: 1 });
      return ops;
    }
  }
}
