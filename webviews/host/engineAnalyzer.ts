/**
 * The DesignAnalyzer of the extension host: the language core's `analyzeDocument` (text → checked Design) then
 * the engine's `analyzeDesign` (the same report `m3v analyze --json` prints and the language server's code lens
 * reads), with views built lazily and memoised per (task, target[, scenario]) for this text.
 * Takes the parser as a parameter so this module compiles and is tested independently of the language core.
 */
import type { Design } from '../../engine/design';
import { analyzeDesign, type AnalysisReport } from '../../engine/analyze';
import type { RoutingTrace } from '../../engine/routing-trace';
import type { DocumentAnalysis } from '../../language/src/types';
import type { ResourcesView, ScheduleView } from '../protocol';
import { emptyAnalysis, type AnalyzedDesign, type DesignAnalyzer } from './analyzer';
import { resourcesView, scheduleView, statusFigures } from './views';

export type DocumentParser = (text: string) => DocumentAnalysis;
/** Loads the routing traces a design names (Node side; relative to the design's URI). */
export type TraceLoader = (design: Design, uri: string) => ReadonlyMap<string, RoutingTrace> | undefined;

/** "line:col: message" of the first error, 1-based like the CLI. */
function firstError(doc: DocumentAnalysis): string {
  const d = doc.diagnostics.find((x) => x.severity === 'error');
  if (!d) return 'the design could not be checked';
  const before = doc.text.slice(0, d.span.start);
  const line = before.split('\n').length;
  const col = d.span.start - before.lastIndexOf('\n');
  return `${line}:${col}: ${d.message}`;
}

function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key)!;
}

/**
 * A full report some other part already computed for this text (the browser designer's worker runs the language
 * services, whose report feeds the budget diagnostics), so the same engine work is not done twice per keystroke.
 */
export type ReportFor = (text: string, uri: string) => AnalysisReport | undefined;

export function createEngineAnalyzer(parse: DocumentParser, loadTraces: TraceLoader = () => undefined, computed: ReportFor = () => undefined): DesignAnalyzer {
  return (text, uri): AnalyzedDesign => {
    const doc = parse(text);
    const design = doc.design;
    if (!design) return emptyAnalysis(firstError(doc));
    const traces = loadTraces(design, uri);
    let report: AnalysisReport | undefined = computed(text, uri);
    // skipSwitch: nothing the extension shows uses the task-switch simulation (2 extra schedule runs per task);
    // every figure it does show is identical with or without it.
    const getReport = () => (report ??= analyzeDesign(design, { traces, skipSwitch: true }));
    // The status bar needs one target at its own strategy only: on every keystroke with no panel open, that is all
    // that runs (the stress sample's token_by_token simulation alone is ~200 ms). Same engine, same numbers.
    const narrow = new Map<string, AnalysisReport>();
    const statusReport = (target: string) => {
      if (report) return report;
      const own = design.targets.find((t) => t.name === target)?.schedule;
      if (!own) return getReport();
      return memo(narrow, target, () => analyzeDesign(design, { traces, skipSwitch: true, targets: [target], strategies: [own] }));
    };
    // The Resources panel shows one target (all its strategies): analysing only that target keeps a many-target design
    // (the stress sample has four) within the keystroke budget. Same engine, same figures for that target.
    const perTarget = new Map<string, AnalysisReport>();
    const targetReport = (target: string) =>
      report ?? memo(perTarget, target, () => analyzeDesign(design, { traces, skipSwitch: true, targets: design.targets.some((t) => t.name === target) ? [target] : undefined }));
    const resources = new Map<string, ResourcesView | undefined>();
    const schedules = new Map<string, ScheduleView | undefined>();
    return {
      designName: design.model.name,
      tasks: design.tasks.map((t) => t.name),
      targets: design.targets.map((t) => t.name),
      scenarios: design.scenarios.map((s) => s.name),
      taskSpan: (task) => design.tasks.find((t) => t.name === task)?.nameSpan,
      status: (task, target) => statusFigures(statusReport(target), task, target),
      resources: (task, target) => memo(resources, `${task}\0${target}`, () => resourcesView(design, targetReport(target), task, target, uri)),
      schedule: (task, target, scenario, compare = true) =>
        memo(schedules, `${task}\0${target}\0${scenario ?? ''}\0${compare}`, () =>
          scheduleView(design, task, target, uri, scenario, traces, compare),
        ),
    };
  };
}
