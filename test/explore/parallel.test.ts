/**
 * Shards and workers: the shards of a space merged give the result of one run (same front, same counts), in any
 * order; the worker pool with 1 and 2 workers gives the in-thread result; an abort stops the pool and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockFreeKeyOf, clockRunLength, digitsOf, explore, findExplore, makeSpace, mergeResults, type ExploreResult } from '../../engine/explore/index';
import { exploreInWorkers, ExploreWorkerPool, withoutLoaderFlags } from '../../node/explore-pool';
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

test('a bundled worker starts without the parent\'s module-loader flags, and keeps every other flag', () => {
  assert.deepEqual(withoutLoaderFlags(['--import', 'tsx', '--max-old-space-size=4096', '--import=tsx/esm', '-r', 'x.js', '--loader', 'l.mjs', '--require=y', '--experimental-loader', 'e.mjs', '--no-warnings']), [
    '--max-old-space-size=4096',
    '--no-warnings',
  ]);
  assert.deepEqual(withoutLoaderFlags([]), []);
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

test('clock runs: the run length is the clock axis size when clock varies fastest; chunks cut at runs still cover every point once', async () => {
  // The sample's explore block varies clock (fastest in the enumeration order) among other keys.
  const spec = findExplore(design);
  const space = makeSpace(spec);
  const clock = spec.axes.find((a) => a.key === 'clock');
  assert.ok(clock, 'the sample explores clock');
  assert.equal(clockRunLength(space), clock.choices.length);
  // Points k·run … (k+1)·run − 1 differ only in clock: the same clock-free key.
  const run = clockRunLength(space);
  for (let i = 0; i < Math.min(space.size, 3 * run); i++) {
    assert.equal(clockFreeKeyOf(space, i, digitsOf(space, i)), Math.floor(i / run) * run, `point ${i}`);
  }
  // A space with no clock axis has runs of one point.
  assert.equal(clockRunLength(makeSpace({ ...spec, axes: spec.axes.filter((a) => a.key !== 'clock') })), 1);
  // Chunks smaller than a run are rounded up to run boundaries and still give the in-thread result.
  const r = await exploreInWorkers(design, { workers: 2, chunk: 1 });
  assert.deepEqual(essentials(r), essentials(explore(design)));
});
