/**
 * The event-level timeline every strategy is written against. Two rules make the schedule:
 *
 * 1. Compute is one in-order chain, as in Edge-MoE's ViT_compute (each step is a function call that finishes
 *    before the next starts, `pipeline off`): a compute starts when the previous compute has ended AND the weights
 *    it reads have landed in their buffer.
 * 2. Weight loads go through one in-order off-chip port: a load starts when the previous load has ended AND the
 *    last compute reading its destination buffer has ended (ping/pong discipline: never overwrite weights in use).
 *
 * So the only overlap is a load running under computes — double buffering — which is what the strategies differ in,
 * and only with `prefetch on`. With `prefetch off` (Edge-MoE: ViT_compute's layer loop and compute_moe's expert loop
 * are `pipeline off` with no dataflow pragma, so each call finishes before the next starts — AMD UG1399, "dataflow":
 * without it, functions execute sequentially) a load also waits for the compute before it, and a compute for every
 * load before it.
 *
 * One arithmetic core (`computeAt`/`loadAt` updates in `runCompute`/`runLoad`) serves both uses: with `events` it
 * also records each event; without (`frameLatency`) it only advances the clocks. Hot loops (token_by_token) call the
 * core with pre-resolved buffer ids and op handles; `compute`/`load` resolve names and record events around the
 * very same core, so `frameLatency` and `simulateFrame` agree by construction.
 */
import type { Rates } from './cycles';
import { loadCycles } from './cycles';
import type { Lane, LayerKind, LayerSummary, ScheduleEvent } from './types';

export interface ComputeSpec {
  lane: Exclude<Lane, 'load'>;
  op: string;
  what: string;
  cycles: number;
  buffer?: string;
  expert?: number;
  tokens?: number;
}

export interface LoadSpec {
  /** The block the weights serve (a load may be issued before its block's first compute). */
  layer: number;
  what: string;
  buffer: string;
  bytes: number;
  expert?: number;
}

/** Per (layer, op) accumulated cycles; one handle per op name per layer. */
export interface OpEntry {
  layer: number;
  op: string;
  cycles: number;
}

/** Index of a buffer in the timeline's arrays; -1 = the compute reads no weight buffer. */
export type BufferId = number;
export const NO_BUFFER: BufferId = -1;

export class Timeline {
  /** End of the last compute (the compute chain's clock). */
  private computeAt = 0;
  /** End of the last load (the load port's clock). */
  private loadAt = 0;
  private bufferIds = new Map<string, BufferId>();
  private bufferLoaded: number[] = [];
  private bufferLastRead: number[] = [];
  laneBusy: Record<Lane, number> = { load: 0, linear: 0, attention: 0, gate: 0, vector: 0 };
  stallCycles = 0;
  loadBytes = 0;
  loads = 0;
  eventCount = 0;
  layers: LayerSummary[] = [];
  /** Per (layer, op) cycles in order; compute ops and `stall` add up to the layer's cycles. */
  perOp: OpEntry[] = [];
  /** The current layer's entries of `perOp` by op name (op names repeat within a layer, e.g. per expert). */
  private layerOps = new Map<string, OpEntry>();
  private stallEntry: OpEntry | undefined;
  private layer: LayerSummary | undefined;
  private layerStartAt = 0;
  /** Load count and bytes per block, merged into the block's summary when it ends. */
  private loadsByLayer = new Map<number, { loads: number; bytes: number }>();

  constructor(
    readonly rates: Rates,
    readonly events: ScheduleEvent[] | null,
  ) {}

  /** Whether events are kept (callers skip building descriptive strings otherwise). */
  get keepsEvents(): boolean {
    return this.events !== null;
  }

  beginLayer(layer: number, kind: LayerKind): LayerSummary {
    this.endLayer();
    this.layer = { layer, kind, cycles: 0, stallCycles: 0, loads: 0, loadBytes: 0 };
    this.layerStartAt = this.computeAt;
    this.layerOps = new Map();
    this.stallEntry = undefined;
    return this.layer;
  }

