/**
 * The `.m3v` language server, independent of its transport: the Node entry (main.ts: stdio / node-ipc, the VS Code
 * extension and any LSP client) and the browser entry (browser.ts: the designer's web worker) both call
 * `startServer` with their connection and their host (how to read a routing trace, how to start the heavy worker).
 *
 * Every feature reads one content-keyed phase cache (language/src/phases.ts): diagnostics, completion, hover, code
 * lens and the panels' view requests (protocol.ts) share one parse, one check and one engine report per text, each
 * computed when first asked for. Schedules run in the heavy worker (heavy/pool.ts), cancellable, so the request
 * thread stays free for completion and hover while a large frame is simulated.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DiagnosticSeverity,
  ErrorCodes,
  LSPErrorCodes,
  ProgressType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RoutingTrace } from '../../../engine/routing-trace';
import { PhaseCache, type TextPhases } from '../phases';
import { createLanguageServices, SEMANTIC_LEGEND } from '../services/index';
import { MAX_REPORTED_DIAGNOSTICS, moreDiagnostics } from '../check/limits';
import { traceNotUsed } from '../messages';
import { invalidParams, type ParamNeeds } from '../services/params';
import { CancelSource, HeavyPool, JobCancelled, type HeavyWorker } from './heavy/pool';
import type { HeavyKind } from './heavy/jobs';
import {
  COMPARE_STRATEGIES,
  decodeEvents,
  DESIGN_CHANGED,
  DESIGN_SUMMARY,
  M3V_LSP_EXTENSIONS_VERSION,
  RESOURCES_VIEW,
  SCHEDULE_VIEW,
  SIMULATE_SCENARIO,
  STATISTICS,
  type DocumentParams,
  type ServerStatistics,
  type ScheduleEventsChunk,
  type ScheduleRequestParams,
  type SelectionParams,
  type ViewResult,
} from './protocol';
import { designSummary, resourcesResult, staleResult } from './views';
import { ExploreRunner, type ExploreWorkerPort } from './exploreRunner';
import { ExploreRuns } from './exploreLens';
import { registerExploreRequests } from './exploreRequests';
import type { ScheduleView } from '../../../webviews/protocol';

export interface ServerHost {
  /**
   * The routing trace `path` names relative to the document, or undefined (unreadable: the engine falls back to
   * balanced routing and says so). Must return the SAME object while the file is unchanged: reports are cached on it.
   */
  loadTrace(documentUri: string, path: string): RoutingTrace | undefined;
  /** Starts the worker that runs schedules (a worker thread in Node, a Web Worker in the browser). */
  spawnHeavyWorker(): HeavyWorker;
  /** Paths of trace files whose content changed (watched-file events), so dependent documents are re-analysed. */
  forgetTrace?(fileUri: string): boolean;
  /** Why the trace `path` could not be used at its last load (missing, not a regular file, not a trace), if so. */
  traceProblem?(documentUri: string, path: string): string | undefined;
  /** Starts the worker that runs explorations (`m3v/exploreStart`); without it the server refuses them. */
  spawnExploreWorker?(): ExploreWorkerPort;
}

/**
 * A warning on the `routing trace "FILE"` statement when the trace could not be used: `m3v analyze` stops on it, the
 * editor must not stay silent while its estimates quietly assume balanced routing.
 */
function traceDiagnostics(doc: TextDocument, host: ServerHost): Diagnostic[] {
  if (!host.traceProblem) return [];
  const text = doc.getText();
  const out: Diagnostic[] = [];
  for (const m of text.matchAll(/\brouting\s+trace\s+"([^"\n]*)"/g)) {
    const problem = host.traceProblem(doc.uri, m[1]);
    if (problem === undefined) continue;
    const message = traceNotUsed(m[1], problem);
    out.push({
      range: { start: doc.positionAt(m.index), end: doc.positionAt(m.index + m[0].length) },
      severity: DiagnosticSeverity.Warning,
      source: 'm3v',
      code: message.code,
      message: message.message,
    });
  }
  return out;
}

export interface RunningServer {
  phases: PhaseCache;
  /** One worker for reports, one for schedules: a long compare never delays the next edit's report. */
  reports: HeavyPool;
  schedules: HeavyPool;
  explores?: ExploreRunner;
}

