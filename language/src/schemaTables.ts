/**
 * The key tables of docs/language.md, generated from the schema so the reference cannot drift from the checker.
 * `test/language/docs.test.ts` fails when the doc's generated section differs; `scripts/gen-language-doc.ts` rewrites it.
 */
import { BLOCK_KINDS, SCHEMA } from './schema';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function schemaTablesMarkdown(): string {
  const out: string[] = [];
  for (const kind of BLOCK_KINDS) {
    const b = SCHEMA[kind];
    out.push(`### \`${b.form}\``, '', b.meaning, '', '| key | forms | default | meaning |', '|---|---|---|---|');
    for (const k of b.keys) {
      const forms = k.forms.map((f) => '`' + cell(f) + '`').join('<br>');
      const def = k.required ? '**required**' : cell(k.defaultText ?? (k.repeatable ? 'repeatable' : '—'));
      out.push(`| \`${k.key}\` | ${forms} | ${def} | ${cell(k.meaning)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export const TABLES_BEGIN = '<!-- schema-tables:begin (generated from language/src/schema.ts) -->';
export const TABLES_END = '<!-- schema-tables:end -->';

/** Replaces the generated section of the doc text. */
export function withSchemaTables(doc: string): string {
  const a = doc.indexOf(TABLES_BEGIN);
  const b = doc.indexOf(TABLES_END);
  if (a < 0 || b < a) return doc;
  return doc.slice(0, a + TABLES_BEGIN.length) + '\n\n' + schemaTablesMarkdown() + '\n' + doc.slice(b);
}
