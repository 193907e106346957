/** The server's explore runner (language/src/server/exploreRunner.ts) over a scripted worker: cancel, hard stop, replace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExploreRunner, type ExploreWorkerPort } from '../../language/src/server/exploreRunner';
import type { ExploreWorkerReply, ExploreWorkerRequest } from '../../language/src/server/exploreJob';
import type { Design } from '../../engine/design';

/** A worker that records what it is sent and answers only when the test says so. */
function scripted() {
  const sent: ExploreWorkerRequest[] = [];
  let reply: (r: ExploreWorkerReply) => void = () => undefined;
  let terminated = 0;
  const port: ExploreWorkerPort = {
    post: (r) => sent.push(r),
    onReply: (h) => (reply = h),
    onExit: () => undefined,
    terminate: () => void terminated++,
  };
  return { port, sent, reply: (r: ExploreWorkerReply) => reply(r), terminated: () => terminated };
}

const input = (onProgress = () => undefined) => ({ design: {} as Design, traces: new Map(), explore: 'e', sample: 10, onProgress });
const progress = { done: 5, total: 10, evaluated: 5, skipped: 0, failedBudgets: 0, front: 1 };
const doneView = { result: { cancelled: true } as never, points: { stride: 2, rows: [], failed: {}, shown: 0, evaluated: 5 } };

test('a cancel is posted to the worker, whose partial result answers the run', async () => {
  const w = scripted();
  const runner = new ExploreRunner(() => w.port);
  const seen: number[] = [];
  const run = runner.run('a', input(() => void seen.push(1)));
  const id = (w.sent[0] as { id: number }).id;
  w.reply({ type: 'progress', id, progress, elapsedMs: 3 });
  assert.equal(seen.length, 1);
  assert.equal(runner.cancel('b'), false, 'another document has no run');
  assert.equal(runner.cancel('a'), true);
  assert.deepEqual(w.sent[1], { type: 'cancel', id });
  w.reply({ type: 'done', id, view: doneView });
  assert.deepEqual(await run, doneView);
  assert.equal(w.terminated(), 0, 'the worker answered in time: kept warm');
  assert.equal(runner.current, undefined);
});

test('a worker that does not answer a cancel is terminated and the run answers from its last progress', async () => {
  const w = scripted();
  const runner = new ExploreRunner(() => w.port);
  const run = runner.run('a', input());
  const id = (w.sent[0] as { id: number }).id;
  w.reply({ type: 'progress', id, progress, elapsedMs: 3 });
  runner.cancel('a');
  const outcome = await run;
  assert.deepEqual(outcome, { cancelledBeforeResult: { progress, elapsedMs: 3 } });
  assert.equal(w.terminated(), 1);
  assert.equal(runner.stats.hardStops, 1);
  // The next run gets a fresh worker.
  const next = runner.run('a', input()).catch((e: Error) => e.message);
  assert.equal(runner.stats.workersStarted, 2);
  runner.dispose();
  assert.equal(await next, 'the language server is shutting down');
});

test('a new run cancels the one running; replies of the old run are not taken for the new one', async () => {
  const w = scripted();
  const runner = new ExploreRunner(() => w.port);
  const first = runner.run('a', input());
  const second = runner.run('b', input());
  const [start1, cancel1, start2] = w.sent as { type: string; id: number }[];
  assert.equal(cancel1.type, 'cancel');
  assert.equal(cancel1.id, start1.id);
  w.reply({ type: 'done', id: start1.id, view: doneView });
  w.reply({ type: 'done', id: start2.id, view: { ...doneView, points: { ...doneView.points, evaluated: 9 } } });
  assert.equal(((await second) as typeof doneView).points.evaluated, 9);
  // The first run's worker answered its cancel with its partial result, kept for its own request.
  assert.deepEqual(await first, doneView);
  runner.dispose();
});
