// Regenerates the key tables of docs/language.md from language/src/schema.ts.
// Run: node --import tsx scripts/gen-language-doc.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withSchemaTables } from '../language/src/schemaTables';

const file = join(resolve(__dirname, '..'), 'docs', 'language.md');
writeFileSync(file, withSchemaTables(readFileSync(file, 'utf8')));
console.log(`updated ${file}`);
