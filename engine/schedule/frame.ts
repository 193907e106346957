/**
 * One frame of single-task inference (backbone + the task's router + the task's head) as a sequence of loads and
 * computes on a `Timeline`, following Edge-MoE's ViT_compute order (docs/schedule.md). The three strategies
 * differ only in how the MoE block's expert weights move:
 *
 * - `expert_by_expert` (src/moe.cpp): gate → per-expert queues → load FC1(e0)→ping; for each expert with a
 *   non-empty queue, ascending: compute FC1(e) from ping while FC2(e) loads into pong, compute FC2(e) from pong while
 *   FC1(e_next) loads into ping. Each used expert is loaded once per layer; unused experts never.
 * - `token_by_token`: tokens in order; each token's k experts must sit in the k expert slots (one whole expert
 *   each); a missing expert is loaded into a slot the token does not need, after that slot's last use. Tokens
 *   compute one row at a time.
 * - `all_resident`: one bulk load of all E experts of a layer into the expert bank, issued after the previous
 *   layer's weight loads so it streams under that layer's compute; the bank is reused only after the previous MoE
 *   layer's experts are done. Routers of all MoE layers and the current task's head stay on chip across frames.
 */
import type { Design, HardwareTarget, ModelSpec, RoutingSpec, Strategy, TaskSpec } from '../design';
import { headNormParams, headOps } from '../headOps';
import { STRATEGIES, patchCount, tokenCount } from '../design';
import type { RoutingTrace } from '../routing-trace';
import type { Rates } from './cycles';
import { attentionCycles, gateUnitCycles, linearCycles, linearWeightBytes, patchEmbedCycles, ratesOf, routerDecisionCycles, vectorCycles } from './cycles';
import { outputTiles, pingPongCapacity, routerMatrix, type BufferCapacity } from '../weightTiles';
import type { LayerRouting } from './routing';
import { routeAllLayers } from './routing';
import { Timeline } from './timeline';
import type { FrameRequest, ScheduleEvent } from './types';
import { EMBED_LAYER } from './types';

export interface ResolvedFrame {
  design: Design;
  task: TaskSpec;
  target: HardwareTarget;
  strategy: Strategy;
  routing: LayerRouting[];
  routingNotes: string[];
  /** True when all_resident must (re)load the routers and head at frame start. */
  loadResidentState: boolean;
  /** As requested: undefined = steady state, null = cold start. */
  previousTask: string | null | undefined;
  /** The routing line in force (request or design) and the trace it uses, if any. */
  routingSpec: RoutingSpec | undefined;
  trace: RoutingTrace | undefined;
}

/** A request that names an unknown task, target or strategy: the message lists the valid ones. */
export class ScheduleRequestError extends Error {}

export function resolveFrame(req: FrameRequest): ResolvedFrame {
  const { design } = req;
  const task = design.tasks.find((t) => t.name === req.task);
  if (!task) throw new ScheduleRequestError(`unknown task '${req.task}'; tasks: ${design.tasks.map((t) => t.name).join(', ')}`);
  const target = design.targets.find((t) => t.name === req.target);
  if (!target)
    throw new ScheduleRequestError(
      `unknown target '${req.target}'; targets: ${design.targets.map((t) => t.name).join(', ') || '(none declared)'}`,
    );
  const strategy = req.strategy ?? target.schedule;
  if (!STRATEGIES.includes(strategy))
    throw new ScheduleRequestError(`unknown strategy '${String(strategy)}'; strategies: ${STRATEGIES.join(', ')}`);
  const routingSpec: RoutingSpec | undefined = req.routing ?? design.model.moe?.routing;
  const trace = routingSpec?.kind === 'trace' ? req.traces?.get(routingSpec.path) : undefined;
  const routing = routingSpec ? routeAllLayers(design, routingSpec, trace) : [];
  const routingNotes: string[] = [];
  for (const r of routing) if (r.source === 'balanced-fallback') routingNotes.push(`layer ${r.layer}: ${r.reason}; assumed balanced routing`);
  if (trace?.task !== undefined && trace.task !== task.name && routing.some((r) => r.source === 'trace'))
    routingNotes.push(`trace was recorded for task '${trace.task}', used here for task '${task.name}'`);
  const loadResidentState = strategy === 'all_resident' && req.previousTask !== undefined && req.previousTask !== task.name;
  return { design, task, target, strategy, routing, routingNotes, loadResidentState, previousTask: req.previousTask, routingSpec, trace };
}

