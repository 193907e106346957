/**
 * The roofline of one frame: every matrix operation of a task (backbone, router, experts and the task's head) by
 * arithmetic intensity — MACs per byte it moves off chip (weights in + activations in + activations out) — against
 * the roofs of the target: each unit's MAC array × clock (compute) and the declared ports and DDR (bandwidth).
 * Pure: the model's dims, the target's declared figures and one simulated frame; no I/O.
 *
 * Where each figure comes from (docs/engine.md, "Roofline"):
 * - MACs: from the model dims, per operation (the same products engine/costs/counts.ts counts per family; a test
 *   checks that the families add up to its `byOp`).
 * - Weight bytes: the schedule's own weight loads (engine/schedule/frame.ts), so tiling to the weight buffer and the
 *   strategy's expert loads (routing-dependent) are the schedule's.
 * - Activation bytes: engine/memory/traffic.ts's dataflow, split per operation (Edge-MoE src/ViT_compute.cpp: x,
 *   tmp1–4, tmp_hidden, the attention scores and the softmax statistics live off chip, so every operation reads its
 *   input from DDR and writes its output there). What that model keeps on chip is counted as no traffic and listed
 *   in `onChip`. A test checks that the operations plus the element-wise passes add up to the frame's traffic.
 * - Port times: the schedule's stream rule (engine/schedule/cycles.ts streamCycles): weights through the weight port;
 *   an operation's activation streams each on their own activation port while there are ports enough; everything
 *   together through the DDR's sustained rate.
 *
 * Intensity is in MACs (1 MAC = 2 ops) per byte and every compute roof in MAC/s, so roof and axis agree.
 */
import { formatBits, isMoeLayer, patchCount, tokenCount, type Design, type HardwareTarget, type Strategy, type TaskSpec } from './design';
import type { MatOp } from './costs/counts';
import { headOps } from './headOps';
import { linearWeightBytes, patchEmbedMultipliers, ratesOf, type Rates } from './schedule/cycles';
import { simulateFrame } from './schedule/index';
import type { RoutingTrace } from './routing-trace';
import type { ScheduleEvent } from './schedule/types';
import { outputTiles, pingPongCapacity, routerMatrix, type BufferCapacity } from './weightTiles';
import { formatBandwidth, formatCount, formatHz, formatInteger } from './units';
import { dspPerMultiplier } from './resources';

/** The unit an operation's MACs run on (each has its own compute roof). */
export type RooflineUnit = 'linear' | 'attention' | 'gate_unit' | 'patch_embed';

/** What bounds an operation from above at its intensity: its unit, or one of the memory paths. */
export type RooflineBound = 'compute' | 'weight port' | 'activation ports' | 'DDR';

export interface RooflineRoof {
  /** `linear`, `attention`, `gate_unit`, `patch_embed`, `dsp` (compute) or `weight_port`, `act_ports`, `ddr`, `offchip` (bandwidth). */
  id: string;
  kind: 'compute' | 'bandwidth';
  /** MAC/s (compute) or bytes/s (bandwidth). */
  value: number;
  /** "linear 16 × 16 × 1 at 300 MHz". */
  label: string;
  /** Where the figure comes from: the design's line, the catalog, or the Edge-MoE code the unit models. */
  source: string;
}