  endLayer(): void {
    if (!this.layer) return;
    this.layer.cycles = this.computeAt - this.layerStartAt;
    const loads = this.loadsByLayer.get(this.layer.layer);
    if (loads) {
      this.layer.loads = loads.loads;
      this.layer.loadBytes = loads.bytes;
      // Merged into the frozen summary: nothing reads it again, and a clone need not copy it.
      this.loadsByLayer.delete(this.layer.layer);
    }
    this.layers.push(this.layer);
    // A finished layer never changes again: freeze its summary and op entries so clones and memoised results can
    // share them (a caller that tried to mutate one would throw rather than corrupt a cached frame).
    Object.freeze(this.layer);
    for (const entry of this.layerOps.values()) Object.freeze(entry);
    this.layer = undefined;
    this.layerOps = new Map();
    this.stallEntry = undefined;
  }

  get currentLayer(): LayerSummary {
    if (!this.layer) throw new Error('Timeline: no layer begun');
    return this.layer;
  }

  buffer(name: string): BufferId {
    let id = this.bufferIds.get(name);
    if (id === undefined) {
      id = this.bufferLoaded.length;
      this.bufferIds.set(name, id);
      this.bufferLoaded.push(0);
      this.bufferLastRead.push(0);
    }
    return id;
  }

  /** The current layer's accumulator for `op` (valid until the next `beginLayer`). */
  op(name: string): OpEntry {
    const layer = this.currentLayer.layer;
    let entry = this.layerOps.get(name);
    if (!entry) {
      entry = { layer, op: name, cycles: 0 };
      this.layerOps.set(name, entry);
      this.perOp.push(entry);
    }
    return entry;
  }

  /** The arithmetic core of a weight load; returns its start cycle. */
  runLoad(layer: number, buffer: BufferId, bytes: number): number {
    const lastRead = this.bufferLastRead[buffer];
    let start = this.loadAt > lastRead ? this.loadAt : lastRead;
    // prefetch off: one step at a time, as in sequential HLS code (no dataflow between the load and compute calls).
    if (!this.rates.prefetch && this.computeAt > start) start = this.computeAt;
    const end = start + loadCycles(bytes, this.rates);
    this.loadAt = end;
    this.bufferLoaded[buffer] = end;
    this.laneBusy.load += end - start;
    this.loadBytes += bytes;
    this.loads++;
    this.eventCount++;
    const perLayer = this.loadsByLayer.get(layer);
    if (perLayer) {
      perLayer.loads++;
      perLayer.bytes += bytes;
    } else this.loadsByLayer.set(layer, { loads: 1, bytes });
    return start;
  }

  /** The arithmetic core of a compute; returns its start cycle. */
  runCompute(lane: Exclude<Lane, 'load'>, op: OpEntry, cycles: number, buffer: BufferId): number {
    let start = this.computeAt;
    if (buffer !== NO_BUFFER && this.bufferLoaded[buffer] > start) start = this.bufferLoaded[buffer];
    if (!this.rates.prefetch && this.loadAt > start) start = this.loadAt;
    const stall = start - this.computeAt;
    if (stall > 0) {
      this.stallCycles += stall;
      this.layer!.stallCycles += stall;
      (this.stallEntry ??= this.op('stall')).cycles += stall;
    }
    const end = start + cycles;
    this.computeAt = end;
    if (buffer !== NO_BUFFER) this.bufferLastRead[buffer] = end;
    this.laneBusy[lane] += cycles;
    op.cycles += cycles;
    this.eventCount++;
    return start;
  }

