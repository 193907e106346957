/**
 * The language server's custom requests (language/src/server/protocol.ts) end to end over stdio, as the extension
 * and the designer use them: the summary's status figures, the Resources view and the schedule views equal what the
 * engine computes for the same text in this process; streamed events join to the whole frame; a cancelled heavy
 * request answers RequestCancelled and the server keeps answering; bad params get a clear InvalidParams error.
 * Needs dist/server.js and dist/heavy-worker.js (`npm test` builds before testing).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, createMessageConnection, ProgressType, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { analyzeDocument } from '../../../language/src/analyze';
import { analyzeDesign } from '../../../engine/analyze';
import { simulateFrame } from '../../../engine/schedule/index';
import { STRATEGIES } from '../../../engine/design';
import { resourcesView, statusFigures } from '../../../webviews/host/views';
import {
  COMPARE_STRATEGIES,
  DESIGN_SUMMARY,
  joinScheduleChunks,
  RESOURCES_VIEW,
  SCHEDULE_VIEW,
  SIMULATE_SCENARIO,
  type DesignSummary,
  type ScheduleEventsChunk,
  type ViewResult,
} from '../../../language/src/server/protocol';
import type { ResourcesView, ScheduleView } from '../../../webviews/protocol';

const root = join(__dirname, '..', '..', '..');
const server = join(root, 'dist', 'server.js');
const samples = join(root, 'samples');
let child: ChildProcess;
let connection: MessageConnection;

function uriOf(name: string): string {
  return pathToFileURL(join(samples, name)).href;
}

function openSample(name: string, version = 1): string {
  const uri = uriOf(name);
  void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version, text: readFileSync(join(samples, name), 'utf8') } });
  return uri;
}

before(async () => {
  assert.ok(existsSync(server), 'dist/server.js is missing: run `node build.mjs` first');
  child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
});

after(async () => {
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  child.kill();
});

test('m3v/designSummary and m3v/resourcesView equal the engine on the same text', async () => {
  const name = 'edge-moe-zcu102.m3v';
  const uri = openSample(name);
  const summary = await connection.sendRequest<DesignSummary>(DESIGN_SUMMARY, { textDocument: { uri, version: 1 } });
  const design = analyzeDocument(readFileSync(join(samples, name), 'utf8')).design!;
  assert.equal(summary.version, 1);
  assert.equal(summary.problem, undefined);
  assert.deepEqual(summary.tasks, design.tasks.map((t) => t.name));
  assert.deepEqual(summary.targets, design.targets.map((t) => t.name));
  assert.deepEqual(summary.scenarios, design.scenarios.map((s) => s.name));
  const report = analyzeDesign(design, { skipSwitch: true });
  for (const s of summary.status) assert.deepEqual(s.figures, statusFigures(report, s.task, s.target), `${s.task} on ${s.target}`);
  assert.equal(summary.status.length, design.tasks.length * design.targets.length);
  const task = design.tasks[0].name;
  const target = design.targets[0].name;
  const resources = await connection.sendRequest<ViewResult<ResourcesView>>(RESOURCES_VIEW, { textDocument: { uri }, task, target });
  assert.ok('view' in resources, JSON.stringify(resources));
  assert.deepEqual(resources.view, resourcesView(design, report, task, target, uri));
});

test('a design with an error answers stale with a located line; an unknown target answers stale', async () => {
  const uri = 'file:///virtual/broken.m3v';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version: 3, text: 'model m {\n  dim banana\n}\n' } });
  const summary = await connection.sendRequest<DesignSummary>(DESIGN_SUMMARY, { textDocument: { uri, version: 3 } });
  assert.match(summary.problem ?? '', /^\d+:\d+: /);
  const r = await connection.sendRequest<ViewResult<ResourcesView>>(RESOURCES_VIEW, { textDocument: { uri }, task: 'a', target: 'b' });
  assert.ok('stale' in r && /^\d+:\d+: /.test(r.stale), JSON.stringify(r));
  const good = uriOf('edge-moe-zcu102.m3v');
  const none = await connection.sendRequest<ViewResult<ResourcesView>>(RESOURCES_VIEW, { textDocument: { uri: good }, task: 'semseg', target: 'nope' });
  assert.ok('stale' in none);
});

test('m3v/scheduleView is the target strategy frame; m3v/compareStrategies streams every strategy in chunks', async () => {
  const name = 'edge-moe-zcu102.m3v';
  const uri = uriOf(name);
  const design = analyzeDocument(readFileSync(join(samples, name), 'utf8')).design!;
  const t = design.targets[0];
  const task = design.tasks[0].name;
  const own = await connection.sendRequest<ViewResult<ScheduleView>>(SCHEDULE_VIEW, { textDocument: { uri }, task, target: t.name });
  assert.ok('view' in own);
  const frame = simulateFrame({ design, task, target: t.name, strategy: t.schedule });
  assert.deepEqual(own.view.runs.map((r) => [r.strategy, r.makespanCycles, r.events.length]), [[t.schedule, frame.makespan_cycles, frame.events.length]]);
  const chunks: ScheduleEventsChunk[] = [];
  const token = 'test-compare';
  const sub = connection.onProgress(new ProgressType<ScheduleEventsChunk>(), token, (c) => void chunks.push(c));
  const streamed = await connection.sendRequest<ViewResult<ScheduleView>>(COMPARE_STRATEGIES, { textDocument: { uri }, task, target: t.name, partialResultToken: token });
  sub.dispose();
  assert.ok('view' in streamed);
  assert.ok(streamed.view.runs.every((r) => r.events.length === 0), 'with a partial result token the result carries no events');
  assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
  const joined = joinScheduleChunks(streamed.view, chunks);
  assert.deepEqual(joined.runs.map((r) => r.strategy).sort(), [...STRATEGIES].sort());
  assert.equal(joined.runs[0].strategy, t.schedule);
  for (const run of joined.runs) {
    const f = simulateFrame({ design, task, target: t.name, strategy: run.strategy as (typeof STRATEGIES)[number] });
    assert.equal(run.events.length, f.events.length, run.strategy);
    assert.equal(run.makespanCycles, f.makespan_cycles, run.strategy);
  }
  // Without the token every event is in the result itself.
  const whole = await connection.sendRequest<ViewResult<ScheduleView>>(COMPARE_STRATEGIES, { textDocument: { uri }, task, target: t.name });
  assert.ok('view' in whole);
  assert.deepEqual(whole.view, joined);
  const scenario = await connection.sendRequest<ViewResult<ScheduleView>>(SIMULATE_SCENARIO, { textDocument: { uri }, task, target: t.name, scenario: design.scenarios[0].name });
  assert.ok('view' in scenario && scenario.view.scenario && scenario.view.scenario.frames.length > 0);
});

test('a cancelled compare on the stress design answers RequestCancelled and completion still answers', async () => {
  const uri = openSample('stress.m3v');
  const summary = await connection.sendRequest<DesignSummary>(DESIGN_SUMMARY, { textDocument: { uri } });
  const cts = new CancellationTokenSource();
  const heavy = connection.sendRequest(COMPARE_STRATEGIES, { textDocument: { uri }, task: summary.tasks[0], target: summary.targets[0], partialResultToken: 'x' }, cts.token);
  setTimeout(() => cts.cancel(), 30);
  await assert.rejects(heavy, (error: { code?: number }) => error.code === -32800);
  const items = await connection.sendRequest<unknown[]>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } });
  assert.ok(Array.isArray(items));
});

test('custom requests with missing params answer InvalidParams with the field named', async () => {
  await assert.rejects(connection.sendRequest(DESIGN_SUMMARY, {}), (e: { code?: number; message?: string }) => e.code === -32602 && /textDocument\.uri/.test(e.message ?? ''));
  await assert.rejects(connection.sendRequest(RESOURCES_VIEW, { textDocument: { uri: uriOf('edge-moe-zcu102.m3v') } }), (e: { code?: number; message?: string }) => e.code === -32602 && /task/.test(e.message ?? ''));
});
