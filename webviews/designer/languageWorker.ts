/**
 * The browser designer's language worker: the language services of the language server and the panel view models
 * of the extension host, on one thread away from the editor so typing never waits for the engine.
 * Protocol: workerProtocol.ts.
 */
import { analyzeDocument } from '../../language/src/analyze';
import { createLanguageServices } from '../../language/src/services/index';
import { createEngineAnalyzer } from '../host/engineAnalyzer';
import { resolveSelection, type AnalyzedDesign } from '../host/analyzer';
import { resourcesMessage, scheduleMessage, selectionMessage, type ShownDesign } from '../host/messages';
import type { RoutingTrace } from '../../engine/routing-trace';
import { createTraceLoader, syncFetchText } from './traceFetch';
import type { PageRequest, WorkerReply } from './workerProtocol';

const loadTrace = createTraceLoader(syncFetchText);
const services = createLanguageServices({ loadTrace });
const analyzer = createEngineAnalyzer(analyzeDocument, (design, uri) => {
  const routing = design.model.moe?.routing;
  if (routing?.kind !== 'trace') return undefined;
  const trace = loadTrace(uri, routing.path);
  return trace ? new Map<string, RoutingTrace>([[routing.path, trace]]) : undefined;
});

/** The last analysed design per URI, so a selection change re-sends views without re-analysing. */
const shown = new Map<string, { analysis: AnalyzedDesign; version: number; task: string; target: string }>();
/** The Schedule panel's mode, for the whole page (it survives switching designs, like a panel's own toggle). */
let compare = false;
let scenario: string | undefined;
let seq = 0;

function reply(message: WorkerReply): void {
  (self as unknown as Worker).postMessage(message);
}

function sendAnalysis(uri: string, started: number): void {
  const s = shown.get(uri)!;
  const design: ShownDesign = { uri, analysis: s.analysis, task: s.task, target: s.target, seq: ++seq };
  reply({
    type: 'analysis',
    uri,
    version: s.version,
    diagnostics: services.diagnostics(uri),
    resources: resourcesMessage(design),
    schedule: scheduleMessage(design, { compare, scenario }),
    selection: selectionMessage(design),
    scenarios: s.analysis.scenarios,
    compare,
    scenario: scenario && s.analysis.scenarios.includes(scenario) ? scenario : undefined,
    elapsedMs: performance.now() - started,
  });
}

function select(uri: string, task: string | undefined, target: string | undefined): void {
  const s = shown.get(uri);
  if (!s) return;
  s.task = resolveSelection(s.analysis.tasks, task ?? s.task, '');
  s.target = resolveSelection(s.analysis.targets, target ?? s.target, '');
}

function handle(request: PageRequest): void {
  const started = performance.now();
  switch (request.type) {
    case 'update': {
      services.update(request.uri, request.version, request.text);
      const previous = shown.get(request.uri);
      shown.set(request.uri, {
        analysis: analyzer(request.text, request.uri),
        version: request.version,
        task: previous?.task ?? '',
        target: previous?.target ?? '',
      });
      select(request.uri, request.task, request.target);
      sendAnalysis(request.uri, started);
      return;
    }
    case 'select':
      if (request.compare !== undefined) compare = request.compare;
      if (request.scenario !== undefined) scenario = request.scenario ?? undefined;
      select(request.uri, request.task, request.target);
      sendAnalysis(request.uri, started);
      return;
    case 'completion':
      reply({ type: 'completion', id: request.id, items: services.get(request.uri) ? services.completion(request.uri, request.position) : [] });
      return;
    case 'hover':
      reply({ type: 'hover', id: request.id, hover: services.get(request.uri) ? services.hover(request.uri, request.position) : null });
      return;
    case 'format':
      reply({ type: 'format', id: request.id, edits: services.get(request.uri) ? services.format(request.uri) : [] });
      return;
  }
}

self.addEventListener('message', (event: MessageEvent<PageRequest>) => {
  try {
    handle(event.data);
  } catch (error) {
    // A bug in the services must not silence the worker for the rest of the session.
    const id = 'id' in event.data ? event.data.id : undefined;
    reply({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  }
});