export interface RooflineOp {
  /** The schedule's operation (`q`, `fc1`, `expert_fc1`, `qk`, `gate`, `head`, `conv1`, …), summed over layers. */
  op: string;
  /** The MAC-count family it belongs to (engine/costs/counts.ts MatOp: what the MACs-by-op chart shows). */
  family: MatOp;
  unit: RooflineUnit;
  /** Block indices it runs in (-1 = embedding, depth = the task head). */
  layers: number[];
  macs: number;
  /** Weight bytes the schedule loads for it over the frame (0: none, or kept on chip across frames). */
  weightBytes: number;
  /** Activation bytes read from DDR (inputs, K/V per round, a read-modify-written output's read). */
  actInBytes: number;
  /** Activation bytes written to DDR. */
  actOutBytes: number;
  /** weightBytes + actInBytes + actOutBytes. */
  ddrBytes: number;
  /** MACs ÷ DDR bytes (MAC/B); undefined only if it moves nothing off chip. */
  intensity?: number;
  /** Lower bounds on its time (s): MACs at its unit's roof, weights through the weight port, activations through their ports, all of it through DDR. */
  seconds: { compute: number; weightPort: number; actPorts: number; ddr: number };
  /** MACs ÷ the largest of those times: the roof at this operation (MAC/s). */
  roofMacsPerSecond: number;
  /** Which of the four sets that roof. */
  boundBy: RooflineBound;
  /** Compute roof of its unit (MAC/s). */
  unitRoofMacsPerSecond: number;
  /** The same figures per layer it runs in (MoE layers differ under traced routing). */
  perLayer: RooflineLayer[];
  /** MACs ÷ the cycles its loads and computes occupy in the schedule (the union of their intervals), as MAC/s. */
  achievedMacsPerSecond: number;
}

export interface RooflineLayer {
  layer: number;
  macs: number;
  weightBytes: number;
  actInBytes: number;
  actOutBytes: number;
  /** MACs ÷ (weights + activations in + out); undefined when it moves nothing off chip. */
  intensity?: number;
}

export interface RooflineData {
  strategy: Strategy;
  roofs: RooflineRoof[];
  /** The off-chip roof for all of an operation's bytes: min(DDR, weight port + activation ports), bytes/s. */
  offchipBytesPerSecond: number;
  ops: RooflineOp[];
  /** Element-wise passes (norms, residual adds, zeroing, upsampling, position add): traffic with no MACs, not on the chart. */
  elementwise: { weightBytes: number; actBytes: number };
  /** Activations the engine keeps on chip (counted as no DDR traffic), in words. */
  onChip: string[];
}

export interface RooflineRequest {
  design: Design;
  task: string;
  target: string;
  /** Default: the target's `schedule`. */
  strategy?: Strategy;
  traces?: ReadonlyMap<string, RoutingTrace>;
}

const FAMILY: Record<string, MatOp> = {
  patch_embed: 'patch_embed',
  task_embed: 'task_embed',
  q: 'qkv',
  k: 'qkv',
  v: 'qkv',
  qk: 'qk',
  av: 'av',
  proj: 'proj',
  fc1: 'mlp',
  fc2: 'mlp',
  gate: 'gate',
  expert_fc1: 'experts',
  expert_fc2: 'experts',
};

interface Acc {
  op: string;
  family: MatOp;
  unit: RooflineUnit;
  layers: Set<number>;
  macs: number;
  weightBytes: number;
  actIn: number;
  actOut: number;
  /** Σ over instances of the activation streams' port time, cycles. */
  actPortCycles: number;
  intervals: [number, number][];
  byLayer: Map<number, { macs: number; weightBytes: number; actIn: number; actOut: number }>;
}

function layerOf(a: Acc, layer: number): { macs: number; weightBytes: number; actIn: number; actOut: number } {
  let l = a.byLayer.get(layer);
  if (!l) a.byLayer.set(layer, (l = { macs: 0, weightBytes: 0, actIn: 0, actOut: 0 }));
  return l;
}

/**
 * Port cycles of activation streams that run at once (bytes each): each on its own port while there are ports
 * enough, else shared evenly — engine/schedule/cycles.ts streamCycles without its DDR term (counted separately here).
 */
function portCycles(streams: readonly number[], r: Rates): number {
  let total = 0;
  let largest = 0;
  for (const b of streams) {
    total += b;
    largest = Math.max(largest, b);
  }
  const perPort = streams.length <= r.actPorts ? largest : Math.max(largest, total / r.actPorts);
  return perPort / r.actPortBytesPerCycle;
}

