/**
 * Shards and workers: the shards of a space merged give the result of one run (same front, same counts), in any
 * order; the worker pool with 1 and 2 workers gives the in-thread result; an abort stops the pool and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore, mergeResults, type ExploreResult } from '../../engine/explore/index';
import { exploreInWorkers, ExploreWorkerPool } from '../../node/explore-pool';
import { loadSample } from './helpers';

const { design } = loadSample('edge-moe-zcu102.m3v');

const essentials = (r: ExploreResult) => ({
  evaluated: r.evaluated,
  skipped: r.skipped,
  failed_budgets: r.failed_budgets,
  feasible: r.feasible,
  budgets: r.budgets,
  front: r.front,
  best: r.best,
});

test('shards 0/3, 1/3, 2/3 merged (in any order, through JSON) equal one run', () => {
  const whole = explore(design);
  const shards = [0, 1, 2].map((i) => JSON.parse(JSON.stringify(explore(design, { shard: { index: i, count: 3 } }))) as ExploreResult);
  assert.equal(shards.reduce((n, s) => n + s.evaluated + s.skipped, 0), whole.points);
  assert.ok(shards.every((s) => s.front.length <= whole.front.length + 10));
  assert.deepEqual(essentials(mergeResults([shards[2], shards[0], shards[1]])), essentials(whole));
  assert.ok(mergeResults([shards[0], shards[2]]).notes.some((n) => n.includes('not every shard')));
});

test('merge refuses results of different explores', () => {
  const other = loadSample('dense-vit-baseline.m3v').design;
  assert.throws(() => mergeResults([explore(design), explore(other)]), /only parts of the same space merge/);
});

test('the worker pool with 1 and 2 workers gives the in-thread result, with progress', async () => {
  const whole = explore(design);
  for (const workers of [1, 2]) {
    let events = 0;
    const r = await exploreInWorkers(design, { workers, chunk: 16, onProgress: () => events++ });
    assert.deepEqual(essentials(r), essentials(whole), `${workers} workers`);
    assert.ok(events > 0, 'progress events');
  }
});

test('a kept worker pool serves run after run (other designs too, after a cancel) with the in-thread results', async () => {
  const pool = new ExploreWorkerPool();
  try {
    const other = loadSample('m3vit-small-pascal-zcu104.m3v').design;
    const ac = new AbortController();
    ac.abort();
    const cancelled = await exploreInWorkers(design, { workers: 2, pool, signal: ac.signal });
    assert.equal(cancelled.cancelled, true);
    for (const d of [design, other, design]) {
      const r = await exploreInWorkers(d, { workers: 2, chunk: 16, pool });
      assert.deepEqual(essentials(r), essentials(explore(d)));
    }
  } finally {
    await pool.close();
  }
});

test('an abort stops the pool: the result says cancelled and covers fewer points', async () => {
  const ac = new AbortController();
  let aborted = false;
  const r = await exploreInWorkers(design, {
    workers: 2,
    chunk: 4,
    signal: ac.signal,
    onProgress: (p) => {
      if (!aborted && p.done > 0) {
        aborted = true;
        ac.abort();
      }
    },
  });
  assert.equal(r.cancelled, true);
  assert.ok(r.evaluated + r.skipped < r.points, `${r.evaluated + r.skipped} of ${r.points}`);
  assert.ok(r.notes.some((n) => n.startsWith('cancelled')));
});

test('in-thread exploreAsync is cancelled between points by an AbortSignal', async () => {
  const { exploreAsync } = await import('../../engine/explore/index');
  const ac = new AbortController();
  ac.abort();
  const r = await exploreAsync(design, { signal: ac.signal });
  assert.equal(r.cancelled, true);
  assert.equal(r.evaluated, 0);
});