  /**
   * `rounds` repetitions of the same computes on one lane (`cycles[i]` on `ops[i]`, reading `buffers[i]`), none of
   * which can stall — the caller proves that every buffer is loaded and (prefetch off) the load port idle by
   * `computeAt`. In one step, exactly what `rounds × ops.length` runCompute calls would do: integer cycle counts add
   * up exactly in a double far beyond any frame's length, so the sums are the same numbers, not approximations.
   */
  runStallFreeRounds(lane: Exclude<Lane, 'load'>, ops: readonly OpEntry[], cycles: readonly number[], buffers: readonly BufferId[], rounds: number): void {
    if (rounds <= 0) return;
    let round = 0;
    for (const c of cycles) round += c;
    // The last round starts here; each buffer's last read is the end of its compute in that round.
    let at = this.computeAt + (rounds - 1) * round;
    for (let i = 0; i < ops.length; i++) {
      at += cycles[i];
      if (buffers[i] !== NO_BUFFER) this.bufferLastRead[buffers[i]] = at;
      ops[i].cycles += rounds * cycles[i];
    }
    this.computeAt = at;
    this.laneBusy[lane] += rounds * round;
    this.eventCount += rounds * ops.length;
  }

  /** Whether the compute clock and every buffer-ready time are whole cycles (runStallFreeRounds' exactness). */
  get wholeCycles(): boolean {
    return Number.isSafeInteger(this.computeAt) && Number.isSafeInteger(this.loadAt);
  }

  load(spec: LoadSpec): void {
    if (spec.bytes <= 0) return;
    const start = this.runLoad(spec.layer, this.buffer(spec.buffer), spec.bytes);
    // Every event is created with the same keys in the same order (absent ones undefined, which JSON omits): one
    // object shape keeps the event path fast at 10⁵ events.
    if (this.events)
      this.events.push({ lane: 'load', start, end: this.loadAt, layer: spec.layer, op: 'load', what: spec.what, expert: spec.expert, tokens: undefined, buffer: spec.buffer, bytes: spec.bytes });
  }

  compute(spec: ComputeSpec): void {
    if (spec.cycles <= 0) return;
    const layer = this.currentLayer.layer;
    const start = this.runCompute(spec.lane, this.op(spec.op), spec.cycles, spec.buffer === undefined ? NO_BUFFER : this.buffer(spec.buffer));
    if (this.events)
      this.events.push({ lane: spec.lane, start, end: this.computeAt, layer, op: spec.op, what: spec.what, expert: spec.expert, tokens: spec.tokens, buffer: spec.buffer, bytes: undefined });
  }

  /**
   * An exact copy of a numbers-only timeline (no events), to continue from a cached point: a frame's backbone is
   * the same for every task in steady state, so frameLatency runs it once and only the head per task.
   */
  clone(): Timeline {
    if (this.events) throw new Error('Timeline.clone: only a numbers-only timeline can be cloned');
    const t = new Timeline(this.rates, null);
    t.computeAt = this.computeAt;
    t.loadAt = this.loadAt;
    t.bufferIds = new Map(this.bufferIds);
    t.bufferLoaded = this.bufferLoaded.slice();
    t.bufferLastRead = this.bufferLastRead.slice();
    t.laneBusy = { ...this.laneBusy };
    t.stallCycles = this.stallCycles;
    t.loadBytes = this.loadBytes;
    t.loads = this.loads;
    t.eventCount = this.eventCount;
    // Finished layers are frozen and shared; only the open layer's entries (if any) are copied.
    t.layers = this.layers.slice();
    const copies = new Map<OpEntry, OpEntry>();
    for (const entry of this.layerOps.values()) copies.set(entry, { ...entry });
    t.perOp = this.perOp.map((o) => copies.get(o) ?? o);
    t.layerOps = new Map([...this.layerOps].map(([name, o]) => [name, copies.get(o)!]));
    t.stallEntry = this.stallEntry && copies.get(this.stallEntry);
    t.layer = this.layer && { ...this.layer };
    t.layerStartAt = this.layerStartAt;
    t.loadsByLayer = new Map([...this.loadsByLayer].map(([layer, v]) => [layer, { ...v }]));
    return t;
  }

  /** The frame's makespan: the later of the compute chain and the load port. */
  get makespan(): number {
    return Math.max(this.computeAt, this.loadAt);
  }
}
