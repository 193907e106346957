/** Shared by the explore tests: samples with their traces, and re-evaluating a point from its written .m3v text. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { applyEdits, pointEdits } from '../../language/src/explorePoint';
import { analyzeDesign } from '../../engine/analyze';
import type { Design } from '../../engine/design';
import type { RoutingTrace } from '../../engine/routing-trace';
import { parseRoutingTrace } from '../../engine/schedule/trace-format';
import type { ExploreSpec } from '../../engine/explore/spec';

export const SAMPLES = join(__dirname, '..', '..', 'samples');

export function loadText(text: string, file = join(SAMPLES, 'x.m3v')): { text: string; design: Design; traces: Map<string, RoutingTrace> } {
  const a = analyzeDocument(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (!a.design || errors.length > 0) throw new Error(`design does not check: ${errors.map((e) => e.message).join('; ')}`);
  const traces = new Map<string, RoutingTrace>();
  const routing = a.design.model.moe?.routing;
  if (routing?.kind === 'trace') {
    const parsed = parseRoutingTrace(readFileSync(resolve(dirname(file), routing.path), 'utf8'));
    if (parsed.ok) traces.set(routing.path, parsed.trace);
  }
  return { text, design: a.design, traces };
}

export function loadSample(name: string) {
  const file = join(SAMPLES, name);
  return loadText(readFileSync(file, 'utf8'), file);
}

/**
 * A point re-evaluated from scratch: the design text with the point's values written in, parsed and checked again,
 * then the full `analyzeDesign` report of the target — the objective figures and whether each budget holds.
 */
export function reEvaluate(text: string, spec: ExploreSpec, values: Record<string, string>, traces: Map<string, RoutingTrace>) {
  const tree = analyzeDocument(text).tree;
  const written = applyEdits(text, pointEdits(text, tree, spec, values));
  const a = analyzeDocument(written);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (!a.design || errors.length > 0) return { written, error: errors.map((e) => e.message).join('; ') };
  const report = analyzeDesign(a.design, { targets: [spec.target], traces });
  const target = report.targets[0];
  const own = target.strategies.find((s) => s.strategy === target.target.schedule)!;
  const byTask = (task: string | undefined, f: (t: (typeof own.tasks)[number]) => number) =>
    task !== undefined ? f(own.tasks.find((t) => t.task === task)!) : Math.max(...own.tasks.map(f));
  const objectives: Record<string, number> = {};
  for (const o of spec.objectives) {
    const v =
      o.metric === 'latency' ? byTask(o.task, (t) => t.latency.seconds)
      : o.metric === 'energy' ? byTask(o.task, (t) => t.energy.totalJ)
      : o.metric === 'traffic' ? byTask(undefined, (t) => t.traffic.total)
      : o.metric === 'fps' ? 1 / byTask(o.task, (t) => t.latency.seconds)
      : o.metric === 'onchip' ? own.onchip.bytes
      : target.resources.dsp;
    objectives[o.label] = v;
  }
  return { written, objectives, meetsBudgets: report.budgets.every((b) => b.ok !== false), budgets: report.budgets };
}
