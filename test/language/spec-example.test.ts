/** The specification's example (shared/spec/m3v-language.md) checks clean and describes the model of samples/edge-moe-zcu102.m3v. */
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

test('the spec example checks clean and has the model, tasks and scenario tasks of the edge-moe-zcu102 sample', { skip: exists ? false : `no ${specFile} (../shared is absent)` }, () => {
  const spec = readFileSync(specFile, 'utf8');
  const match = /```m3v\n([\s\S]*?)```/.exec(spec);
  assert.ok(match, 'the spec has an m3v example');
  const fromSpec = analyzeDocument(match[1]);
  assert.deepEqual(fromSpec.diagnostics.map((d) => d.message), []);
  const sample = analyzeDocument(readFileSync(join(repoRoot, 'samples', 'edge-moe-zcu102.m3v'), 'utf8'));
  // The sample adds the board as built (ports, DDR, prefetch, gate unit, queues) and whole-board budgets beyond the
  // spec's example; the model and its tasks are the same.
  assert.deepEqual(sample.diagnostics.map((d) => d.message), []);
  assert.equal(meaning(fromSpec.design?.model), meaning(sample.design?.model));
  assert.equal(meaning(fromSpec.design?.tasks), meaning(sample.design?.tasks));
});
