/**
 * The cycle model: how many clock cycles one operation takes on the declared units of a hardware target, through
 * the board's memory ports. Every formula follows the Edge-MoE HLS code it models (sharc-lab/Edge-MoE @ 984b23b:
 * src/linear.cpp, src/attention.cpp, src/moe.cpp, src/layernorm.cpp, src/conv.cpp), cited beside it, and is
 * documented in docs/schedule.md. Pure arithmetic; no scheduling here.
 *
 * Memory system: every stream goes through one processor-side port that moves at most `bits`/8 bytes a clock
 * (a 256-bit kernel master on a 128-bit Zynq UltraScale+ HP port moves 16 B a clock), and all streams running at
 * once share the DDR's sustained rate (`bandwidth`). Weights come through the weight port; activations through the
 * activation ports (with two or more, an operation's read and write streams run on separate ports, as Edge-MoE's
 * inout1–4 bundles do).
 */
import type { HardwareTarget } from '../design';
import { formatBits } from '../design';
import { KERNEL_AXI_BITS } from '../kernel';

export { KERNEL_AXI_BITS } from '../kernel';

/**
 * Fixed start-up of every operation (pipeline fill plus the first off-chip read's latency), in cycles.
 * An ASSUMPTION, not a measurement: the order of an m_axi read latency plus the depth of a 16-input adder tree.
 * It matters only for many tiny operations (token_by_token computes one token at a time).
 */
export const OP_FILL_CYCLES = 32;

/**
 * Initiation interval of the router's running-softmax loop: Edge-MoE src/moe.cpp line 207
 * (`update_softmax_info`: `#pragma HLS pipeline rewind II=3`, one expert per iteration).
 */
export const ROUTER_SOFTMAX_II = 3;

/** The per-target rates the formulas need, resolved once per frame. */
export interface Rates {
  clockHz: number;
  linIn: number;
  linOut: number;
  /** Identical linear arrays sharing each linear operation's output tiles. */
  linUnits: number;
  attRows: number;
  attDims: number;
  /** Bytes per weight value. */
  weightBytes: number;
  /** Bytes per activation value. */
  actBytes: number;
  /** The DDR's sustained bytes per cycle, shared by every stream running at once. */
  ddrBytesPerCycle: number;
  /** Bytes per cycle through the weight port: min(port, kernel master) / 8, at most the DDR's rate. */
  weightPortBytesPerCycle: number;
  /** Bytes per cycle through one activation port. */
  actPortBytesPerCycle: number;
  actPorts: number;
  /** Activation values a vector unit handles per cycle: one 256-bit block (Edge-MoE FEATURE_BLOCK_SIZE = 8). */
  laneValues: number;
  /** Loads wait for the compute before them, and computes for every load before them (`prefetch off`). */
  prefetch: boolean;
  /** A dedicated router unit (`gate_unit E x W`), or undefined: the router runs on the linear arrays. */
  gateUnit: { experts: number; width: number } | undefined;
}

export function ratesOf(target: HardwareTarget): Rates {
  const ddrBytesPerCycle = target.bandwidthBytesPerSec / target.clockHz;
  const port = (bits: number) => Math.min(Math.min(bits, KERNEL_AXI_BITS) / 8, ddrBytesPerCycle);
  const actBits = formatBits(target.acts);
  return {
    clockHz: target.clockHz,
    linIn: Math.max(1, Math.floor(target.linear.inputs)),
    linOut: Math.max(1, Math.floor(target.linear.outputs)),
    linUnits: Math.max(1, Math.floor(target.linear.units)),
    attRows: Math.max(1, Math.floor(target.attention.rows)),
    attDims: Math.max(1, Math.floor(target.attention.dims)),
    weightBytes: formatBits(target.weights) / 8,
    actBytes: actBits / 8,
    ddrBytesPerCycle,
    weightPortBytesPerCycle: port(target.memory.weightPortBits),
    actPortBytesPerCycle: port(target.memory.actPortBits),
    actPorts: Math.max(1, Math.floor(target.memory.actPorts)),
    laneValues: Math.max(1, Math.floor(KERNEL_AXI_BITS / actBits)),
    prefetch: target.memory.prefetch,
    gateUnit: target.gateUnit,
  };
}

/**
 * Cycles for activation streams that run at once, `bytes[i]` each: each stream has its own port while there are
 * ports enough (else they share them evenly), and all of them together share the DDR.
 */
export function streamCycles(bytes: readonly number[], r: Rates): number {
  let total = 0;
  let largest = 0;
  for (const b of bytes) {
    total += b;
    if (b > largest) largest = b;
  }
  if (total <= 0) return 0;
  const perPort = bytes.length <= r.actPorts ? largest : Math.max(largest, total / r.actPorts);
  return Math.ceil(Math.max(perPort / r.actPortBytesPerCycle, total / r.ddrBytesPerCycle));
}

/**
 * A linear layer of `rows` tokens, in → out, on the `linUnits` arrays of `linIn × linOut` MACs (Edge-MoE
 * src/linear.cpp compute_linear_on_stream: `iters = length × ⌈out/16⌉ × ⌈in/16⌉` at II 1; N arrays split the output
 * tiles), in a dataflow with the activation read and write streams (compute_linear, `#pragma HLS dataflow`), so the
 * slowest of the three sets the pace. `inBytesPerValue` is the input width (8-bit pixels for the patch embedding);
 * `accumulate` marks the expert FC2 whose output rows are read-modify-written through one port
 * (write_out_stream_indirect with use_score: `block_out += dst[dst_idx]; dst[dst_idx] = block_out`).
 */