/**
 * The timeline after the last block, per (design, target, strategy, routing line, trace), for numbers-only runs in
 * steady state: nothing before the head depends on the task then, so the engine's every-task analysis simulates the
 * backbone once per target × strategy and clones it for each task's head.
 */
interface BackboneSnapshot {
  key: string;
  trace: RoutingTrace | undefined;
  timeline: Timeline;
  nextDenseBuffer: 'ping' | 'pong';
}
const backboneCache = new WeakMap<Design, BackboneSnapshot[]>();

/**
 * Whole numbers-only frames, per (design, target, strategy, routing line, trace, task, steady | cold | switch).
 * A switch frame depends on whether the task changed, not on which task ran before (the new task's routers and head
 * are loaded either way), so the engine's every-pair switch costs simulate once per task.
 */
interface FrameMemo {
  key: string;
  trace: RoutingTrace | undefined;
  timeline: Timeline;
}
const frameCache = new WeakMap<Design, Map<string, FrameMemo[]>>();

/**
 * Runs the frame; `events` null = compute the numbers only. A numbers-only result may come from the memo: callers
 * must treat the returned timeline as read-only (they copy what they report).
 */
export function runFrame(frame: ResolvedFrame, events: ScheduleEvent[] | null): Timeline {
  if (events !== null) return simulate(frame, events);
  const mode = !frame.loadResidentState ? 'steady' : frame.previousTask === null ? 'cold' : 'switch';
  const key = `${frame.target.name}|${frame.strategy}|${JSON.stringify(frame.routingSpec ?? null)}|${frame.task.name}|${mode}`;
  let byKey = frameCache.get(frame.design);
  if (!byKey) frameCache.set(frame.design, (byKey = new Map<string, FrameMemo[]>()));
  let memos = byKey.get(key);
  if (!memos) byKey.set(key, (memos = []));
  const hit = memos.find((m) => m.trace === frame.trace);
  if (hit) return hit.timeline;
  const timeline = simulate(frame, null);
  memos.push({ key, trace: frame.trace, timeline });
  return timeline;
}

function simulate(frame: ResolvedFrame, events: ScheduleEvent[] | null): Timeline {
  const rates = ratesOf(frame.target);
  const cacheable = events === null && !frame.loadResidentState;
  if (!cacheable) {
    const tl = new Timeline(rates, events);
    const builder = new FrameBuilder(frame, tl, rates);
    builder.runBackbone();
    builder.runHead();
    return tl;
  }
  const key = `${frame.target.name}|${frame.strategy}|${JSON.stringify(frame.routingSpec ?? null)}`;
  let snapshots = backboneCache.get(frame.design);
  if (!snapshots) backboneCache.set(frame.design, (snapshots = []));
  let snapshot = snapshots.find((s) => s.key === key && s.trace === frame.trace);
  if (!snapshot) {
    const tl = new Timeline(rates, null);
    const builder = new FrameBuilder(frame, tl, rates);
    builder.runBackbone();
    // Close the last block so the snapshot holds only finished (frozen, shareable) layers.
    tl.endLayer();
    snapshot = { key, trace: frame.trace, timeline: tl, nextDenseBuffer: builder.denseBuffer };
    snapshots.push(snapshot);
  }
  const tl = snapshot.timeline.clone();
  const builder = new FrameBuilder(frame, tl, rates);
  builder.denseBuffer = snapshot.nextDenseBuffer;
  builder.runHead();
  return tl;
}

/** How one linear through ping/pong is labelled and costed. */
interface DenseOptions {
  expert?: number;
  /** The output rows are read-modify-written (the expert FC2's `out[token] += score·y`). */
  accumulate?: boolean;
  /** Whether the matrix has a bias (a router has none). */
  bias?: boolean;
  /** The load event's label (the op name unless said). */
  loadWhat?: string;
}

class FrameBuilder {
  private readonly model: ModelSpec;
  private readonly n: number;
  private readonly d: number;
  /** Alternates ping/pong for the dense weight loads in program order (Edge-MoE: Q ping, K pong, V ping, …). */
  private nextDenseBuffer: 'ping' | 'pong' = 'ping';
  private readonly routingByLayer = new Map<number, LayerRouting>();
  /** One ping/pong weight buffer: what a matrix is tiled to (weight_buffer). */
  private readonly capacity: BufferCapacity;