export function rooflineOf(req: RooflineRequest): RooflineData {
  const { design } = req;
  const task = design.tasks.find((t) => t.name === req.task);
  const target = design.targets.find((t) => t.name === req.target);
  if (!task || !target) throw new Error(`roofline: unknown task '${req.task}' or target '${req.target}'`);
  const strategy = req.strategy ?? target.schedule;
  const r = ratesOf(target);
  const roofs = roofsOf(design, target, r);
  const unitRoof = (u: RooflineUnit) => roofs.find((x) => x.id === u)?.value ?? 0;
  const offchip = roofs.find((x) => x.id === 'offchip')!.value;

  const accs = new Map<string, Acc>();
  const acc = (op: string, family: MatOp, unit: RooflineUnit): Acc => {
    let a = accs.get(op);
    if (!a) accs.set(op, (a = { op, family, unit, layers: new Set(), macs: 0, weightBytes: 0, actIn: 0, actOut: 0, actPortCycles: 0, intervals: [], byLayer: new Map() }));
    return a;
  };
  const elementwise = { weightBytes: 0, actBytes: 0 };
  const flows = activationFlows(design, target, strategy, task, r);
  for (const f of flows) {
    if (!f.op) {
      elementwise.actBytes += f.inBytes + f.outBytes;
      continue;
    }
    const a = acc(f.op, f.family!, f.unit!);
    a.layers.add(f.layer);
    a.macs += f.macs;
    a.actIn += f.inBytes;
    a.actOut += f.outBytes;
    for (const step of f.steps) a.actPortCycles += portCycles(step, r);
    const l = layerOf(a, f.layer);
    l.macs += f.macs;
    l.actIn += f.inBytes;
    l.actOut += f.outBytes;
  }

  // Weights and time from the schedule itself.
  const frame = simulateFrame({ design, task: task.name, target: target.name, strategy, traces: req.traces });
  const moe = design.model.moe;
  const fc1Bytes = moe ? linearWeightBytes(design.model.dim, moe.hidden, r) : 0;
  const fc2Bytes = moe ? linearWeightBytes(moe.hidden, design.model.dim, r) : 0;
  for (const e of frame.events) {
    if (e.op === 'load') {
      const parts = loadParts(e, fc1Bytes, fc2Bytes);
      if (!parts) {
        elementwise.weightBytes += e.bytes ?? 0;
        continue;
      }
      for (const [op, bytes] of parts) {
        const a = accs.get(op);
        if (!a) {
          elementwise.weightBytes += bytes;
          continue;
        }
        a.weightBytes += bytes;
        layerOf(a, e.layer).weightBytes += bytes;
        a.intervals.push([e.start, e.end]);
      }
    } else {
      const a = accs.get(e.op === 'gate_decision' ? 'gate' : e.op);
      if (a) a.intervals.push([e.start, e.end]);
    }
  }

  const ops: RooflineOp[] = [];
  for (const a of accs.values()) {
    if (a.macs <= 0) continue;
    const ddrBytes = a.weightBytes + a.actIn + a.actOut;
    const unitRoofMacs = unitRoof(a.unit);
    const seconds = {
      compute: unitRoofMacs > 0 ? a.macs / unitRoofMacs : Infinity,
      weightPort: a.weightBytes / r.weightPortBytesPerCycle / r.clockHz,
      actPorts: a.actPortCycles / r.clockHz,
      ddr: ddrBytes / r.ddrBytesPerCycle / r.clockHz,
    };
    const order: [RooflineBound, number][] = [
      ['compute', seconds.compute],
      ['weight port', seconds.weightPort],
      ['activation ports', seconds.actPorts],
      ['DDR', seconds.ddr],
    ];
    const [boundBy, worst] = order.reduce((m, x) => (x[1] > m[1] ? x : m));
    const busy = unionCycles(a.intervals);
    ops.push({
      op: a.op,
      family: a.family,
      unit: a.unit,
      layers: [...a.layers].sort((x, y) => x - y),
      macs: a.macs,
      weightBytes: a.weightBytes,
      actInBytes: a.actIn,
      actOutBytes: a.actOut,
      ddrBytes,
      ...(ddrBytes > 0 ? { intensity: a.macs / ddrBytes } : {}),
      seconds,
      roofMacsPerSecond: worst > 0 ? a.macs / worst : unitRoofMacs,
      boundBy,
      unitRoofMacsPerSecond: unitRoofMacs,
      perLayer: [...a.byLayer.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([layer, l]) => {
          const bytes = l.weightBytes + l.actIn + l.actOut;
          return { layer, macs: l.macs, weightBytes: l.weightBytes, actInBytes: l.actIn, actOutBytes: l.actOut, ...(bytes > 0 ? { intensity: l.macs / bytes } : {}) };
        }),
      achievedMacsPerSecond: busy > 0 ? a.macs / (busy / r.clockHz) : 0,
    });
  }
  return { strategy, roofs, offchipBytesPerSecond: offchip, ops, elementwise, onChip: onChipNotes(design, target, strategy) };
}

