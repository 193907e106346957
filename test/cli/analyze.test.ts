/**
 * `m3v analyze` in-process on the spec's Edge-MoE example: JSON keys and exact counts, the text tables, --target, and
 * one-line usage errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeMoeDesignText } from '../fixtures/edgeMoeText';
import { runCli } from '../fixtures/runCli';


const EDGE_MOE = edgeMoeDesignText() + `budget zcu102 {
  onchip  < 75 %
  dsp     < 90 %
}
`;

const run = runCli;

function withFile<T>(text: string, f: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'm3v-analyze-'));
  const path = join(dir, 'design.m3v');
  writeFileSync(path, text);
  return f(path).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('m3v analyze --json: exact counts and the documented keys', async () => {
  await withFile(EDGE_MOE, async (path) => {
    const r = await run(['analyze', path, '--json']);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out);
    assert.equal(json.tasks[0].name, 'semseg');
    assert.equal(json.tasks[0].macs, 782_719_488 + 128 * 192 * 7);
    assert.equal(json.tasks[0].flops, 2 * json.tasks[0].macs);
    const s = json.targets[0].strategies.expert_by_expert;
    assert.equal(s.switch_cost_bytes, 0);
    assert.ok(s.latency_ms.semseg > 0);
    assert.equal(json.budgets.length, 2);
    assert.ok(json.budgets.every((b: { ok: boolean }) => b.ok === true));
  });
});

test('m3v analyze prints tables; bad usage is one line with exit 2', async () => {
  await withFile(EDGE_MOE, async (path) => {
    const text = await run(['analyze', path]);
    assert.equal(text.code, 0);
    assert.match(text.out, /expert_by_expert\s+semseg/);
    const badTarget = await run(['analyze', path, '--target', 'zcu104']);
    assert.equal(badTarget.code, 2);
    assert.equal(badTarget.err.trim().split('\n').length, 1);
    assert.match(badTarget.err, /unknown target 'zcu104'; the design declares: zcu102/);
    const badFlag = await run(['analyze', path, '--frobnicate']);
    assert.equal(badFlag.code, 2);
  });
  const missing = await run(['analyze', '/nonexistent/x.m3v']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read design file/);
});