  constructor(
    private readonly frame: ResolvedFrame,
    private readonly tl: Timeline,
    private readonly r: Rates,
  ) {
    this.model = frame.design.model;
    this.n = tokenCount(this.model);
    this.d = this.model.dim;
    for (const routing of frame.routing) this.routingByLayer.set(routing.layer, routing);
    this.capacity = pingPongCapacity(frame.design, frame.target, frame.strategy);
  }

  /** Everything before the head: resident state (all_resident), embeddings and every block. */
  runBackbone(): void {
    this.tl.beginLayer(EMBED_LAYER, 'embed');
    this.residentState();
    this.patchEmbed();
    this.taskEmbed();
    for (let layer = 0; layer < this.model.depth; layer++) this.block(layer);
  }

  runHead(): void {
    this.head();
    this.tl.endLayer();
  }

  /** The ping/pong buffer the next dense load goes to (carried across a cached backbone). */
  get denseBuffer(): 'ping' | 'pong' {
    return this.nextDenseBuffer;
  }

  set denseBuffer(buffer: 'ping' | 'pong') {
    this.nextDenseBuffer = buffer;
  }

  /**
   * all_resident keeps task state on chip across frames. At a cold start it loads every MoE layer's router, the
   * task-embedding MLP of a shared gate, and the task's head. At a switch it loads the new task's routers (per-task
   * gates only: a shared router and its task-embedding MLP serve every task) and the new task's head.
   */
  private residentState(): void {
    if (!this.frame.loadResidentState) return;
    const moe = this.model.moe;
    const cold = this.frame.previousTask === null;
    if (moe && (moe.gate.kind === 'per_task' || cold))
      this.tl.load({ layer: EMBED_LAYER, what: 'routers', buffer: 'routers', bytes: moe.layers.length * this.routerBytes() });
    if (cold) this.tl.load({ layer: EMBED_LAYER, what: 'task_embed', buffer: 'task_embed', bytes: this.taskEmbedBytes() });
    this.tl.load({ layer: EMBED_LAYER, what: 'head', buffer: 'head', bytes: this.headWeightBytes() });
  }

  /** Weights of the shared gate's task-embedding MLP: Linear(T→Dt)+bias, Linear(Dt→Dt)+bias, LayerNorm(Dt). */
  private taskEmbedBytes(): number {
    const gate = this.model.moe?.gate;
    if (!gate || gate.kind !== 'shared') return 0;
    const t = this.frame.design.tasks.length;
    const dt = gate.embedDim;
    return Math.ceil((t * dt + dt + dt * dt + dt + 2 * dt) * this.r.weightBytes);
  }

  /**
   * The shared gate's task embedding e_task = LN(Linear(GELU(Linear(onehot(task))))), once per frame, before the
   * blocks. Its weights stream in per frame, except under all_resident, which keeps them.
   */
  private taskEmbed(): void {
    const gate = this.model.moe?.gate;
    if (!gate || gate.kind !== 'shared') return;
    const t = this.frame.design.tasks.length;
    const dt = gate.embedDim;
    if (this.frame.strategy !== 'all_resident') this.tl.load({ layer: EMBED_LAYER, what: 'task_embed', buffer: 'task_embed', bytes: this.taskEmbedBytes() });
    this.tl.compute({ lane: 'linear', op: 'task_embed', what: `task embedding ${t}→${dt}→${dt}`, cycles: linearCycles(1, t, dt, this.r) + linearCycles(1, dt, dt, this.r), buffer: 'task_embed', tokens: 1 });
  }

  private patchEmbed(): void {
    const inDim = this.model.input.channels * this.model.patch.height * this.model.patch.width;
    const patches = patchCount(this.model);
    this.tl.load({ layer: EMBED_LAYER, what: 'patch_embed', buffer: 'patch', bytes: linearWeightBytes(inDim, this.d, this.r) });
    // Position embedding (and the cls token) are added to the patch-embedding output (Edge-MoE compute_patch_embed).
    const posValues = this.n * this.d + (this.model.cls ? this.d : 0);
    this.tl.load({ layer: EMBED_LAYER, what: 'pos_embed', buffer: 'pos', bytes: Math.ceil(posValues * this.r.weightBytes) });
    // Pixels are 8-bit (Edge-MoE pixel_t); the cls row is pos_embed[0] + cls and costs no MACs. The patch embedding
    // has its own unit (src/conv.cpp), not the linear arrays.
    this.tl.compute({
      lane: 'linear',
      op: 'patch_embed',
      what: `patch_embed ${inDim}→${this.d}`,
      cycles: patchEmbedCycles(patches, inDim, this.d, this.model.patch.width, this.r),
      buffer: 'patch',
      tokens: patches,
    });
    this.vector('pos_add', this.n * this.d, [1], 'pos');
  }