/** The target's roofs, each with its source. */
export function roofsOf(design: Design, target: HardwareTarget, r: Rates = ratesOf(target)): RooflineRoof[] {
  const mhz = formatHz(target.clockHz);
  const clock = `clock ${mhz}`;
  const roofs: RooflineRoof[] = [
    {
      id: 'linear',
      kind: 'compute',
      value: r.linIn * r.linOut * r.linUnits * r.clockHz,
      label: `linear ${r.linIn} × ${r.linOut}${r.linUnits > 1 ? ` × ${r.linUnits} units` : ''} at ${mhz}`,
      source: `design: linear ${r.linIn} x ${r.linOut}${r.linUnits > 1 ? ` x ${r.linUnits}` : ''}, ${clock} (Edge-MoE src/linear.cpp LINEAR_IN_SIZE × LINEAR_OUT_SIZE MACs a cycle)`,
    },
    {
      id: 'attention',
      kind: 'compute',
      value: r.attRows * r.attDims * r.clockHz,
      label: `attention ${r.attRows} × ${r.attDims} at ${mhz}`,
      source: `design: attention ${r.attRows} x ${r.attDims}, ${clock} (Edge-MoE src/attention.cpp: ATTN_MATMUL_PARALLEL query rows × FEATURE_BLOCK_SIZE dims a cycle)`,
    },
  ];
  if (design.model.moe && r.gateUnit)
    roofs.push({
      id: 'gate_unit',
      kind: 'compute',
      value: r.gateUnit.experts * r.gateUnit.width * r.clockHz,
      label: `gate unit ${r.gateUnit.experts} × ${r.gateUnit.width} at ${mhz}`,
      source: `design: gate_unit ${r.gateUnit.experts} x ${r.gateUnit.width}, ${clock} (Edge-MoE src/moe.cpp compute_gating_for_patch, line 188)`,
    });
  const pe = patchEmbedMultipliers(design.model.patch.width, formatBits(target.acts));
  roofs.push({
    id: 'patch_embed',
    kind: 'compute',
    value: pe * r.clockHz,
    label: `patch embedding ${formatCount(pe)} multipliers at ${mhz}`,
    source: `engine/schedule/cycles.ts patchEmbedMultipliers: one 256-bit beat of 8-bit pixels × 8 dims × the patch width (Edge-MoE src/conv.cpp line 89), ${clock}`,
  });
  const dsp = target.resources.dsp;
  const mult = dspPerMultiplierOfLinear(target);
  roofs.push({
    id: 'dsp',
    kind: 'compute',
    value: dsp > 0 ? (dsp / mult) * r.clockHz : 0,
    label: `every DSP of the device (${formatInteger(dsp)} ÷ ${mult} per MAC) at ${mhz}`,
    source: `catalog: ${target.device} DSP count; DSPs per MAC at the linear formats (engine/resources.ts dspPerMultiplier); the device's ceiling, no unit reaches it`,
  });
  const portSource = target.facts.ports.declared ? 'design' : target.facts.ports.source;
  const wBits = target.memory.weightPortBits;
  const aBits = target.memory.actPortBits;
  roofs.push(
    {
      id: 'weight_port',
      kind: 'bandwidth',
      value: r.weightPortBytesPerCycle * r.clockHz,
      label: `weight port ${wBits} bit at ${mhz} = ${formatBandwidth(r.weightPortBytesPerCycle * r.clockHz)}`,
      source: `${portSource}: port weights ${wBits} bit, ${clock} (at most the 256-bit kernel master, engine/kernel.ts, and the DDR)`,
    },
    {
      id: 'act_ports',
      kind: 'bandwidth',
      value: r.actPorts * r.actPortBytesPerCycle * r.clockHz,
      label: `activation ports ${r.actPorts} × ${aBits} bit at ${mhz} = ${formatBandwidth(r.actPorts * r.actPortBytesPerCycle * r.clockHz)}`,
      source: `${portSource}: port acts ${r.actPorts} x ${aBits} bit, ${clock}; one stream per port (engine/schedule/cycles.ts streamCycles)`,
    },
    {
      id: 'ddr',
      kind: 'bandwidth',
      value: target.bandwidthBytesPerSec,
      label: `DDR ${formatBandwidth(target.bandwidthBytesPerSec)}`,
      source: target.facts.bandwidth.declared ? `design: bandwidth (sustained, all ports together)` : target.facts.bandwidth.source,
    },
  );
  const ports = (r.weightPortBytesPerCycle + r.actPorts * r.actPortBytesPerCycle) * r.clockHz;
  roofs.push({
    id: 'offchip',
    kind: 'bandwidth',
    value: Math.min(ports, target.bandwidthBytesPerSec),
    label: `off chip: min(ports ${formatBandwidth(ports)}, DDR ${formatBandwidth(target.bandwidthBytesPerSec)})`,
    source: 'the weight port plus the activation ports, capped by the DDR rate they share',
  });
  return roofs;
}

