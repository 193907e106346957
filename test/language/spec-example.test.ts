/** The specification's example (shared/spec/m3v-language.md) checks clean and means the same as samples/edge-moe-zcu102.m3v. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';

const repoRoot = resolve(__dirname, '..', '..');
const specFile = join(sharedDir(), 'spec', 'm3v-language.md');
function sharedDir(): string {
  return resolve(repoRoot, '..', 'shared');
}
const exists = existsSync(specFile);

/** Drops spans and source text so two designs written differently compare by meaning; the sample's appended
 * `explore` block (a design space around it, not part of the design) is left out too. */
const meaning = (value: unknown): string =>
  JSON.stringify(value, (key, v) => (key === 'span' || key === 'nameSpan' || key === 'text' || key === 'explores' ? undefined : v));

test('the spec example checks clean and equals the edge-moe-zcu102 sample', { skip: !exists }, () => {
  const spec = readFileSync(specFile, 'utf8');
  const match = /```m3v\n([\s\S]*?)```/.exec(spec);
  assert.ok(match, 'the spec has an m3v example');
  const fromSpec = analyzeDocument(match[1]);
  assert.deepEqual(fromSpec.diagnostics.map((d) => d.message), []);
  const sample = analyzeDocument(readFileSync(join(repoRoot, 'samples', 'edge-moe-zcu102.m3v'), 'utf8'));
  assert.equal(meaning(fromSpec.design), meaning(sample.design));
});