  /**
   * A linear whose weights come through ping/pong: each tile (the whole matrix when it fits the buffer) loads into
   * the next buffer and computes from it; every tile reads all `rows` input rows again (the extra activation passes
   * of a `weight_buffer` smaller than the matrix).
   */
  private dense(layer: number, op: string, inDim: number, outDim: number, rows = this.n, options: DenseOptions = {}): void {
    const { expert, accumulate = false, bias = true, loadWhat = op } = options;
    const tiles = outputTiles({ in: inDim, out: outDim }, this.capacity, this.frame.target);
    for (const [i, tileOut] of tiles.entries()) {
      const buffer = this.nextDenseBuffer;
      this.nextDenseBuffer = buffer === 'ping' ? 'pong' : 'ping';
      const bytes = bias ? linearWeightBytes(inDim, tileOut, this.r) : Math.ceil(inDim * tileOut * this.r.weightBytes);
      this.tl.load({ layer, what: loadWhat, buffer, bytes, expert });
      const what = this.tl.keepsEvents ? this.linearWhat(op, inDim, outDim, tileOut, tiles.length, i, expert) : '';
      this.tl.compute({ lane: 'linear', op, what, cycles: linearCycles(rows, inDim, tileOut, this.r, { accumulate }), buffer, expert, tokens: rows });
    }
  }

  private linearWhat(op: string, inDim: number, outDim: number, tileOut: number, tiles: number, i: number, expert?: number): string {
    const name = expert === undefined ? op : this.expertWhat(expert, op === 'expert_fc1' ? 0 : 1);
    const base = expert === undefined ? `${name} ${inDim}→${outDim}` : name;
    return tiles > 1 ? `${base} (tile ${i + 1}/${tiles}: ${tileOut} outputs)` : base;
  }

  /** An element-wise pass: `streams` = how many tensors of `values` move through the ports at once. */
  private vector(op: string, values: number, streams: readonly number[], buffer?: string, computePasses = 1): void {
    const bytes: number[] = [];
    for (const k of streams) bytes.push(k * values * this.r.actBytes);
    this.tl.compute({ lane: 'vector', op, what: op, cycles: vectorCycles(values, bytes, this.r, computePasses), buffer });
  }

  /** LayerNorm (src/layernorm.cpp): read x, write the output; two pipelined passes per token (statistics, normalise). */
  private layerNorm(op: string, values: number, buffer?: string): void {
    this.vector(op, values, [1, 1], buffer, 2);
  }

  /** Residual add (src/add.cpp compute_add(x, tmp, x)): x is read and written through one port, tmp read through another. */
  private residualAdd(op: string): void {
    this.vector(op, this.n * this.d, [2, 1]);
  }

  private block(layer: number): void {
    const moeRouting = this.routingByLayer.get(layer);
    // all_resident: the bank's bulk load is queued after the previous layer's weight loads (see file comment).
    if (moeRouting && this.frame.strategy === 'all_resident') this.bankLoad(layer);
    const summary = this.tl.beginLayer(layer, moeRouting ? 'moe' : 'dense');
    if (moeRouting) summary.routing = moeRouting.source;
    const nd = this.n * this.d;
    // Edge-MoE load_norms: both LayerNorms' weight and bias for this block.
    this.tl.load({ layer, what: 'norms', buffer: 'norm', bytes: Math.ceil(4 * this.d * this.r.weightBytes) });
    this.layerNorm('norm1', nd, 'norm');
    this.dense(layer, 'q', this.d, this.d);
    this.dense(layer, 'k', this.d, this.d);
    this.tl.compute({ lane: 'attention', op: 'qk', what: 'Q·Kᵀ + softmax stats', cycles: attentionCycles(this.n, this.d, this.r), tokens: this.n });
    this.dense(layer, 'v', this.d, this.d);
    this.tl.compute({ lane: 'attention', op: 'av', what: 'softmax(QKᵀ)·V', cycles: attentionCycles(this.n, this.d, this.r), tokens: this.n });
    this.dense(layer, 'proj', this.d, this.d);
    this.residualAdd('add1');
    this.layerNorm('norm2', nd, 'norm');
    if (moeRouting) this.moeBlock(layer, moeRouting);
    else {
      this.dense(layer, 'fc1', this.d, this.model.mlpHidden);
      this.dense(layer, 'fc2', this.model.mlpHidden, this.d);
    }
    this.residualAdd('add2');
  }