/** DSPs per MAC at the linear layers' formats: the resource model's own rule (as engine/bounds.ts counts them). */
function dspPerMultiplierOfLinear(target: HardwareTarget): number {
  return dspPerMultiplier(target.acts, target.weights, true);
}

/** A weight load → the operations whose weights it brings in, with their bytes; undefined = an element-wise pass's (norms, position embedding). */
function loadParts(e: ScheduleEvent, fc1Bytes: number, fc2Bytes: number): [string, number][] | undefined {
  const bytes = e.bytes ?? 0;
  if (e.what === 'fc1' && e.expert !== undefined) return [['expert_fc1', bytes]];
  if (e.what === 'fc2' && e.expert !== undefined) return [['expert_fc2', bytes]];
  // token_by_token loads one whole expert (fc1 + fc2), all_resident every expert of a layer: split exactly.
  if (e.what === 'expert' || e.what === 'experts') {
    const n = Math.round(bytes / Math.max(1, fc1Bytes + fc2Bytes));
    return [['expert_fc1', n * fc1Bytes], ['expert_fc2', bytes - n * fc1Bytes]];
  }
  if (e.what === 'routers') return [['gate', bytes]];
  if (e.what === 'norms' || e.what === 'head_norms' || e.what === 'pos_embed') return undefined;
  return [[e.what, bytes]];
}

/** Total cycles covered by a set of [start, end) intervals. */
function unionCycles(intervals: [number, number][]): number {
  if (!intervals.length) return 0;
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [s, e] = intervals[0];
  for (const [a, b] of intervals) {
    if (a > e) {
      total += e - s;
      s = a;
      e = b;
    } else if (b > e) e = b;
  }
  return total + e - s;
}

