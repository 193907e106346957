/**
 * The schedule's invariants as reusable checks, run over fixtures, random designs and (when they exist) the samples.
 * Each throws an AssertionError naming the offending events.
 */
import assert from 'node:assert/strict';
import type { Design, Strategy } from '../../engine/design';
import { frameLatency, simulateFrame } from '../../engine/schedule/index';
import type { FrameRequest, FrameSchedule, ScheduleEvent } from '../../engine/schedule/index';
import { routeAllLayers } from '../../engine/schedule/routing';

export function assertNoLaneOverlap(s: FrameSchedule): void {
  const byLane = new Map<string, ScheduleEvent[]>();
  for (const e of s.events) {
    if (!(e.end > e.start) || !Number.isInteger(e.start) || !Number.isInteger(e.end)) assert.fail(`empty, negative or fractional event ${JSON.stringify(e)}`);
    let list = byLane.get(e.lane);
    if (!list) byLane.set(e.lane, (list = []));
    list.push(e);
  }
  for (const [lane, list] of byLane) {
    const sorted = list.slice().sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i].start < sorted[i - 1].end) assert.fail(`lane ${lane}: ${JSON.stringify(sorted[i - 1])} overlaps ${JSON.stringify(sorted[i])}`);
  }
}

/**
 * Ping/pong discipline: no compute reads a buffer while a load into it is running, and every compute reads the
 * weights it needs — the latest load into its buffer that finished before it started carries the same layer and
 * (for a one-expert buffer) the same expert. Loads share one port, so per buffer they are disjoint and sorted.
 */
export function assertBufferDiscipline(s: FrameSchedule): void {
  const loadsByBuffer = new Map<string, ScheduleEvent[]>();
  for (const e of s.events) {
    if (e.lane !== 'load') continue;
    let list = loadsByBuffer.get(e.buffer!);
    if (!list) loadsByBuffer.set(e.buffer!, (list = []));
    list.push(e);
  }
  for (const list of loadsByBuffer.values()) list.sort((a, b) => a.start - b.start);
  for (const e of s.events) {
    if (e.lane === 'load' || e.buffer === undefined) continue;
    const loads = loadsByBuffer.get(e.buffer) ?? [];
    // The last load that starts before the compute ends is the only one that can overlap it.
    const i = lastIndex(loads, (l) => l.start < e.end);
    if (i >= 0 && loads[i].end > e.start) assert.fail(`compute ${JSON.stringify(e)} reads '${e.buffer}' while ${JSON.stringify(loads[i])} writes it`);
    if (e.expert === undefined) continue;
    const j = lastIndex(loads, (l) => l.end <= e.start);
    if (j < 0) assert.fail(`compute ${JSON.stringify(e)} reads '${e.buffer}' that was never loaded`);
    const latest = loads[j];
    if (latest.layer !== e.layer) assert.fail(`compute ${JSON.stringify(e)} reads layer ${latest.layer}'s weights`);
    // The bank holds every expert of the layer; any other buffer holds exactly one expert.
    if (e.buffer !== 'bank' && latest.expert !== e.expert) assert.fail(`compute ${JSON.stringify(e)} reads expert ${latest.expert} from '${e.buffer}'`);
  }
}

/** Index of the last element satisfying a predicate that holds on a prefix of the array, or -1. */
function lastIndex<T>(items: T[], holds: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(items[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** expert_by_expert: per MoE layer each expert with a non-empty queue loads fc1 and fc2 exactly once; no other expert. */
export function assertExpertByExpertLoads(design: Design, s: FrameSchedule, req: FrameRequest): void {
  const routings = routeAllLayers(design, req.routing ?? design.model.moe!.routing, req.traces?.get((design.model.moe?.routing as { path?: string })?.path ?? ''));
  for (const r of routings) {
    const used = r.counts.map((c, e) => (c > 0 ? e : -1)).filter((e) => e >= 0);
    for (const what of ['fc1', 'fc2']) {
      const loaded = s.events.filter((e) => e.lane === 'load' && e.layer === r.layer && e.what === what).map((e) => e.expert!);
      assert.deepEqual(loaded.slice().sort((a, b) => a - b), used, `layer ${r.layer} ${what} loads`);
    }
  }
}

/** makespan ≡ frameLatency; per-layer cycles sum to it; per-op cycles (compute + stall) sum to each layer. */
export function assertLatencyAgrees(req: FrameRequest, s: FrameSchedule): void {
  const lat = frameLatency(req);
  assert.equal(lat.cycles, s.makespan_cycles);
  assert.equal(lat.perLayer.reduce((a, l) => a + l.cycles, 0), lat.cycles, 'Σ perLayer = makespan');
  for (const l of lat.perLayer) {
    const ops = lat.perOp.filter((o) => o.layer === l.layer).reduce((a, o) => a + o.cycles, 0);
    assert.equal(ops, l.cycles, `layer ${l.layer}: Σ perOp = layer cycles`);
  }
  // A loop, not Math.max(...events): 10⁵ arguments overflow the stack.
  assert.equal(s.events.reduce((m, e) => Math.max(m, e.end), 0), s.makespan_cycles, 'the last event ends at the makespan');
  assert.equal(s.summary.eventCount, s.events.length);
}

export function checkAllInvariants(design: Design, req: Omit<FrameRequest, 'design'>): FrameSchedule {
  const full = { design, ...req };
  const s = simulateFrame(full);
  assertNoLaneOverlap(s);
  assertBufferDiscipline(s);
  assertLatencyAgrees(full, s);
  const strategy: Strategy = req.strategy ?? design.targets.find((t) => t.name === req.target)!.schedule;
  if (strategy === 'expert_by_expert' && design.model.moe) assertExpertByExpertLoads(design, s, full);
  return s;
}
