/**
 * How much memory `m3v run`, `export-onnx` and `export-weights` will need, estimated from the design BEFORE any
 * weight is allocated, and the `--max-memory` budget it is checked against (default: 75 % of the memory the machine
 * has free now). A design over the budget is refused with both figures instead of allocating until the process dies
 * (the shipped stress.m3v asked for ~170 GB; `experts 4096` for 7.2 GB before failing).
 *
 * The factors are measured, not derived (docs/limits.md): peak RSS over float32 weight bytes was 5.8× for
 * export-onnx and 5.9× for run (edge-moe-zcu102 with 16 and 256 experts: 517 MB at 18.0 M parameters, 5.55 GB at
 * 232 M) — the weights map, the graph's initializers, the encoded protobuf, its copy to the runner's child process
 * and onnxruntime's own copy — and 2× for export-weights (the tensors and the file bytes).
 */
import { freemem } from 'node:os';
import { headDim, tokenCount, type Design } from '../../engine/design';
import { countParams } from '../../engine/costs/params';
import { formatSize } from '../../node/safeFiles';
import { UsageError } from '../io';

export type MemoryUse = 'run' | 'export-onnx' | 'export-weights';

const WEIGHT_COPIES: Record<MemoryUse, number> = { run: 6, 'export-onnx': 6, 'export-weights': 2 };
/** Node, the bundle and onnxruntime before any weight: ~100 MB measured for the smallest sample. */
const BASELINE_BYTES = 128 * 1024 * 1024;

export interface MemoryEstimate {
  weightBytes: number;
  activationBytes: number;
  totalBytes: number;
}

/** Peak bytes of one inference's activations in onnxruntime: the widest token tensors and the attention scores. */
function activationBytes(design: Design): number {
  const m = design.model;
  const N = tokenCount(m);
  const widest = Math.max(3 * m.dim, m.mlpHidden, m.moe ? m.moe.topK * m.moe.hidden : 0);
  // Scores and softmax of every head ([heads, N, N] twice), plus a few live [N, widest] tensors; float32.
  const attention = 2 * m.heads * N * N;
  const tokens = 4 * N * Math.max(widest, headDim(m) * m.heads);
  const image = m.input.channels * m.input.height * m.input.width * 2;
  return 4 * (attention + tokens + image);
}

export function estimateMemory(design: Design, use: MemoryUse): MemoryEstimate {
  const weightBytes = 4 * countParams(design).total;
  const activations = use === 'run' ? activationBytes(design) : 0;
  return { weightBytes, activationBytes: activations, totalBytes: BASELINE_BYTES + WEIGHT_COPIES[use] * weightBytes + activations };
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** `--max-memory 2GB` (binary multiples: 1 GB = 1024³ bytes), or the default from the free memory. */
export function memoryBudget(text: string | undefined): { bytes: number; source: string } {
  if (text === undefined) {
    const free = freemem();
    return { bytes: Math.floor(0.75 * free), source: `75 % of the ${formatSize(free)} free now; set --max-memory to change it` };
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isFinite(bytes) || bytes <= 0) throw new UsageError(`--max-memory must be a size such as 2GB or 512MB, got '${text}'`);
  return { bytes, source: '--max-memory' };
}

/** Refuses, with the figures, a design whose estimate is over the budget; nothing has been allocated yet. */
export function checkMemory(design: Design, use: MemoryUse, budgetText: string | undefined): MemoryEstimate {
  const estimate = estimateMemory(design, use);
  const budget = memoryBudget(budgetText);
  if (estimate.totalBytes > budget.bytes) {
    const parts = [`${formatSize(estimate.weightBytes)} of float32 weights (${countParams(design).total} parameters) × ${WEIGHT_COPIES[use]} copies`];
    if (estimate.activationBytes > 0) parts.push(`${formatSize(estimate.activationBytes)} of activations`);
    throw new UsageError(
      `the design needs about ${formatSize(estimate.totalBytes)} of memory (${parts.join(' + ')}), over the budget of ${formatSize(budget.bytes)} (${budget.source}); shrink the model or raise --max-memory`,
    );
  }
  return estimate;
}