/** One operation's (or element-wise pass's, `op` undefined) MACs and off-chip activation bytes in one layer. */
interface Flow {
  op?: string;
  family?: MatOp;
  unit?: RooflineUnit;
  layer: number;
  macs: number;
  inBytes: number;
  outBytes: number;
  /** Its steps, each the activation streams (bytes) running at once: the port time is the sum over steps. */
  steps: number[][];
}

/**
 * The frame's activation traffic per operation, exactly engine/memory/traffic.ts frameTraffic's values (read +
 * written per step, the extra input passes of a tiled matrix, the router's logits) assigned to the operation that
 * moves them. Keep the two in step: test/engine/roofline.test.ts checks that they add up to the same total.
 */
function activationFlows(design: Design, target: HardwareTarget, strategy: Strategy, task: TaskSpec, r: Rates): Flow[] {
  const m = design.model;
  const moe = m.moe;
  const a = r.actBytes;
  const N = tokenCount(m);
  const D = m.dim;
  const P = patchCount(m);
  const ND = N * D;
  const capacity: BufferCapacity = pingPongCapacity(design, target, strategy);
  const extraReads = (inDim: number, outDim: number, rows: number) => (outputTiles({ in: inDim, out: outDim }, capacity, target).length - 1) * rows * inDim;
  const flows: Flow[] = [];
  // Default: one step, the input and output streams at once (a linear's dataflow, src/linear.cpp compute_linear).
  const lin = (op: string, layer: number, macs: number, inValues: number, outValues: number, unit: RooflineUnit = 'linear', steps?: number[][]) =>
    flows.push({ op, family: FAMILY[op] ?? 'head', unit, layer, macs, inBytes: inValues * a, outBytes: outValues * a, steps: steps ?? [[inValues * a, outValues * a]] });
  const vec = (layer: number, values: number) => flows.push({ layer, macs: 0, inBytes: values * a, outBytes: 0, steps: [] });

  // Patch embedding on its own unit: 8-bit pixels in (Edge-MoE pixel_t), x out.
  const kernel = m.input.channels * m.patch.height * m.patch.width;
  const imageBytes = m.input.channels * m.input.height * m.input.width;
  flows.push({ op: 'patch_embed', family: 'patch_embed', unit: 'patch_embed', layer: -1, macs: P * kernel * D, inBytes: imageBytes, outBytes: ND * a, steps: [[imageBytes, ND * a]] });
  if (moe?.gate.kind === 'shared') {
    // The task embedding reads a one-hot and keeps its result on chip: no activation traffic in the traffic model.
    const t = design.tasks.length;
    const dt = moe.gate.embedDim;
    lin('task_embed', -1, t * dt + dt * dt, 0, 0);
  }
  const R = r.attRows;
  const rounds = Math.ceil((N + R - 1) / R);
  const scoresAndStats = m.heads * N * N + N * 2 * m.heads;
  for (let l = 0; l < m.depth; l++) {
    vec(l, 2 * ND); // norm1
    for (const op of ['q', 'k', 'v']) lin(op, l, N * D * D, ND + extraReads(D, D, N), ND);
    // Reordered attention: Q once, K once per round of R query rows; scores and statistics written, then read by ·V.
    lin('qk', l, N * N * D, ND + rounds * ND, scoresAndStats, 'attention', [[ND * a, rounds * ND * a, scoresAndStats * a]]);
    lin('av', l, N * N * D, scoresAndStats + rounds * ND, ND, 'attention', [[scoresAndStats * a, rounds * ND * a, ND * a]]);
    lin('proj', l, N * D * D, ND + extraReads(D, D, N), ND);
    vec(l, 3 * ND); // residual add
    vec(l, 2 * ND); // norm2
    if (moe && isMoeLayer(m, l)) {
      const k = moe.topK;
      const h = moe.hidden;
      const E = moe.experts;
      const gateIn = D + (moe.gate.kind === 'shared' ? moe.gate.embedDim : 0);
      const gateMacs = N * gateIn * E;
      if (r.gateUnit) lin('gate', l, gateMacs, ND, 0, 'gate_unit');
      else {
        // Router on the linear arrays: the logits go off chip and come back for the softmax + top-k.
        const inValues = ND + (strategy !== 'all_resident' ? extraReads(routerMatrix(m)!.in, E, N) : 0);
        // Two steps: the logits linear (input in, logits out), then the decision reading the logits back.
        lin('gate', l, gateMacs, inValues + N * E, N * E, 'linear', [[inValues * a, N * E * a], [N * E * a]]);
      }
      const expertMacs = k * N * D * h;
      if (strategy === 'expert_by_expert') {
        vec(l, ND); // zero the output
        // FC1 gathers each queue's rows and writes tmp_hidden; FC2 reads it and read-modify-writes out[token].
        lin('expert_fc1', l, expertMacs, k * ND + extraReads(D, h, k * N), k * N * h);
        const fc2In = k * N * h + extraReads(h, D, k * N);
        // The output's read and write share one port (src/linear.cpp write_out_stream_indirect).
        lin('expert_fc2', l, expertMacs, fc2In + k * ND, k * ND, 'linear', [[fc2In * a, 2 * k * ND * a]]);
      } else {
        // Token order: each row read once, its combined output written once; the expert hidden stays on chip.
        lin('expert_fc1', l, expertMacs, ND, 0);
        lin('expert_fc2', l, expertMacs, 0, ND);
      }
    } else {
      const H = m.mlpHidden;
      lin('fc1', l, N * D * H, ND + extraReads(D, H, N), N * H);
      lin('fc2', l, N * H * D, N * H + extraReads(H, D, N), ND);
    }
    vec(l, 3 * ND); // residual add
  }
  headFlows(design, task, strategy, extraReads, lin, vec);
  return flows;
}

