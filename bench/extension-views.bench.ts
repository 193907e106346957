// Prints the per-keystroke cost in the extension host for each sample: parse + check (language core), the engine
// report as the extension requests it (status bar), the Resources view, and the Schedule view (3 strategies, only
// while that panel is open). Run: node --import tsx bench/extension-views.bench.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngineAnalyzer } from '../webviews/host/engineAnalyzer';
import { parseDesign } from '../extension/analysis/parser';

const dir = new URL('../samples', import.meta.url).pathname;
const analyze = createEngineAnalyzer(parseDesign);

function ms(fn: () => unknown, n = 10): number {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.m3v')).sort()) {
  const text = readFileSync(join(dir, file), 'utf8');
  const uri = `file://${join(dir, file)}`;
  const a0 = analyze(text, uri);
  const [task, target] = [a0.tasks[0], a0.targets[0]];
  const parse = ms(() => analyze(text, uri));
  const status = ms(() => analyze(text, uri).status(task, target));
  const resources = ms(() => analyze(text, uri).resources(task, target)) ;
  const schedule = ms(() => analyze(text, uri).schedule(task, target), 3);
  const events = a0.schedule(task, target)?.runs.map((r) => r.events.length).join('/') ?? '-';
  console.log(
    `${file.padEnd(34)} parse ${parse.toFixed(2)} ms · +report (status bar) ${status.toFixed(2)} ms · ` +
      `+resources view ${resources.toFixed(2)} ms · +schedule view ${schedule.toFixed(2)} ms (events ${events})`,
  );
}
