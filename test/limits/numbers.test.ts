/**
 * Numbers: every key's sane range (language/src/schema.ts) is enforced at the number, and a design at the edges of
 * those ranges analyses to a report with no NaN or Infinity anywhere (generated designs: each ranged key set to its
 * minimum and its maximum in turn, on the Edge-MoE sample).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { analyzeDesign, analysisToJson } from '../../engine/index';
import { SCHEMA } from '../../language/src/schema';

const BASE = readFileSync(join(__dirname, '..', '..', 'samples', 'edge-moe-zcu102.m3v'), 'utf8');

/** Paths of non-finite numbers in a JSON-able value (JSON.stringify would hide them as null). */
function nonFinite(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'number' && !Number.isFinite(value)) out.push(`${path} = ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => nonFinite(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) nonFinite(v, `${path}.${k}`, out);
  return out;
}

/** The sample with its first line of `key` (any spacing, any comment) replaced by `replacement`. */
function withLine(key: string, replacement: string): string {
  const re = new RegExp(`^[ \\t]*${key}\\b.*$`, 'm');
  assert.ok(re.test(BASE), `the sample has a '${key}' line`);
  return BASE.replace(re, `  ${replacement}`);
}

const errors = (text: string) => analyzeDocument(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

test('the issue\'s absurd numbers are located errors, not NaN', () => {
  const cases: [string, string, RegExp][] = [
    ['experts 16', 'experts 1e308', /'experts' 1e308 is out of range: expected 1 to 4096/],
    ['hidden  384', 'hidden 1e308', /'hidden' 1e308 is out of range/],
    ['experts 16', 'experts 9007199254740993', /out of range/],
    ['clock', 'clock 1e308 MHz', /'clock' 1e308 MHz is out of range: expected 1 Hz to 10 GHz/],
    ['clock', 'clock 300 MHz\n  dsp 0', /'dsp' 0 is out of range: expected 1 to 1000000/],
    ['clock', 'clock 300 MHz\n  bram 0', /'bram' 0 is out of range/],
    ['dim   192', 'dim 1e999', /the number 1e999 is too large to represent/],
    ['classes 7', 'classes 9007199254740993', /out of range/],
  ];
  for (const [from, to, expected] of cases) {
    const got = errors(from.includes(' ') ? (assert.ok(BASE.includes(from), from), BASE.replace(from, to)) : withLine(from, to));
    assert.ok(got.some((m) => expected.test(m)), `${to}: ${got.join(' | ')}`);
  }
});

test('designs at the edges of every range analyse without NaN or Infinity in the report', () => {
  // [what is replaced, low edge, high edge] — the high edges are chosen inside each other's constraints (top_k ≤
  // experts, dim divisible by heads, input divisible by patch) so the design stays valid and reaches the engine.
  const edges: [string, string, string][] = [
    ['experts 16', 'experts 2', 'experts 4096'],
    ['top_k   2', 'top_k 1', 'top_k 16'],
    ['hidden  384', 'hidden 1', 'hidden 1048576'],
    ['clock', 'clock 1 Hz', 'clock 10 GHz'],
    ['bandwidth', 'bandwidth 1 B/s', 'bandwidth 10000 GB/s'],
    ['linear', 'linear 1 x 1', 'linear 65536 x 65536'],
    ['attention', 'attention 1 x 1', 'attention 65536 x 65536'],
    ['classes 7', 'classes 1', 'classes 1048576'],
    ['mlp   4x', 'mlp 1', 'mlp 1048576'],
    ['clock', 'clock 300 MHz\n  dsp 1\n  bram 1\n  uram 0', 'clock 300 MHz\n  dsp 1000000\n  bram 1000000\n  uram 1000000'],
    ['clock', 'clock 300 MHz\n  power static 0 W', 'clock 300 MHz\n  power static 10000 W'],
  ];
  for (const [from, low, high] of edges) {
    for (const to of [low, high]) {
      const text = from.includes(' ') ? (assert.ok(BASE.includes(from), from), BASE.replace(from, to)) : withLine(from, to);
      const a = analyzeDocument(text);
      assert.ok(a.design, `${to}: ${a.diagnostics.map((d) => d.message).join(' | ')}`);
      const json = analysisToJson(analyzeDesign(a.design, { skipSwitch: true }));
      const bad = nonFinite(json);
      assert.deepEqual(bad.slice(0, 5), [], `${to.replace(/\n\s*/g, '; ')}: ${bad.length} non-finite values`);
    }
  }
});

test('docs/limits.md lists the range of every ranged key of the schema', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'limits.md'), 'utf8');
  for (const block of Object.values(SCHEMA))
    for (const k of block.keys) if (k.range) assert.ok(doc.includes(`| ${k.range.text} |`) || doc.includes(`| ${k.range.text} (`), `${block.kind}.${k.key}: ${k.range.text}`);
});