/**
 * The head as traffic.ts headActivationValues counts it: each map written by its producer and read by the next
 * step (the head's LayerNorm is applied as the first convolution reads the tokens); the linear head's per-patch
 * output is written, read by the upsampling, and the upsampled map written.
 */
function headFlows(
  design: Design,
  task: TaskSpec,
  strategy: Strategy,
  extraReads: (inDim: number, outDim: number, rows: number) => number,
  lin: (op: string, layer: number, macs: number, inValues: number, outValues: number) => void,
  vec: (layer: number, values: number) => void,
): void {
  const m = design.model;
  const layer = m.depth;
  const P = patchCount(m);
  const head = task.head;
  let previous = head.kind === 'cls' ? m.dim : P * m.dim;
  for (const op of headOps(m, task)) {
    if (op.kind === 'linear') {
      const extra = strategy !== 'all_resident' ? extraReads(op.inDim, op.outDim, op.rows) : 0;
      const out = op.rows * op.outDim;
      lin(op.op, layer, op.rows * op.inDim * op.outDim, previous + extra, out);
      previous = out;
    } else if (op.op !== 'head_norm') {
      vec(layer, previous + op.values);
      previous = op.values;
    }
  }
}

/** What the traffic model keeps on chip for this design, strategy and target (no DDR bytes on the roofline). */
function onChipNotes(design: Design, target: HardwareTarget, strategy: Strategy): string[] {
  const notes: string[] = [];
  const moe = design.model.moe;
  if (moe) {
    notes.push('the per-expert token queues and scores (Edge-MoE src/moe.cpp expert_queues[16][129], on-chip arrays)');
    if (target.gateUnit) notes.push('the router logits: the gate unit computes softmax and top-k as they come (src/moe.cpp compute_gating)');
    if (strategy !== 'expert_by_expert') notes.push(`the expert hidden activations: ${strategy} computes each token through both expert matrices on chip`);
    if (strategy === 'all_resident') notes.push('the routers and the head weights: all_resident keeps them on chip across frames (no weight bytes)');
    if (moe.gate.kind === 'shared') notes.push('the task embedding (one vector a frame)');
  }
  return notes;
}
