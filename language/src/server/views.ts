/**
 * The answers of the panels' cheap requests (protocol.ts), built from one text's phases with the shared view-model
 * functions of webviews/host/views.ts — the same ones the extension host used to call, so every field the engine
 * report gains flows through to the panels unchanged.
 */
import type { RoutingTrace } from '../../../engine/routing-trace';
import type { TextPhases } from '../phases';
import type { DocumentAnalysis } from '../types';
import { resourcesView, statusFigures } from '../../../webviews/host/views';
import type { ResourcesView } from '../../../webviews/protocol';
import type { DesignSummary, ViewResult } from './protocol';

/** "line:col: message" of the first error, 1-based like the CLI. */
export function firstError(doc: DocumentAnalysis): string {
  const d = doc.diagnostics.find((x) => x.severity === 'error');
  if (!d) return 'the design could not be checked';
  const before = doc.text.slice(0, d.span.start);
  const line = before.split('\n').length;
  const col = d.span.start - before.lastIndexOf('\n');
  return `${line}:${col}: ${d.message}`;
}

export function staleResult<V>(uri: string, version: number, reason: string): ViewResult<V> {
  return { uri, version, stale: reason };
}

export function designSummary(uri: string, version: number, phases: TextPhases, trace: RoutingTrace | undefined): DesignSummary {
  const analysis = phases.analysis();
  const design = analysis.design;
  if (!design) return { uri, version, problem: firstError(analysis), designName: '', tasks: [], targets: [], scenarios: [], taskSpans: {}, status: [] };
  const { report, error } = phases.reportOrError(trace);
  const status: DesignSummary['status'] = [];
  if (report) {
    for (const target of design.targets)
      for (const task of design.tasks) {
        const figures = statusFigures(report, task.name, target.name);
        if (figures) status.push({ task: task.name, target: target.name, figures });
      }
  }
  return {
    uri,
    version,
    problem: error === undefined ? undefined : `M3V internal error while analysing: ${error}`,
    designName: design.model.name,
    tasks: design.tasks.map((t) => t.name),
    targets: design.targets.map((t) => t.name),
    scenarios: design.scenarios.map((s) => s.name),
    taskSpans: Object.fromEntries(design.tasks.map((t) => [t.name, { start: t.nameSpan.start, end: t.nameSpan.end }])),
    status,
  };
}

export function resourcesResult(
  uri: string,
  version: number,
  phases: TextPhases,
  trace: RoutingTrace | undefined,
  task: string,
  target: string,
): ViewResult<ResourcesView> {
  const analysis = phases.analysis();
  const design = analysis.design;
  if (!design) return staleResult(uri, version, firstError(analysis));
  const { report, error } = phases.reportOrError(trace);
  if (!report) return staleResult(uri, version, `M3V internal error while analysing: ${error ?? 'no report'}`);
  // The trace the report used, by the path the design names, so the roofline's expert loads follow the same routing.
  const routing = design.model.moe?.routing;
  const traces = new Map<string, RoutingTrace>();
  if (trace && routing?.kind === 'trace') traces.set(routing.path, trace);
  const view = resourcesView(design, report, task, target, uri, traces);
  if (!view) return staleResult(uri, version, 'The design has no hardware target: add a `hardware` block to see resources.');
  return { uri, version, view };
}