const DIAGNOSTICS_DEBOUNCE_MS = 50;

/** At most MAX_REPORTED_DIAGNOSTICS published, then one information line with the count of the rest. */
function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_REPORTED_DIAGNOSTICS) return diagnostics;
  const next = diagnostics[MAX_REPORTED_DIAGNOSTICS];
  const more: Diagnostic = { range: next.range, severity: DiagnosticSeverity.Information, source: 'm3v', message: moreDiagnostics(diagnostics.length - MAX_REPORTED_DIAGNOSTICS) };
  return [...diagnostics.slice(0, MAX_REPORTED_DIAGNOSTICS), more];
}
const SCHEDULE_CHUNK = new ProgressType<ScheduleEventsChunk>();
/** How long a view request waits for the document version it names to arrive (didChange and request race). */
const VERSION_WAIT_MS = 2000;

export function startServer(connection: Connection, host: ServerHost): RunningServer {
  const documents = new TextDocuments(TextDocument);
  // A superseded report still running is left to finish (its worker stays warm); one still waiting is dropped.
  const reports = new HeavyPool(() => host.spawnHeavyWorker(), { terminateRunning: false });
  const schedules = new HeavyPool(() => host.spawnHeavyWorker());
  // A routing trace changes what a text costs: workers keep a design under (text, trace), numbered here.
  const traceSerials = new WeakMap<RoutingTrace, number>();
  let nextTraceSerial = 1;
  const designKey = (p: TextPhases, traces: ReadonlyMap<string, RoutingTrace>) => {
    const trace = [...traces.values()][0];
    if (trace && !traceSerials.has(trace)) traceSerials.set(trace, nextTraceSerial++);
    return `${p.id}.${trace ? traceSerials.get(trace) : 0}`;
  };
  /** Reports in progress or waiting, by text: a newer edit cancels the one of the text it replaced. */
  const reportCancels = new Map<TextPhases, CancelSource>();
  const phases = new PhaseCache({
    // The engine report runs in its worker: a fresh report of a large design takes hundreds of milliseconds.
    reportRunner: async (p, design, traces) => {
      const cancel = new CancelSource();
      reportCancels.set(p, cancel);
      try {
        const output = await reports.run({ kind: 'report', designId: designKey(p, traces), uri: '', task: '', target: '' }, () => ({ design, traces }), cancel);
        if (!output.report) throw new Error('the report worker gave no report');
        return output.report;
      } finally {
        reportCancels.delete(p);
      }
    },
  });
  /** The text each open document had at its last change, to cancel the report of a text typed over. */
  const shownText = new Map<string, TextPhases>();
  function supersede(uri: string, next: TextPhases | undefined): void {
    const previous = shownText.get(uri);
    if (next) shownText.set(uri, next);
    else shownText.delete(uri);
    if (!previous || previous === next || [...shownText.values()].includes(previous)) return;
    reportCancels.get(previous)?.cancel();
  }
  const services = createLanguageServices({ loadTrace: (uri, path) => host.loadTrace(uri, path), phases });
  const explores = host.spawnExploreWorker ? new ExploreRunner(() => host.spawnExploreWorker!()) : undefined;
  const exploreRuns = new ExploreRuns();
  /** Set at initialize: lens commands for clients that run the extension's commands, lens refresh if supported. */
  const client = { extensionCommands: false, codeLensRefresh: false };

  /**
   * The document's phases and the trace its design names, with the report computed (awaited, off this thread). If a
   * newer edit made the server drop that report, the answer is for the document's newer text: `doc` is the one used.
   */
  async function withReport(first: TextDocument): Promise<{ doc: TextDocument; p: TextPhases; trace: RoutingTrace | undefined }> {
    let doc = first;
    for (;;) {
      const p = phases.of(doc.getText());
      const trace = traceOf(doc.uri, p);
      const state = await p.reportAsync(trace);
      const now = documents.get(doc.uri);
      if (state.report || state.error !== undefined || state.pending || !p.analysis().design || !now || now === doc) return { doc, p, trace };
      doc = now;
    }
  }

  /** The analysis for a document's current text (re-analysed only when its version changed). */
  function current(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    return services.update(uri, doc.version, doc.getText());
  }

  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  function scheduleDiagnostics(uri: string): void {
    clearTimeout(pending.get(uri));
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        const analysed = current(uri);
        const doc = documents.get(uri);
        if (!analysed || !doc) return;
        // Budget diagnostics need the report: wait for it (off this thread), then publish once, if still current.
        void withReport(doc).then((r) => {
          if (r.doc !== doc || documents.get(uri)?.version !== analysed.version) return;
          // The version lets a client drop diagnostics of a text it has already changed again.
          void connection.sendDiagnostics({ uri, version: analysed.version, diagnostics: capped([...traceDiagnostics(doc, host), ...services.diagnostics(uri)]) });
        });
      }, DIAGNOSTICS_DEBOUNCE_MS),
    );
  }

  /**
   * Lens commands are the M3V extension's (`m3v.showSchedule`, …): only a VS Code-family client (or the designer, which
   * registers them) runs them. A client may say so with `initializationOptions.extensionCommands`; any other client
   * gets title-only lenses.
   */
  function runsExtensionCommands(params: InitializeParams): boolean {
    const options = params.initializationOptions as { extensionCommands?: unknown } | undefined;
    if (typeof options?.extensionCommands === 'boolean') return options.extensionCommands;
    return /Visual Studio Code|code-server|VSCodium/i.test(params.clientInfo?.name ?? '');
  }

  connection.onInitialize((params) => {
    services.configure({
      snippets: params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
      extensionCommands: runsExtensionCommands(params),
    });
    client.extensionCommands = runsExtensionCommands(params);
    client.codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '{'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
        experimental: { m3vExtensions: M3V_LSP_EXTENSIONS_VERSION },
      },
      serverInfo: { name: 'm3v-language-server', version: '0.1.0' },
    };
  });

  const versionWaiters = new Map<string, Set<() => void>>();
  documents.onDidChangeContent((e) => {
    supersede(e.document.uri, phases.of(e.document.getText()));
    scheduleDiagnostics(e.document.uri);
    for (const wake of versionWaiters.get(e.document.uri) ?? []) wake();
  });
  documents.onDidClose((e) => {
    supersede(e.document.uri, undefined);
    clearTimeout(pending.get(e.document.uri));
    services.close(e.document.uri);
    explores?.cancel(e.document.uri);
    exploreRuns.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // A trace file a design names was written: forget the old content, re-check the designs, tell the faces.
  connection.onDidChangeWatchedFiles((p) => {
    const changed = p.changes.some((c) => host.forgetTrace?.(c.uri) ?? false);
    if (!changed) return;
    for (const doc of documents.all()) {
      const routing = phases.of(doc.getText()).analysis().design?.model.moe?.routing;
      if (routing?.kind !== 'trace') continue;
      services.close(doc.uri); // the services' cached analysis holds the old trace
      scheduleDiagnostics(doc.uri);
      void connection.sendNotification(DESIGN_CHANGED, { uri: doc.uri });
    }
  });

  /**
   * Runs a feature on the current analysis after validating its params (a clear InvalidParams error, never a
   * TypeError); a closed document gives the empty answer instead of an error.
   */
  function withDoc<P extends { textDocument: { uri: string } }, T>(params: P, needs: ParamNeeds, empty: T, run: (uri: string) => T): T {
    const invalid = invalidParams(params, needs);
    if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, invalid);
    const uri = params.textDocument.uri;
    return current(uri) ? run(uri) : empty;
  }
  const AT = { position: true };

  connection.onCompletion((p) => withDoc(p, AT, [], (uri) => services.completion(uri, p.position)));
  connection.onHover((p) => withDoc(p, AT, null, (uri) => services.hover(uri, p.position)));
  connection.onDefinition((p) => withDoc(p, AT, [], (uri) => services.definition(uri, p.position)));
  connection.onReferences((p) =>
    withDoc(p, { position: true, referenceContext: true }, [], (uri) => services.references(uri, p.position, p.context.includeDeclaration)),
  );
  connection.onPrepareRename((p) =>
    withDoc(p, AT, null, (uri) => {
      const r = services.prepareRename(uri, p.position);
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return r;
    }),
  );
  connection.onRenameRequest((p) =>
    withDoc(p, { position: true, newName: true }, null, (uri) => {
      const r = services.rename(uri, p.position, p.newName);
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return r.edit;
    }),
  );
  connection.onDocumentSymbol((p) => withDoc(p, {}, [], (uri) => services.documentSymbols(uri)));
  connection.onFoldingRanges((p) => withDoc(p, {}, [], (uri) => services.foldingRanges(uri)));
  connection.onDocumentFormatting((p) => withDoc(p, {}, [], (uri) => services.format(uri)));
  // Lenses show the report's figures: answer once it is computed (the request waits; nothing else does).
  connection.onCodeLens(async (p) => {
    const invalid = invalidParams(p, {});
    if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, invalid);
    const doc = documents.get(p.textDocument.uri);
    if (doc) await withReport(doc);
    const lenses = withDoc(p, {}, [], (uri) => services.codeLenses(uri));
    // Explore lenses carry the last run's front (exploreLens.ts); the services know nothing of runs.
    const now = documents.get(p.textDocument.uri);
    return now ? exploreRuns.decorate(now.uri, phases.of(now.getText()).analysis(), lenses, (o) => now.positionAt(o), client.extensionCommands) : lenses;
  });
  connection.onCodeAction((p) => withDoc(p, { codeActionContext: true }, [], (uri) => services.codeActions(uri, p.range)));
  connection.languages.semanticTokens.on((p) => withDoc(p, {}, { data: [] }, (uri) => services.semanticTokens(uri)));

  // ------------------------------------------------------------------ the panels' requests (protocol.ts)

  /** The open document a request names, once it has reached the version the client says it has. */
  async function documentFor(params: DocumentParams, token?: CancellationToken): Promise<TextDocument | undefined> {
    const version = params.textDocument.version;
    const uri = params.textDocument.uri;
    const ready = () => {
      const d = documents.get(uri);
      return d && (version === undefined || d.version >= version) ? d : undefined;
    };
    if (ready() || version === undefined) return documents.get(uri);
    await new Promise<void>((resolve) => {
      const waiters = versionWaiters.get(uri) ?? new Set();
      versionWaiters.set(uri, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        sub?.dispose();
        resolve();
      };
      const wake = () => {
        if (ready()) done();
      };
      const timer = setTimeout(done, VERSION_WAIT_MS);
      const sub = token?.onCancellationRequested(done);
      waiters.add(wake);
    });
    return documents.get(uri);
  }

  function traceOf(uri: string, p: TextPhases): RoutingTrace | undefined {
    const routing = p.analysis().design?.model.moe?.routing;
    return routing?.kind === 'trace' ? host.loadTrace(uri, routing.path) : undefined;
  }

  function requireDocument(params: unknown): asserts params is DocumentParams {
    const uri = (params as DocumentParams | undefined)?.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.textDocument.uri must be a string');
  }

  function requireSelection(params: unknown): asserts params is SelectionParams {
    requireDocument(params);
    const p = params as Partial<SelectionParams>;
    if (typeof p.task !== 'string' || typeof p.target !== 'string')
      throw new ResponseError(ErrorCodes.InvalidParams, 'params.task and params.target must be strings (names from m3v/designSummary)');
  }

  const notOpen = (uri: string) => `${uri} is not open in the language server`;

  connection.onRequest(DESIGN_SUMMARY, async (params: unknown, token: CancellationToken) => {
    requireDocument(params);
    const doc = await documentFor(params, token);
    if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, notOpen(params.textDocument.uri));
    const r = await withReport(doc);
    const summary = designSummary(r.doc.uri, r.doc.version, r.p, r.trace);
    const analysis = r.p.analysis();
    const explores = analysis.design?.explores ?? [];
    return explores.length ? { ...summary, explores: explores.map((e) => ({ name: e.name, lens: exploreRuns.title(r.doc.uri, analysis, e) })) } : summary;
  });

  connection.onRequest(RESOURCES_VIEW, async (params: unknown, token: CancellationToken) => {
    requireSelection(params);
    const doc = await documentFor(params, token);
    if (!doc) return staleResult(params.textDocument.uri, -1, notOpen(params.textDocument.uri));
    const r = await withReport(doc);
    return resourcesResult(r.doc.uri, r.doc.version, r.p, r.trace, params.task, params.target);
  });

  /** The schedule requests: checked here, simulated in the worker, streamed back in chunks when the client asks. */
  async function scheduleRequest(kind: HeavyKind, params: ScheduleRequestParams & { scenario?: string }, token: CancellationToken): Promise<ViewResult<ScheduleView>> {
    const doc = await documentFor(params, token);
    if (!doc) return staleResult(params.textDocument.uri, -1, notOpen(params.textDocument.uri));
    const p = phases.of(doc.getText());
    const analysis = p.analysis();
    const design = analysis.design;
    if (!design) return staleResult(doc.uri, doc.version, designSummary(doc.uri, doc.version, p, undefined).problem ?? 'the design has errors');
    if (kind === 'scenario' && !design.scenarios.some((s) => s.name === params.scenario))
      return staleResult(doc.uri, doc.version, `the design has no scenario named ${JSON.stringify(params.scenario)}`);
    const trace = traceOf(doc.uri, p);
    const routing = design.model.moe?.routing;
    let output;
    try {
      const traces = new Map(trace && routing?.kind === 'trace' ? [[routing.path, trace]] : []);
      output = await schedules.run(
        { kind, designId: designKey(p, traces), uri: doc.uri, task: params.task, target: params.target, scenario: params.scenario },
        () => ({ design, traces }),
        token,
      );
    } catch (error) {
      if (error instanceof JobCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      throw new ResponseError(ErrorCodes.InternalError, `M3V internal error while simulating: ${(error as Error).message}`);
    }
    if (!output.view) return staleResult(doc.uri, doc.version, 'The design has no hardware target: add a `hardware` block to see a schedule.');
    const partial = params.partialResultToken;
    if (partial === undefined) {
      // A client that did not ask for partial results gets every event in the result (slower for huge frames).
      const runs = output.view.runs.map((r, i) => ({ ...r, events: output.chunks[i].flatMap((c) => decodeEvents(c)) }));
      return { uri: doc.uri, version: doc.version, view: { ...output.view, runs } };
    }
    for (let run = 0; run < output.chunks.length; run++) {
      for (const events of output.chunks[run]) {
        if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
        await connection.sendProgress(SCHEDULE_CHUNK, partial, { run, events });
        // Let requests that arrived meanwhile (completion, hover) run between chunks.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    return { uri: doc.uri, version: doc.version, view: output.view };
  }

  connection.onRequest(SCHEDULE_VIEW, (params: unknown, token: CancellationToken) => {
    requireSelection(params);
    return scheduleRequest('schedule', params, token);
  });
  connection.onRequest(COMPARE_STRATEGIES, (params: unknown, token: CancellationToken) => {
    requireSelection(params);
    return scheduleRequest('compare', params, token);
  });
  connection.onRequest(SIMULATE_SCENARIO, (params: unknown, token: CancellationToken) => {
    requireSelection(params);
    const scenario = (params as { scenario?: unknown }).scenario;
    if (typeof scenario !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.scenario must be a string');
    return scheduleRequest('scenario', { ...params, scenario }, token);
  });

  connection.onRequest(
    STATISTICS,
    (): ServerStatistics => ({
      checks: phases.stats.checks,
      reports: phases.stats.reports,
      scheduleRuns: schedules.stats.runs,
      scheduleCancelledWhileRunning: schedules.stats.cancelledWhileRunning,
      workersStarted: schedules.stats.workersStarted + reports.stats.workersStarted,
    }),
  );

  if (explores)
    registerExploreRequests(connection, {
      runner: explores,
      runs: exploreRuns,
      documentFor,
      analysisOf: (doc) => {
        const p = phases.of(doc.getText());
        const trace = traceOf(doc.uri, p);
        const routing = p.analysis().design?.model.moe?.routing;
        const traces = new Map(trace && routing?.kind === 'trace' ? [[routing.path, trace]] : []);
        return { analysis: p.analysis(), traces, problem: () => designSummary(doc.uri, doc.version, p, undefined).problem };
      },
      refreshLenses: () => {
        if (client.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
      },
    });

  connection.onInitialized(() => {
    // The workers load while the client opens its first documents, not on the first keystroke (nor the first run of
    // an explore block: its worker thread and bundle cost ~50–100 ms).
    reports.warm();
    schedules.warm();
    explores?.warm();
  });

  connection.onShutdown(() => {
    reports.dispose();
    schedules.dispose();
    explores?.dispose();
  });

  documents.listen(connection);
  connection.listen();
  return { phases, reports, schedules, explores };
}