  private gateIn(): number {
    const gate = this.model.moe!.gate;
    return this.d + (gate.kind === 'shared' ? gate.embedDim : 0);
  }

  /** One layer's router [d_gate → E], no bias (NoisyGate_VMoE). */
  private routerBytes(): number {
    return Math.ceil(this.gateIn() * this.model.moe!.experts * this.r.weightBytes);
  }

  private moeBlock(layer: number, routing: LayerRouting): void {
    const used: number[] = [];
    routing.counts.forEach((c, e) => {
      if (c > 0) used.push(e);
    });
    this.tl.currentLayer.expertsUsed = used.length;
    this.router(layer);
    // The expert outputs are accumulated (score × y) into a zeroed output (Edge-MoE zero_output).
    this.vector('zero', this.n * this.d, [1]);
    switch (this.frame.strategy) {
      case 'expert_by_expert':
        return this.expertByExpert(layer, routing, used);
      case 'token_by_token':
        return this.tokenByToken(layer, routing);
      case 'all_resident':
        return this.allResident(routing, used);
    }
  }

  /**
   * The router of one MoE layer. With a gate unit (Edge-MoE): the router loads into its own buffer per layer
   * (load_w_gate), except all_resident which keeps every layer's, and the unit computes logits and decision. Without
   * one (M3ViT's reordering with shared arrays): the logits are a linear [d_gate → E] on the linear arrays, tiled over
   * the experts through ping/pong like any matrix; the per-token decision then runs on the router's small unit.
   */
  private router(layer: number): void {
    const moe = this.model.moe!;
    const resident = this.frame.strategy === 'all_resident';
    const unit = this.r.gateUnit;
    const what = this.tl.keepsEvents ? `gate ${this.gateIn()}→${moe.experts} + softmax + top-${moe.topK}` : '';
    if (unit) {
      if (!resident) this.tl.load({ layer, what: 'gate', buffer: 'gate', bytes: this.routerBytes() });
      this.tl.compute({ lane: 'gate', op: 'gate', what, cycles: gateUnitCycles(this.n, this.gateIn(), moe.experts, unit, this.r), buffer: resident ? 'routers' : 'gate', tokens: this.n });
      return;
    }
    const m = routerMatrix(this.model)!;
    if (resident)
      this.tl.compute({ lane: 'linear', op: 'gate', what, cycles: linearCycles(this.n, m.in, m.out, this.r), buffer: 'routers', tokens: this.n });
    else this.dense(layer, 'gate', m.in, m.out, this.n, { bias: false }); // NoisyGate_VMoE: no bias
    // The logits go off chip and come back for the decision; the running softmax + top-k walk every expert per token.
    const logitBytes = this.n * moe.experts * this.r.actBytes;
    this.tl.compute({
      lane: 'gate',
      op: 'gate_decision',
      what: this.tl.keepsEvents ? `softmax + top-${moe.topK} over ${moe.experts} logits` : '',
      cycles: vectorCycles(this.n * moe.experts, [logitBytes], this.r, 0) + routerDecisionCycles(this.n, moe.experts),
      tokens: this.n,
    });
  }

  private expertFc1(rows: number, buffer: string, expert: number, cycles = linearCycles(rows, this.d, this.model.moe!.hidden, this.r)): void {
    const what = this.tl.keepsEvents ? this.expertWhat(expert, 0) : '';
    this.tl.compute({ lane: 'linear', op: 'expert_fc1', what, cycles, buffer, expert, tokens: rows });
  }

  private expertFc2(rows: number, buffer: string, expert: number, cycles = linearCycles(rows, this.model.moe!.hidden, this.d, this.r, { accumulate: true })): void {
    const what = this.tl.keepsEvents ? this.expertWhat(expert, 1) : '';
    this.tl.compute({ lane: 'linear', op: 'expert_fc2', what, cycles, buffer, expert, tokens: rows });
  }

