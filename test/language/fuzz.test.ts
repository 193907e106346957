/**
 * Fuzz: 2,400 seeded mutations of the samples (character and token deletions, insertions, swaps). The analyzer must
 * never throw, and every diagnostic span must lie within the text with start ≤ end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { mulberry32 } from '../../engine/random';

const samplesDir = join(resolve(__dirname, '..', '..'), 'samples');
// The stress sample is large; its mutations cost more without exercising different paths.
const sources = readdirSync(samplesDir).filter((f) => f.endsWith('.m3v') && f !== 'stress.m3v').sort().map((f) => readFileSync(join(samplesDir, f), 'utf8'));

/** Seeded, so a failure reproduces from its case number. */
const rng = mulberry32;

const INSERTS = ['{', '}', '[', ']', '"', '/*', '//', '\n', ';', ',', '<', '%', 'x', '1e', '-', '0', '9999999999', 'repeat', 'moe', 'model m {', 'GB/s', '€', '\r', 'fixed<', 'task', 'hardware h {', 'every', '.5'];

function mutate(text: string, r: () => number): string {
  const pick = (n: number) => Math.floor(r() * n);
  const tokens = text.split(/(\s+)/);
  const ops = 1 + pick(4);
  let t = text;
  for (let k = 0; k < ops; k++) {
    const at = pick(t.length + 1);
    switch (pick(6)) {
      case 0: // delete characters
        t = t.slice(0, at) + t.slice(at + 1 + pick(5));
        break;
      case 1: // insert a troublesome fragment
        t = t.slice(0, at) + INSERTS[pick(INSERTS.length)] + t.slice(at);
        break;
      case 2: {
        // swap two characters
        const b = pick(t.length);
        const chars = [...t];
        if (chars[at] !== undefined && chars[b] !== undefined) [chars[at], chars[b]] = [chars[b], chars[at]];
        t = chars.join('');
        break;
      }
      case 3: {
        // delete a token
        const i = pick(tokens.length);
        tokens.splice(i, 1);
        t = tokens.join('');
        break;
      }
      case 4: {
        // swap two tokens
        const i = pick(tokens.length);
        const j = pick(tokens.length);
        [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
        t = tokens.join('');
        break;
      }
      default: {
        // duplicate a token elsewhere
        const i = pick(tokens.length);
        t = t.slice(0, at) + (tokens[i] ?? '') + t.slice(at);
      }
    }
  }
  return t;
}

test('fuzz: 2,400 mutated samples never throw and every span is within the text', () => {
  const CASES = 2400;
  for (let c = 0; c < CASES; c++) {
    const r = rng(1000 + c);
    const text = mutate(sources[c % sources.length], r);
    let a;
    try {
      a = analyzeDocument(text);
    } catch (e) {
      assert.fail(`case ${c} threw: ${(e as Error).stack}\n--- text ---\n${text}`);
    }
    for (const d of a.diagnostics) {
      assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `case ${c}: bad span ${JSON.stringify(d)}`);
      assert.ok(d.message.length > 0 && !d.message.includes('\n'), `case ${c}: message ${d.message}`);
    }
    for (const ref of a.references) assert.ok(ref.span.start >= 0 && ref.span.end <= text.length);
    assert.equal(a.design !== undefined, !a.diagnostics.some((d) => d.severity === 'error'), `case ${c}: design iff no error`);
  }
});
