/**
 * Explorations through the built language server over stdio (dist/server.js and its dist/server-explore-worker.js):
 * `m3v/exploreStart` runs in the worker with `m3v/exploreProgress` notifications and answers with the same front as
 * the engine's own `explore()` in this process; `m3v/exploreCancel` stops it with a partial result; the explore
 * block's lens shows the front, follows an applied point (`m3v/explorePointEdits`) and goes stale on other edits.
 * Timings (points/s, completion p95 during a run, cancel latency) are measured by bench/explore-server.bench.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../language/src/analyze';
import { explore } from '../../engine/explore/run';
import {
  EXPLORE_CANCEL,
  EXPLORE_POINT_EDITS,
  EXPLORE_PROGRESS,
  EXPLORE_START,
  type ExplorePointEditsResult,
  type ExploreProgressParams,
  type ExploreRunView,
  type ViewResult,
} from '../../language/src/server/protocol';
import { STALE_RUN_SUFFIX } from '../../language/src/server/exploreLens';

const server = join(__dirname, '..', '..', 'dist', 'server.js');
const FULL = readFileSync(join(__dirname, '..', 'fixtures', 'explore-6840.m3v'), 'utf8');
let child: ChildProcess;
let connection: MessageConnection;
const progress: ExploreProgressParams[] = [];
let refreshes = 0;

before(async () => {
  assert.ok(existsSync(server), 'dist/server.js is missing: run `node build.mjs` first');
  child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification(EXPLORE_PROGRESS, (p: ExploreProgressParams) => void progress.push(p));
  connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    return null;
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { codeLens: { refreshSupport: true } } },
  });
  await connection.sendNotification('initialized', {});
});

after(() => {
  connection?.dispose();
  child?.kill();
});

const start = (uri: string, explore: string, sample?: number) =>
  connection.sendRequest<ViewResult<ExploreRunView>>(EXPLORE_START, { textDocument: { uri }, explore, ...(sample !== undefined ? { sample } : {}) });

function viewOf(r: ViewResult<ExploreRunView>): ExploreRunView {
  assert.ok('view' in r, `expected a view, got: ${'stale' in r ? r.stale : ''}`);
  return r.view;
}

test('an explore runs in the server worker, reports progress, and its front is the engine’s', async () => {
  const uri = 'file:///explore/full.m3v';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version: 1, text: FULL } });
  progress.length = 0;
  const view = viewOf(await start(uri, 'big_space', 500));
  const r = view.result;
  assert.equal(r.points, 5 * 3 * 76 * 2 * 3, 'the space as written: 5 linear × 3 attention × 76 clocks × 2 formats × 3 schedules');
  assert.equal(r.evaluated + r.skipped, r.points);
  assert.equal(r.cancelled, false);

  const design = analyzeDocument(FULL).design!;
  const expected = explore(design, { name: 'big_space' });
  assert.deepEqual(
    r.front.map((p) => p.index),
    expected.front.map((p) => p.index),
    'the same front, point for point',
  );
  assert.deepEqual(
    r.front.map((p) => p.objectives),
    expected.front.map((p) => p.objectives),
  );
  assert.equal(r.failed_budgets, expected.failed_budgets);

  // Points for the scatter: the whole front and at most the asked 500 others, each with its status.
  const { stride, rows, shown } = view.points;
  assert.equal(stride, 2 + 5 + 3);
  assert.equal(rows.length, shown * stride);
  assert.equal(shown, r.front.length + Math.min(500, r.evaluated - r.front.length));
  const statuses = Array.from({ length: shown }, (_, i) => rows[i * stride + 1]);
  assert.equal(statuses.filter((s) => s === 0).length, r.front.length);
  assert.ok(statuses.filter((s) => s === 2).length > 0, 'failing points are in the sample (most of this space fails a budget)');
  for (let i = 0; i < shown; i++) if (statuses[i] === 2) assert.ok(view.points.failed[i]?.length > 0, `failing point ${i} lists its budgets`);

  // Progress: in order, ending at the total, with the front so far.
  assert.ok(progress.length >= 1, 'at least one progress notification');
  const last = progress[progress.length - 1];
  assert.equal(last.total, r.points);
  assert.equal(last.done, r.points);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i].done >= progress[i - 1].done);
  assert.ok(refreshes >= 1, 'the server asked the client to refresh its lenses');
});

test('m3v/exploreCancel stops a run; the start request answers with the points evaluated so far', async () => {
  const uri = 'file:///explore/full.m3v';
  progress.length = 0;
  const running = start(uri, 'big_space');
  // Cancel once the worker has reported (it is then in its loop).
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (progress.length > 0) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  const cancelled = await connection.sendRequest<{ cancelled: boolean }>(EXPLORE_CANCEL, { textDocument: { uri } });
  assert.equal(cancelled.cancelled, true);
  const answer = await running;
  if ('view' in answer) {
    assert.equal(answer.view.result.cancelled, true);
    assert.ok(answer.view.result.evaluated < answer.view.result.points, 'stopped before the end');
  } else assert.match(answer.stale, /cancelled/);
  const again = await connection.sendRequest<{ cancelled: boolean }>(EXPLORE_CANCEL, { textDocument: { uri } });
  assert.equal(again.cancelled, false, 'nothing runs any more');
});

test('the explore lens shows the front, follows an applied point and goes stale on another edit', async () => {
  const uri = 'file:///explore/lens.m3v';
  const small = FULL.replace('step 2 MHz', 'step 50 MHz');
  let doc = TextDocument.create(uri, 'm3v', 1, small);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version: 1, text: small } });
  const lensTitle = async (prefix: RegExp) => {
    const lenses = await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    return lenses.map((l) => l.command?.title ?? '').find((t) => prefix.test(t)) ?? '';
  };
  assert.doesNotMatch(await lensTitle(/points \(/), /front/, 'no front before a run');
  const view = viewOf(await start(uri, 'big_space'));
  const front = view.result.front;
  assert.ok(front.length > 0);
  const runLens = await lensTitle(/points \(/);
  assert.ok(runLens.includes(`front ${front.length} of ${view.result.feasible}`), runLens);
  const hardwareBefore = await lensTitle(/DSP/);

  // Apply the front point with the most FPS (not the design as written): edits from the server, applied here.
  const best = [...front].sort((a, b) => b.objectives.fps - a.objectives.fps)[0];
  const edits = await connection.sendRequest<ExplorePointEditsResult>(EXPLORE_POINT_EDITS, {
    textDocument: { uri },
    explore: 'big_space',
    values: best.values,
  });
  assert.ok('edits' in edits, 'stale' in edits ? edits.stale : '');
  const applied = TextDocument.applyEdits(doc, edits.edits);
  for (const [key, value] of Object.entries(best.values))
    assert.match(applied, new RegExp(`\\n\\s+${key}\\s+${value.replace(/[<>]/g, '\\$&')}\\s`), `${key} ${value} written`);
  doc = TextDocument.create(uri, 'm3v', 2, applied);
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: applied }] });
  const followed = await lensTitle(/points \(/);
  assert.ok(followed.includes(`front ${front.length} of`), followed);
  assert.ok(!followed.includes(STALE_RUN_SUFFIX), `applying a point of the space keeps the front valid: ${followed}`);
  assert.notEqual(await lensTitle(/DSP/), hardwareBefore, 'the hardware lens follows the applied point');

  const budgetEdit = applied.replace('fps     >= 25', 'fps     >= 20');
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: budgetEdit }] });
  assert.ok((await lensTitle(/points \(/)).endsWith(STALE_RUN_SUFFIX), 'a budget change makes the run stale');
});

test('bad explore requests get a clear answer, never a crash', async () => {
  const uri = 'file:///explore/full.m3v';
  const unknown = await start(uri, 'nope');
  assert.ok('stale' in unknown);
  assert.match(unknown.stale, /no explore named "nope"; it declares: big_space/);
  const wrong = await connection.sendRequest<ExplorePointEditsResult>(EXPLORE_POINT_EDITS, {
    textDocument: { uri },
    explore: 'big_space',
    values: { clock: '999 MHz' },
  });
  assert.ok('stale' in wrong);
  assert.match(wrong.stale, /clock 999 MHz is not one of explore 'big_space''s values/);
  await assert.rejects(connection.sendRequest(EXPLORE_START, { textDocument: { uri } }), /params\.explore must be a string/);
  const closed = await start('file:///explore/not-open.m3v', 'big_space');
  assert.ok('stale' in closed);
  assert.match(closed.stale, /is not open/);
});
