/**
 * Benchmark of the schedule: wall time of simulateFrame (events kept) and frameLatency (numbers only) per strategy,
 * from the smallest design to the largest, with events per frame and time per event (the simulator is linear in
 * tokens × layers). Goals per simulateFrame: Edge-MoE < 5 ms, M3ViT-small (1025 tokens) < 30 ms, stress < 300 ms.
 * Run: node --import tsx bench/schedule.bench.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { STRATEGIES, type Design } from '../engine/design';
import { frameLatency, simulateFrame, simulateScenario } from '../engine/schedule/index';
import { edgeMoeDesign, m3vitSmallDesign, stressDesign } from '../test/schedule/fixtures';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  fn(); // warm-up (JIT, routing cache)
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const designs: { name: string; design: Design; goalMs: number }[] = [
  { name: 'fixture edge-moe (129 tok)', design: edgeMoeDesign(), goalMs: 5 },
  { name: 'fixture m3vit-small (1025 tok)', design: m3vitSmallDesign(), goalMs: 30 },
  { name: 'fixture stress (1025 tok, 12 MoE, E64 k4)', design: stressDesign(), goalMs: 300 },
];

/** The samples, when the language analyzer exists (samples/*.m3v); goals as for the fixtures they correspond to. */
async function sampleDesigns(): Promise<{ name: string; design: Design; goalMs: number }[]> {
  const root = join(__dirname, '..');
  const analyzer = join(root, 'language', 'src', 'analyze.ts');
  const dir = join(root, 'samples');
  if (!existsSync(analyzer) || !existsSync(dir)) return [];
  const { analyzeDocument } = (await import(pathToFileURL(analyzer).href)) as { analyzeDocument: (t: string) => { design?: Design } };
  const out: { name: string; design: Design; goalMs: number }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.m3v')).sort()) {
    const design = analyzeDocument(readFileSync(join(dir, file), 'utf8')).design;
    if (!design || design.targets.length === 0) continue;
    const goalMs = file.startsWith('stress') ? 300 : file.startsWith('m3vit-small') ? 30 : 5;
    out.push({ name: `sample ${file}`, design, goalMs });
  }
  return out;
}

async function main(): Promise<void> {
designs.push(...(await sampleDesigns()));
// Smallest to largest: tokens × layers.
const size = (d: Design): number => (d.model.input.height / d.model.patch.height) * (d.model.input.width / d.model.patch.width) * d.model.depth;
designs.sort((a, b) => size(a.design) - size(b.design));

const rows: string[][] = [['design', 'strategy', 'events', 'simulateFrame ms', 'ns/event', 'frameLatency cold ms', 'frameLatency warm ms', 'goal ms', 'ok']];
for (const { name, design, goalMs } of designs) {
  const task = design.tasks[0].name;
  const target = design.targets[0].name;
  for (const strategy of STRATEGIES) {
    const req = { design, task, target, strategy };
    const events = simulateFrame(req).events.length;
    const full = time(() => simulateFrame(req), 7);
    // Cold: a new Design object (as after an edit), so routing and the backbone are simulated afresh.
    const cold = time(() => frameLatency({ ...req, design: { ...design } }), 7);
    // Warm: another task of the same design, target and strategy (the engine's per-task loop): head only.
    const warm = time(() => frameLatency({ ...req, task: design.tasks[design.tasks.length - 1].name }), 7);
    rows.push([name, strategy, String(events), full.toFixed(2), ((full * 1e6) / events).toFixed(0), cold.toFixed(2), warm.toFixed(2), String(goalMs), full < goalMs ? 'yes' : 'NO']);
  }
}
for (const { name, design } of designs) {
  const scenario = design.scenarios[0]?.name;
  if (!scenario) continue;
  const ms = time(() => simulateScenario(design, scenario), 3);
  rows.push([name, `simulateScenario '${scenario}' (3 strategies, energy)`, '', ms.toFixed(2), '', '', '', '', '']);
}
// What the engine's analysis does per edit: frameLatency for every task × target × strategy on a fresh Design.
for (const { name, design } of designs) {
  const ms = time(() => {
    const fresh = { ...design };
    for (const target of design.targets) for (const strategy of STRATEGIES) for (const task of design.tasks) frameLatency({ design: fresh, task: task.name, target: target.name, strategy });
  }, 3);
  const calls = design.targets.length * STRATEGIES.length * design.tasks.length;
  rows.push([name, `all ${calls} task × target × strategy latencies (fresh Design)`, '', ms.toFixed(2), '', '', '', '', '']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

void main();
