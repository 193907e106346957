/**
 * Cross-check of the parser's Design against the literal fixture: the Edge-MoE sample must count exactly like the
 * hand-written design, and every sample must check clean and analyse to finite, non-negative numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { countDesign } from '../../engine/costs/taskCounts';
import { analyzeDesign } from '../../engine/analyze';
import { analysisToJson } from '../../engine/analysisJson';
import type { Design } from '../../engine/design';
import { edgeMoeDesign } from './fixtures';

const root = join(__dirname, '..', '..');
const analyzer = join(root, 'language', 'src', 'analyze.ts');
const sample = join(root, 'samples', 'edge-moe-zcu102.m3v');

async function parse(path: string): Promise<Design | undefined> {
  const { analyzeDocument } = (await import(pathToFileURL(analyzer).href)) as { analyzeDocument: (t: string) => { design?: Design } };
  return analyzeDocument(readFileSync(path, 'utf8')).design;
}

test('samples/edge-moe-zcu102.m3v counts exactly like the literal Edge-MoE fixture', async () => {
  const design = await parse(sample);
  assert.ok(design, 'the sample has errors');
  const fromText = countDesign(design);
  const literal = countDesign(edgeMoeDesign());
  assert.equal(fromText.tasks.length, literal.tasks.length);
  for (let i = 0; i < literal.tasks.length; i++) {
    assert.equal(fromText.tasks[i].count.macs, literal.tasks[i].count.macs);
    assert.equal(fromText.tasks[i].denseMtl.macs, literal.tasks[i].denseMtl.macs);
  }
  assert.equal(fromText.params.total, literal.params.total);
});

test('every sample analyses to finite, non-negative numbers', async () => {
  const files = readdirSync(join(root, 'samples')).filter((f) => f.endsWith('.m3v'));
  assert.ok(files.length >= 6);
  for (const f of files) {
    const design = await parse(join(root, 'samples', f));
    assert.ok(design, `${f} has errors`);
    const bad: string[] = [];
    const walk = (v: unknown, path: string): void => {
      // The JSON turns a non-finite figure into null: a null where a figure belongs is the same defect.
      if (v === null && /(percent|fps|_ms)$/.test(path)) bad.push(`${path} = null`);
      if (typeof v === 'number') {
        // Infinity is not finite: a report must never carry it (JSON would silently turn it into null).
        if (!Number.isFinite(v) || v < 0) bad.push(`${path} = ${v}`);
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) if (!k.startsWith('reduction') && k !== 'layer') walk(x, `${path}.${k}`);
    };
    walk(analysisToJson(analyzeDesign(design)), f);
    assert.deepEqual(bad, []);
  }
});