  /** Event labels per expert, built once (token_by_token emits one per token and expert). */
  private whatCache: string[][] = [[], []];

  private expertWhat(expert: number, fc: 0 | 1): string {
    const h = this.model.moe!.hidden;
    return (this.whatCache[fc][expert] ??= fc === 0 ? `expert ${expert} fc1 ${this.d}→${h} + GELU` : `expert ${expert} fc2 ${h}→${this.d} × score`);
  }

  private expertBytes(): { fc1: number; fc2: number } {
    const h = this.model.moe!.hidden;
    return { fc1: linearWeightBytes(this.d, h, this.r), fc2: linearWeightBytes(h, this.d, this.r) };
  }

  private expertByExpert(layer: number, routing: LayerRouting, used: number[]): void {
    const h = this.model.moe!.hidden;
    for (const e of used) {
      // FC1 (+GELU) over the expert's queue into tmp_hidden, then FC2 × score accumulated into the output; each is
      // tiled to the weight buffer like any matrix (one tile each when it fits, as in Edge-MoE).
      // The loads are labelled fc1/fc2 (what the schedule views and tests look for).
      this.dense(layer, 'expert_fc1', this.d, h, routing.counts[e], { expert: e, loadWhat: 'fc1' });
      this.dense(layer, 'expert_fc2', h, this.d, routing.counts[e], { expert: e, accumulate: true, loadWhat: 'fc2' });
    }
    this.tl.currentLayer.expertLoads = used.length;
  }

  private tokenByToken(layer: number, routing: LayerRouting): void {
    const moe = this.model.moe!;
    const k = moe.topK;
    const bytes = this.expertBytes();
    const expertBytes = bytes.fc1 + bytes.fc2;
    // Slots hold this layer's experts only: a new layer starts with every slot stale.
    const slotExpert = new Array<number>(k).fill(-1);
    const slotNames = Array.from({ length: k }, (_, j) => `slot${j}`);
    // The hot loop of the simulator (N·k steps per layer): resolve buffers and op accumulators once, and call the
    // timeline's arithmetic core directly when no events are kept — the same core `load`/`compute` use.
    const slotIds = slotNames.map((name) => this.tl.buffer(name));
    const fc1Op = this.tl.op('expert_fc1');
    const fc2Op = this.tl.op('expert_fc2');
    const fast = !this.tl.keepsEvents;
    const needed = new Uint8Array(moe.experts);
    // The slot each expert sits in (-1: none), and per slot the index in this token's choice it serves (-1: none):
    // the inverse maps of slotExpert, so a token costs O(k) lookups rather than O(k²) searches.
    const slotOfExpert = new Int32Array(moe.experts).fill(-1);
    const choiceOfSlot = new Int32Array(k);
    // One-row costs are the same for every token: compute them once per layer.
    const fc1Row = linearCycles(1, this.d, moe.hidden, this.r);
    const fc2Row = linearCycles(1, moe.hidden, this.d, this.r, { accumulate: true });
    let loads = 0;
    // A token whose k experts all sit in the k slots loads nothing and computes fc1, fc2 on slots 0…k-1. It cannot
    // stall: every slot was loaded for an earlier token and computed on after its load, and (prefetch off) each
    // compute waits for the load port, so after any token the compute clock is past every load. Such tokens'
    // effects are identical, so in a numbers-only run a run of them is one timeline step (runStallFreeRounds);
    // under `routing worst` nearly every token is one. The events path simulates them one by one (the tests pin
    // both paths equal).
    const roundOps = Array.from({ length: 2 * k }, (_, i) => (i % 2 === 0 ? fc1Op : fc2Op));
    const roundCycles = Array.from({ length: 2 * k }, (_, i) => (i % 2 === 0 ? fc1Row : fc2Row));
    const roundBuffers = Array.from({ length: 2 * k }, (_, i) => slotIds[i >> 1]);
    const batch = fast && Number.isSafeInteger(fc1Row) && Number.isSafeInteger(fc2Row);
    let freeTokens = 0;
    const flushFree = () => {
      this.tl.runStallFreeRounds('linear', roundOps, roundCycles, roundBuffers, freeTokens);
      freeTokens = 0;
    };
    for (const choice of routing.perToken) {
      if (batch) {
        // k distinct experts all held fill the k slots. The clocks do not move during a run of free tokens, so
        // whether they are whole cycles is asked once per run.
        let held = 0;
        while (held < k && slotOfExpert[choice[held]] >= 0) held++;
        if (held === k && (freeTokens > 0 || this.tl.wholeCycles)) {
          freeTokens++;
          continue;
        }
        if (freeTokens > 0) flushFree();
      }
      choiceOfSlot.fill(-1);
      for (let j = 0; j < k; j++) needed[choice[j]] = 1;
      for (let j = 0; j < k; j++) {
        const held = slotOfExpert[choice[j]];
        if (held >= 0 && choiceOfSlot[held] < 0) choiceOfSlot[held] = j;
      }
      for (let j = 0; j < k; j++) {
        if (slotOfExpert[choice[j]] >= 0) continue;
        // The lowest slot holding no expert this token needs (one exists: k slots, k distinct needs).
        let s = 0;
        while (slotExpert[s] >= 0 && needed[slotExpert[s]]) s++;
        if (slotExpert[s] >= 0) slotOfExpert[slotExpert[s]] = -1;
        slotExpert[s] = choice[j];
        slotOfExpert[choice[j]] = s;
        choiceOfSlot[s] = j;
        if (fast) this.tl.runLoad(layer, slotIds[s], expertBytes);
        else this.tl.load({ layer, what: 'expert', buffer: slotNames[s], bytes: expertBytes, expert: choice[j] });
        loads++;
      }
      // Compute in slot order so the lowest slot frees first for the next token's loads.
      for (let s = 0; s < k; s++) {
        const j = choiceOfSlot[s];
        if (j < 0) continue;
        if (fast) {
          this.tl.runCompute('linear', fc1Op, fc1Row, slotIds[s]);
          this.tl.runCompute('linear', fc2Op, fc2Row, slotIds[s]);
        } else {
          this.expertFc1(1, slotNames[s], choice[j], fc1Row);
          this.expertFc2(1, slotNames[s], choice[j], fc2Row);
        }
      }
      for (let j = 0; j < k; j++) needed[choice[j]] = 0;
    }
    if (freeTokens > 0) flushFree();
    this.tl.currentLayer.expertLoads = loads;
  }

