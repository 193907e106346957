// Runs every benchmark under bench/ (`*.bench.ts`) one after another in this one invocation, so their tables
// (each printing goal vs measured side by side) come from the same machine state. Usage: node bench/run.mjs [filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit', cwd: join(dir, '..') });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
