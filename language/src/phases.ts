/**
 * The phases of analysing one `.m3v` text, each computed on demand and cached BY THE TEXT (never by a mutable object):
 *
 *   text ──► checked analysis (parse + check: tree, diagnostics, symbols, the frozen Design)
 *        ──► report (the engine's `analyzeDesign` for the editor: every target × strategy, no task-switch simulation)
 *
 * Schedules (the event simulator, all strategies, scenarios) are the next phase. The report and the schedules are
 * heavy on a large design (the stress sample's report is ~300 ms for a fresh design), so the language server gives the
 * cache a `reportRunner` that computes the report in a worker thread on the frozen design (language/src/server/heavy/):
 * then `reportIfReady` never blocks (it starts the work and answers what is there) and `reportAsync` waits for it.
 * Without a runner (CLI, tests) the report is computed in place, synchronously.
 *
 * One cache serves every consumer of a text — the language services (diagnostics, lens, hover), the panels' view
 * requests, the status bar — so an edit is parsed, checked and costed exactly once however many features ask.
 * `stats` counts how often each phase really ran (the editor benchmark asserts one of each per edit).
 *
 * The checked `Design` is deep-frozen: engine caches keyed on a design's identity (schedule/frame.ts, routing.ts)
 * can never see it change under them, and a consumer that tries to mutate it fails instead of corrupting others.
 */
import { analyzeDesign, type AnalysisReport } from '../../engine/analyze';
import { deepFreeze } from '../../engine/readonly';
import type { Design } from '../../engine/design';
import type { RoutingTrace } from '../../engine/routing-trace';
import { analyzeDocument } from './analyze';
import type { DocumentAnalysis } from './types';

export interface PhaseStats {
  /** Parse + check runs (`analyzeDocument`). */
  checks: number;
  /** Engine reports (`analyzeDesign`). */
  reports: number;
}

/** The phases of one text. Every getter is lazy and memoised. */
export interface TextPhases {
  readonly text: string;
  /** A number unique to this text within its cache's lifetime (workers key their copy of the design on it). */
  readonly id: number;
  analysis(): DocumentAnalysis;
  /**
   * The engine report of the checked design with the given routing trace (the one `routing trace "FILE"` names,
   * loaded by the face), or undefined when the design has errors. Throws only on an engine bug: see `reportOrError`.
   */
  report(trace?: RoutingTrace): AnalysisReport | undefined;
  /**
   * The report, or the engine's error message when it threw on a clean design (a bug of ours, reported as one line).
   * With a `reportRunner` this never computes in place: it answers what is ready and starts the work if needed.
   */
  reportOrError(trace?: RoutingTrace): ReportState;
  /** The report once computed (in place, or by the runner). */
  reportAsync(trace?: RoutingTrace): Promise<ReportState>;
}

export interface ReportState {
  report?: AnalysisReport;
  error?: string;
  /** True while a runner is still computing it (report and error both undefined). */
  pending?: boolean;
}

/**
 * Computes the report of a checked design elsewhere (a worker); `phases.id` identifies the text. A runner may give up
 * on a text nobody needs any more (a newer edit replaced it) by rejecting with an error named `JobCancelled`: the
 * phase then forgets it started, and a later ask starts again.
 */
export type ReportRunner = (phases: TextPhases, design: Design, traces: ReadonlyMap<string, RoutingTrace>) => Promise<AnalysisReport>;

export interface PhaseCacheOptions {
  /** How many distinct texts to keep (open documents plus the text just replaced). Default 8. */
  capacity?: number;
  /** Where the report is computed; default: in place. */
  reportRunner?: ReportRunner;
}

export class PhaseCache {
  readonly stats: PhaseStats = { checks: 0, reports: 0 };
  private readonly entries = new Map<string, TextPhases>();
  private readonly capacity: number;
  private readonly runner: ReportRunner | undefined;
  private nextId = 1;

  constructor(options: PhaseCacheOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 8);
    this.runner = options.reportRunner;
  }

  /** The phases of `text`, shared with every other caller asking for the same text. */
  of(text: string): TextPhases {
    const hit = this.entries.get(text);
    if (hit) {
      // Refresh its place in the LRU order.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const phases = this.create(text);
    this.entries.set(text, phases);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return phases;
  }

  private create(text: string): TextPhases {
    const stats = this.stats;
    const runner = this.runner;
    let analysis: DocumentAnalysis | undefined;
    // Keyed by the trace object: faces hand out one object per trace file content (re-read when the file changes).
    let reportFor: { trace: RoutingTrace | undefined; state: ReportState; done: Promise<ReportState> } | undefined;
    const start = (trace: RoutingTrace | undefined): { state: ReportState; done: Promise<ReportState> } => {
      const design = phases.analysis().design;
      if (!design) return { state: {}, done: Promise.resolve({}) };
      if (reportFor && reportFor.trace === trace) return reportFor;
      const routing = design.model.moe?.routing;
      const traces = new Map<string, RoutingTrace>();
      if (trace && routing?.kind === 'trace') traces.set(routing.path, trace);
      stats.reports++;
      const failed = (error: unknown): ReportState => ({ error: error instanceof Error ? error.message : String(error) });
      if (!runner) {
        let state: ReportState;
        try {
          // skipSwitch: no editor feature shows the task-switch cost (the CLI's `m3v analyze` does, with its own run);
          // every figure the editor does show is identical with or without it.
          state = { report: analyzeDesign(design, { traces, skipSwitch: true }) };
        } catch (error) {
          state = failed(error);
        }
        reportFor = { trace, state, done: Promise.resolve(state) };
        return reportFor;
      }
      const entry: { trace: RoutingTrace | undefined; state: ReportState; done: Promise<ReportState> } = { trace, state: { pending: true }, done: Promise.resolve({}) };
      entry.done = runner(phases, design, traces).then(
        (report) => (entry.state = { report }),
        (error: unknown) => {
          if ((error as Error | undefined)?.name === 'JobCancelled') {
            if (reportFor === entry) reportFor = undefined;
            return (entry.state = {});
          }
          return (entry.state = failed(error));
        },
      );
      reportFor = entry;
      return entry;
    };
    const phases: TextPhases = {
      text,
      id: this.nextId++,
      analysis() {
        if (!analysis) {
          stats.checks++;
          analysis = analyzeDocument(text);
          if (analysis.design) deepFreeze(analysis.design);
        }
        return analysis;
      },
      reportOrError: (trace) => start(trace).state,
      reportAsync: (trace) => start(trace).done,
      report(trace) {
        const r = phases.reportOrError(trace);
        if (r.error !== undefined) throw new Error(r.error);
        return r.report;
      },
    };
    return phases;
  }
}
