/**
 * The cycle model: how many clock cycles one operation takes on the declared units of a hardware target.
 * Every formula is documented in docs/schedule.md with the Edge-MoE source it follows (sharc-lab/Edge-MoE,
 * src/linear.cpp, src/attention.cpp, src/moe.cpp). Pure arithmetic; no scheduling here.
 */
import type { HardwareTarget } from '../design';
import { formatBits } from '../design';

/**
 * Width of one off-chip port beat, bytes. Edge-MoE's five m_axi bundles are all 256-bit
 * (AXI_XFER_BIT_WIDTH); activations stream through them at one beat per cycle at best.
 */
export const PORT_BYTES_PER_BEAT = 32;

/**
 * Fixed start-up of every operation (pipeline fill plus the first off-chip read's latency), in cycles.
 * An ASSUMPTION, not a measurement: the order of an m_axi read latency plus the depth of a 16-input adder tree.
 * It matters only for many tiny operations (token_by_token computes one token at a time).
 */
export const OP_FILL_CYCLES = 32;

/** The per-target rates the formulas need, resolved once per frame. */
export interface Rates {
  clockHz: number;
  linIn: number;
  linOut: number;
  attRows: number;
  attDims: number;
  /** Bytes per weight value. */
  weightBytes: number;
  /** Bytes per activation value. */
  actBytes: number;
  /** Off-chip bytes per cycle for weight loads: declared bandwidth ÷ clock. */
  loadBytesPerCycle: number;
  /** Off-chip bytes per cycle one activation stream gets: min(one 256-bit beat, bandwidth ÷ clock). */
  actBytesPerCycle: number;
}

export function ratesOf(target: HardwareTarget): Rates {
  const loadBytesPerCycle = target.bandwidthBytesPerSec / target.clockHz;
  return {
    clockHz: target.clockHz,
    linIn: Math.max(1, Math.floor(target.linear.inputs)),
    linOut: Math.max(1, Math.floor(target.linear.outputs)),
    attRows: Math.max(1, Math.floor(target.attention.rows)),
    attDims: Math.max(1, Math.floor(target.attention.dims)),
    weightBytes: formatBits(target.weights) / 8,
    actBytes: formatBits(target.acts) / 8,
    loadBytesPerCycle,
    actBytesPerCycle: Math.min(PORT_BYTES_PER_BEAT, loadBytesPerCycle),
  };
}

/** Cycles to stream `values` activation values of `bytesPerValue` bytes through one port. */
export function streamCycles(values: number, bytesPerValue: number, r: Rates): number {
  return Math.ceil((values * bytesPerValue) / r.actBytesPerCycle);
}

/**
 * A linear layer of `rows` tokens, in → out, on the `linIn × linOut` MAC array (Edge-MoE compute_linear:
 * `iters = length × ⌈out/16⌉ × ⌈in/16⌉`, pipelined at II 1), in a dataflow with the activation read and write
 * streams, so the slowest of the three sets the pace. `inBytesPerValue` is the input activation width
 * (8-bit pixels for the patch embedding, `acts` otherwise); `accumulate` marks the expert FC2 whose output rows are
 * read-modify-written (Edge-MoE write_out_stream_indirect with use_score).
 */
export function linearCycles(
  rows: number,
  inDim: number,
  outDim: number,
  r: Rates,
  options: { inBytesPerValue?: number; accumulate?: boolean } = {},
): number {
  if (rows <= 0) return 0;
  const macs = rows * Math.ceil(inDim / r.linIn) * Math.ceil(outDim / r.linOut);
  const read = rows * streamCycles(inDim, options.inBytesPerValue ?? r.actBytes, r);
  // An accumulating output (out[token] += score·y) is read, then written: two streams through the port.
  const write = rows * streamCycles(outDim, r.actBytes, r) * (options.accumulate ? 2 : 1);
  return OP_FILL_CYCLES + Math.max(macs, read, write);
}

/**
 * Q·Kᵀ or attention·V over `tokens` tokens of width `dim` (all heads), Edge-MoE's reordered attention
 * (src/attention.cpp): P = `rows` query rows share one pass over all keys; a pass handles one key (value) row per
 * step, `dims` dims per cycle, so a step takes ⌈dim/dims⌉ cycles — or longer if streaming the K/V row through one
 * port (⌈dim·acts/32⌉ beats) or emitting the P softmax-stat/score rows (P cycles) is slower. Passes: the rotated
 * windows give ⌊(N+P−1)/P⌋ full passes plus a last partial pass of (N+P−1) mod P key steps.
 */
export function attentionCycles(tokens: number, dim: number, r: Rates): number {
  if (tokens <= 0) return 0;
  const p = r.attRows;
  const fullPasses = Math.floor((tokens + p - 1) / p);
  const tailSteps = (tokens + p - 1) % p;
  const steps = fullPasses * tokens + tailSteps;
  const perStep = Math.max(Math.ceil(dim / r.attDims), streamCycles(dim, r.actBytes, r), p);
  return OP_FILL_CYCLES + steps * perStep;
}

/**
 * The router of one MoE layer over `tokens` tokens: logits (d_gate → E) on the gating unit, modelled with the
 * linear array's shape, then one cycle per expert per token for the running softmax and the insertion top-k
 * (Edge-MoE's update_softmax_info/top_k walk the E logits one by one).
 */
export function gateCycles(tokens: number, gateIn: number, experts: number, r: Rates): number {
  if (tokens <= 0) return 0;
  const perToken = Math.ceil(gateIn / r.linIn) * Math.ceil(experts / r.linOut) + experts;
  return OP_FILL_CYCLES + Math.max(tokens * perToken, tokens * streamCycles(gateIn, r.actBytes, r));
}

/**
 * An element-wise pass (LayerNorm, residual add, zeroing, upsampling) over `values` activations kept off chip:
 * `passes` streams of the tensor through one port (LayerNorm: 2 — statistics, then normalise-and-write).
 */
export function vectorCycles(values: number, passes: number, r: Rates): number {
  if (values <= 0) return 0;
  return OP_FILL_CYCLES + passes * streamCycles(values, r.actBytes, r);
}

/** Cycles to load `bytes` of weights at the declared off-chip bandwidth. */
export function loadCycles(bytes: number, r: Rates): number {
  if (bytes <= 0) return 0;
  return OP_FILL_CYCLES + Math.ceil(bytes / r.loadBytesPerCycle);
}

/** Bytes of a weight matrix in → out with its bias, at the target's weight format. */
export function linearWeightBytes(inDim: number, outDim: number, r: Rates): number {
  return Math.ceil((inDim * outDim + outDim) * r.weightBytes);
}
