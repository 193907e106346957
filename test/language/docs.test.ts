/** docs/language.md stays in sync with the schema and the messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BLOCK_KINDS, SCHEMA } from '../../language/src/schema';
import { schemaTablesMarkdown, TABLES_BEGIN, TABLES_END } from '../../language/src/schemaTables';

const repoRoot = resolve(__dirname, '..', '..');
const doc = readFileSync(join(repoRoot, 'docs', 'language.md'), 'utf8');

test('the generated key tables in docs/language.md match schema.ts', () => {
  const section = doc.slice(doc.indexOf(TABLES_BEGIN) + TABLES_BEGIN.length, doc.indexOf(TABLES_END));
  assert.equal(section.trim(), schemaTablesMarkdown().trim(), 'run: node --import tsx scripts/gen-language-doc.ts');
});

test('every schema key and block appears in the doc', () => {
  for (const kind of BLOCK_KINDS) for (const k of SCHEMA[kind].keys) assert.ok(doc.includes(`| \`${k.key}\` |`), `${kind}.${k.key}`);
});

test('every message code appears in the doc', () => {
  const source = readFileSync(join(repoRoot, 'language', 'src', 'messages.ts'), 'utf8');
  const codes = [...source.matchAll(/m\('([a-z-]+)'/g)].map((x) => x[1]);
  assert.ok(codes.length > 40);
  for (const code of codes) assert.ok(doc.includes(`\`${code}\``), code);
});