  /** all_resident: every expert of `layer` in one bulk load, queued before the layer's own loads. */
  private bankLoad(layer: number): void {
    const bytes = this.expertBytes();
    this.tl.load({ layer, what: 'experts', buffer: 'bank', bytes: this.model.moe!.experts * (bytes.fc1 + bytes.fc2) });
  }

  private allResident(routing: LayerRouting, used: number[]): void {
    this.tl.currentLayer.expertLoads = this.model.moe!.experts;
    for (const e of used) {
      this.expertFc1(routing.counts[e], 'bank', e);
      this.expertFc2(routing.counts[e], 'bank', e);
    }
  }

  private headWeightBytes(): number {
    let sum = Math.ceil(headNormParams(this.model, this.frame.task) * this.r.weightBytes);
    for (const op of headOps(this.model, this.frame.task)) if (op.kind === 'linear') sum += linearWeightBytes(op.inDim, op.outDim, this.r);
    return sum;
  }

  private head(): void {
    const layer = this.model.depth;
    this.tl.beginLayer(layer, 'head');
    const resident = this.frame.strategy === 'all_resident';
    // LayerNorm affine of the head's input (and BN of a pup head, folded into its convolutions at load time).
    if (!resident) this.tl.load({ layer, what: 'head_norms', buffer: 'head_norm', bytes: Math.ceil(headNormParams(this.model, this.frame.task) * this.r.weightBytes) });
    const normBuffer = resident ? 'head' : 'head_norm';
    for (const op of headOps(this.model, this.frame.task)) {
      if (op.kind === 'vector') {
        if (op.op === 'head_norm') this.layerNorm(op.op, op.values, normBuffer);
        else this.vector(op.op, op.values, new Array<number>(op.passes).fill(1));
      }
      else if (resident)
        this.tl.compute({ lane: 'linear', op: op.op, what: `${op.op} ${op.inDim}→${op.outDim}`, cycles: linearCycles(op.rows, op.inDim, op.outDim, this.r), buffer: 'head', tokens: op.rows });
      else this.dense(layer, op.op, op.inDim, op.outDim, op.rows);
    }
  }
}

