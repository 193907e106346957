/**
 * Fuzz, two families of seeded inputs per run:
 * - 2,400 mutations of the samples (character and token deletions, insertions, swaps);
 * - 2,000 structural mutations (docs/limits.md): deep nesting of `{`, `[` and `repeat` (up to 5,000 levels), huge
 *   and malformed numbers (1e308, 1e999, 2^53 + 1, -0, NaN-looking words), very long lines (up to 50 k
 *   characters), control characters (ESC, BEL, NUL, C1), and truncation at any offset.
 * The analyzer must never throw, every diagnostic span lies within the text, messages are one line without raw
 * control characters, and the language services (diagnostics, format, symbols, folding, semantic tokens, code
 * lenses, hover, completion) answer every input. Time per input is bounded by counting work — the diagnostics are
 * at most linear in the text — and by one generous wall-clock bound per input (5 s, where inputs take ~1 ms; it
 * only catches a hang or a super-linear blow-up, never a slow machine).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { createLanguageServices } from '../../language/src/services/index';
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

const HUGE_NUMBERS = ['1e308', '1e999', '-1e999', '9007199254740993', '1e-400', '-0', '0x10', '1e', '1e+', '.', '00000000000000000000001', '179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', 'NaN', 'Infinity'];
const CONTROLS = ['\u001b[31m', '\u001b]0;pwned\u0007', '\u0007', '\u0000', '\u009b2J', '\u007f', '\b\b\b', '\u000b\u000c'];

/** One structural mutation of a sample: what a hostile or broken file does to the front end's bounds. */
function structural(text: string, r: () => number): string {
  const pick = (n: number) => Math.floor(r() * n);
  const at = pick(text.length + 1);
  const insert = (s: string) => text.slice(0, at) + s + text.slice(at);
  const depth = [50, 99, 100, 101, 150, 3000, 5000][pick(7)];
  switch (pick(8)) {
    case 0: // deep braces, closed or not
      return insert('{'.repeat(depth) + (r() < 0.5 ? '}'.repeat(depth) : ''));
    case 1: // deep lists
      return insert('layers ' + '['.repeat(depth) + '1' + (r() < 0.5 ? ']'.repeat(depth) : '') + '\n');
    case 2: // deep repeat, in a scenario (valid tasks, so it reaches the frames expansion)
      return `${text}\nscenario deep {\n  frames ${'repeat 1 { '.repeat(depth)}semseg${' }'.repeat(r() < 0.8 ? depth : pick(depth))}\n  fps 30\n}\n`;
    case 3: {
      // a huge or malformed number in place of a number of the sample
      const numbers = [...text.matchAll(/\b\d+(\.\d+)?\b/g)];
      if (numbers.length === 0) return insert(HUGE_NUMBERS[pick(HUGE_NUMBERS.length)]);
      const m = numbers[pick(numbers.length)];
      return text.slice(0, m.index) + HUGE_NUMBERS[pick(HUGE_NUMBERS.length)] + text.slice(m.index + m[0].length);
    }
    case 4: {
      // a very long line: of a word, of digits, of bad characters, or of a string
      const n = [1_000, 20_000, 50_000][pick(3)];
      const unit = ['x', '9', '§', '"', 'a b ', '{}', '[,'][pick(7)];
      return insert(unit.repeat(Math.ceil(n / unit.length)));
    }
    case 5: // control characters inside words, strings and comments
      return insert(CONTROLS[pick(CONTROLS.length)]);
    case 6: // truncation at any offset (a half-written file, a partial save)
      return text.slice(0, at);
    default: // several of the above
      return structural(structural(text, r), r);
  }
}

// A hang detector, not a speed check (speed is bench/'s job, beside its goals): a full analysis of the stress sample
// takes ~0.3 s on a quiet 2-core machine, and several seconds when every core is busy, so the bound is generous.
const WALL_BOUND_MS = 20_000;

function checkAnalysis(c: number, text: string): void {
  let a;
  try {
    a = analyzeDocument(text);
  } catch (e) {
    assert.fail(`case ${c} threw: ${(e as Error).stack}\n--- text (first 500 characters) ---\n${text.slice(0, 500)}`);
  }
  // Work counted: diagnostics are at most one per character (plus the few whole-file ones).
  assert.ok(a.diagnostics.length <= text.length + 10, `case ${c}: ${a.diagnostics.length} diagnostics for ${text.length} characters`);
  for (const d of a.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `case ${c}: bad span ${JSON.stringify(d)}`);
    assert.ok(d.message.length > 0 && !d.message.includes('\n'), `case ${c}: message ${d.message}`);
     
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(d.message), `case ${c}: raw control character in ${JSON.stringify(d.message)}`);
    assert.ok(d.message.length < 2_000, `case ${c}: a ${d.message.length}-character message`);
  }
  for (const ref of a.references) assert.ok(ref.span.start >= 0 && ref.span.end <= text.length);
  assert.equal(a.design !== undefined, !a.diagnostics.some((d) => d.severity === 'error'), `case ${c}: design iff no error`);
}

test('fuzz: 2,400 mutated samples never throw and every span is within the text', () => {
  const CASES = 2400;
  for (let c = 0; c < CASES; c++) {
    const r = rng(1000 + c);
    checkAnalysis(c, mutate(sources[c % sources.length], r));
  }
});

test('fuzz: 2,000 structural mutations (deep nesting, huge numbers, long lines, control characters, truncation) are bounded in the analyzer and the language services', () => {
  const CASES = 2000;
  const services = createLanguageServices();
  let deepest = 0;
  for (let c = 0; c < CASES; c++) {
    const r = rng(50_000 + c);
    const text = structural(sources[c % sources.length], r);
    const started = performance.now();
    checkAnalysis(c, text);
    const uri = `file:///fuzz/${c}.m3v`;
    try {
      services.update(uri, 1, text);
      services.diagnostics(uri);
      services.format(uri);
      services.documentSymbols(uri);
      services.foldingRanges(uri);
      services.semanticTokens(uri);
      services.codeLenses(uri);
      const offset = Math.floor(r() * (text.length + 1));
      const line = text.slice(0, offset).split('\n').length - 1;
      const position = { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
      services.hover(uri, position);
      services.completion(uri, position);
    } catch (e) {
      assert.fail(`case ${c}: a language service threw: ${(e as Error).stack}\n--- text (first 500 characters) ---\n${text.slice(0, 500)}`);
    } finally {
      services.close(uri);
    }
    const ms = performance.now() - started;
    assert.ok(ms < WALL_BOUND_MS, `case ${c}: ${ms.toFixed(0)} ms for ${text.length} characters`);
    deepest = Math.max(deepest, (text.match(/\{/g) ?? []).length);
  }
  // The generator did reach deep nesting (the parser's bound is 100; inputs go to 5,000).
  assert.ok(deepest >= 3000, `deepest input had only ${deepest} braces`);
});
