/**
 * Explorations in the language server (issue 13 item 3, the editor face): against the real server process
 * (dist/server.js over stdio, its explore worker included), an `m3v/exploreStart` of test/fixtures/explore-6840.m3v
 * (6,840 points) while completion and hover are asked every 20 ms, as a user keeps typing during a run. Then a second
 * run cancelled half-way, timing `m3v/exploreCancel` → the start request's answer.
 * Goals: completion and hover p95 < 100 ms during the run; cancel answered < 100 ms. Measured, not asserted: the
 * points per second the server's one worker reaches (engine speed is bench/explore.bench.ts's subject).
 * Run: npm run bench -- explore-server
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { EXPLORE_CANCEL, EXPLORE_PROGRESS, EXPLORE_START, type ExploreProgressParams, type ExploreRunView, type ViewResult } from '../language/src/server/protocol';

const PROBE_EVERY_MS = 20;
const GOAL_MS = 100;
const root = join(__dirname, '..');
const server = join(root, 'dist', 'server.js');
const text = readFileSync(join(root, 'test', 'fixtures', 'explore-6840.m3v'), 'utf8');

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function positionOf(needle: string, after = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + after;
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
}

async function main(): Promise<void> {
  if (!existsSync(server) || !existsSync(join(root, 'dist', 'server-explore-worker.js'))) {
    console.log('explore-server: SKIPPED (no dist/server.js or dist/server-explore-worker.js: run `node build.mjs` first)');
    return;
  }
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const progress: ExploreProgressParams[] = [];
  connection.onNotification(EXPLORE_PROGRESS, (p: ExploreProgressParams) => void progress.push(p));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
    const uri = 'file:///bench/explore-6840.m3v';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version: 1, text } });
    const completionAt = positionOf('clock         300 MHz', 14);
    const hoverAt = positionOf('experts 16', 2);
    // Warm: the first analysis and the first completion are not what a user waits for during a run.
    await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: completionAt });

    const completion: number[] = [];
    const hover: number[] = [];
    let finished = false;
    const t0 = performance.now();
    const run = connection.sendRequest<ViewResult<ExploreRunView>>(EXPLORE_START, { textDocument: { uri }, explore: 'big_space' }).finally(() => (finished = true));
    const probes = (async () => {
      for (let i = 0; !finished; i++) {
        const t = performance.now();
        if (i % 2 === 0) {
          await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: completionAt });
          completion.push(performance.now() - t);
        } else {
          await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverAt });
          hover.push(performance.now() - t);
        }
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
    })();
    const result = await run;
    const runMs = performance.now() - t0;
    await probes;
    if (!('view' in result)) throw new Error(`the run gave no view: ${result.stale}`);
    const r = result.view.result;

    // Cancel half-way through a second run.
    progress.length = 0;
    const second = connection.sendRequest<ViewResult<ExploreRunView>>(EXPLORE_START, { textDocument: { uri }, explore: 'big_space' });
    while (!progress.some((p) => p.done >= p.total / 2)) await new Promise((res) => setTimeout(res, 5));
    const tc = performance.now();
    await connection.sendRequest(EXPLORE_CANCEL, { textDocument: { uri } });
    const cancelled = await second;
    const cancelMs = performance.now() - tc;
    const partial = 'view' in cancelled ? `${cancelled.view.result.evaluated} of ${cancelled.view.result.points} evaluated` : cancelled.stale;

    const row = (name: string, goal: string, measured: string, verdict: string) => console.log(`${name.padEnd(60)} ${goal.padStart(10)} ${measured.padStart(14)}  ${verdict}`);
    const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
    console.log(`explore in the language server: ${r.points.toLocaleString('en-US')} points (front ${r.front.length}), one explore worker, 2 cores shared`);
    row('measured', 'goal', 'measured', '');
    row(`points per second in the server (run ${runMs.toFixed(0)} ms, ${progress.length ? 'progress streamed' : ''})`, '—', `${Math.round((r.evaluated + r.skipped) / (runMs / 1000)).toLocaleString('en-US')}/s`, '');
    const c95 = percentile(completion, 95);
    const h95 = percentile(hover, 95);
    row(`completion p95 during the run (${completion.length} requests; max ${Math.max(...completion).toFixed(1)} ms)`, `< ${GOAL_MS} ms`, `${c95.toFixed(1)} ms`, ok(c95 < GOAL_MS));
    row(`hover p95 during the run (${hover.length} requests; max ${Math.max(...hover).toFixed(1)} ms)`, `< ${GOAL_MS} ms`, `${h95.toFixed(1)} ms`, ok(h95 < GOAL_MS));
    row(`cancel → answer (${partial})`, `< ${GOAL_MS} ms`, `${cancelMs.toFixed(1)} ms`, ok(cancelMs < GOAL_MS));
  } finally {
    connection.dispose();
    child.kill();
  }
}

main().catch((error: Error) => {
  console.error(`explore-server bench failed: ${error.message}`);
  process.exit(1);
});