export function linearCycles(
  rows: number,
  inDim: number,
  outDim: number,
  r: Rates,
  options: { inBytesPerValue?: number; accumulate?: boolean } = {},
): number {
  if (rows <= 0 || outDim <= 0) return 0;
  const macs = rows * Math.ceil(inDim / r.linIn) * Math.ceil(Math.ceil(outDim / r.linOut) / r.linUnits);
  const read = rows * inDim * (options.inBytesPerValue ?? r.actBytes);
  const write = rows * outDim * r.actBytes * (options.accumulate ? 2 : 1);
  return OP_FILL_CYCLES + Math.max(macs, streamCycles([read, write], r));
}

/**
 * The patch embedding's own unit (Edge-MoE src/conv.cpp patch_embed_accumulate_compute, line 89): each cycle one
 * 256-bit beat of 8-bit pixels (32 pixels = 2 patch columns of 16) times one block of 8 output dims, every kernel
 * column unrolled: ⌊32/PW⌋ · 8 · PW multipliers (256 for 16-pixel patches).
 */
export function patchEmbedMultipliers(patchWidth: number, actBits: number): number {
  const pixelsPerBeat = Math.floor(KERNEL_AXI_BITS / 8);
  const patchesPerBeat = Math.max(1, Math.floor(pixelsPerBeat / Math.max(1, patchWidth)));
  const lanes = Math.max(1, Math.floor(KERNEL_AXI_BITS / actBits));
  return patchesPerBeat * lanes * Math.max(1, patchWidth);
}

/** The patch embedding over `patches` patches of `kernel` pixels into `dim` channels, on its own unit. */
export function patchEmbedCycles(patches: number, kernel: number, dim: number, patchWidth: number, r: Rates): number {
  if (patches <= 0) return 0;
  const macs = patches * kernel * dim;
  const compute = Math.ceil(macs / patchEmbedMultipliers(patchWidth, r.actBytes * 8));
  // 8-bit pixels in (Edge-MoE pixel_t), the embeddings out.
  return OP_FILL_CYCLES + Math.max(compute, streamCycles([patches * kernel, patches * dim * r.actBytes], r));
}

/**
 * Q·Kᵀ or attention·V over `tokens` tokens of width `dim` (all heads), Edge-MoE's reordered attention
 * (src/attention.cpp compute_q_matmul_k / compute_attn_matmul_v): P = `rows` query rows share one pass over all keys;
 * a pass handles one key (value) row per step, `dims` dims per cycle, so a step takes ⌈dim/dims⌉ cycles — or longer
 * if streaming the K/V row through its port (read_kv: one 256-bit block per iteration) or emitting the P score rows
 * (P cycles) is slower. Passes: the rotated windows give ⌊(N+P−1)/P⌋ full passes plus a last partial pass of
 * (N+P−1) mod P key steps.
 */
export function attentionCycles(tokens: number, dim: number, r: Rates): number {
  if (tokens <= 0) return 0;
  const p = r.attRows;
  const fullPasses = Math.floor((tokens + p - 1) / p);
  const tailSteps = (tokens + p - 1) % p;
  const steps = fullPasses * tokens + tailSteps;
  const perStep = Math.max(Math.ceil(dim / r.attDims), streamCycles([dim * r.actBytes], r), p);
  return OP_FILL_CYCLES + steps * perStep;
}

/**
 * The routing decision per token after the logits: the running softmax over all E logits at II 3
 * (src/moe.cpp update_softmax_info, line 207) then the insertion top-k, one expert per cycle (top_k, line 138:
 * `pipeline rewind`). One small unit whatever E is, so its time, not its size, grows with the experts.
 */
export function routerDecisionCycles(tokens: number, experts: number): number {
  return tokens * experts * (ROUTER_SOFTMAX_II + 1);
}

/**
 * The router of one MoE layer on a dedicated gate unit of E_u × W multipliers (Edge-MoE src/moe.cpp
 * compute_gating_for_patch: all 16 experts × FEATURE_BLOCK_SIZE = 8 inputs per cycle, `pipeline rewind` over the
 * d/8 input blocks), then the decision (not overlapped: compute_gating's patch loop is not pipelined, line 255).
 * The input stream (read_gate_inp) runs beside it in the dataflow.
 */
export function gateUnitCycles(tokens: number, gateIn: number, experts: number, unit: { experts: number; width: number }, r: Rates): number {
  if (tokens <= 0) return 0;
  const logits = Math.ceil(gateIn / unit.width) * Math.ceil(experts / unit.experts);
  const perToken = logits + experts * (ROUTER_SOFTMAX_II + 1);
  return OP_FILL_CYCLES + Math.max(tokens * perToken, streamCycles([tokens * gateIn * r.actBytes], r));
}

/**
 * An element-wise pass over activations kept off chip: `streams` bytes moving at once (reads and writes), the vector
 * unit handling one 256-bit block per cycle, `computePasses` times over the `values`.
 */
export function vectorCycles(values: number, streams: readonly number[], r: Rates, computePasses = 1): number {
  if (values <= 0) return 0;
  const compute = computePasses * Math.ceil(values / r.laneValues);
  return OP_FILL_CYCLES + Math.max(compute, streamCycles(streams, r));
}

/** Cycles to load `bytes` of weights through the weight port (Edge-MoE load_linear_weights: one beat per cycle). */
export function loadCycles(bytes: number, r: Rates): number {
  if (bytes <= 0) return 0;
  return OP_FILL_CYCLES + Math.ceil(bytes / r.weightPortBytesPerCycle);
}

/** Bytes of a weight matrix in → out with its bias, at the target's weight format. */
export function linearWeightBytes(inDim: number, outDim: number, r: Rates): number {
  return Math.ceil((inDim * outDim + outDim) * r.weightBytes);
}
