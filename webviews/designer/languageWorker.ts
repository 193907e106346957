/**
 * The browser designer's language worker: the language services of the language server and the panel view models
 * of the extension host, on one thread away from the editor so typing never waits for the engine.
 * Protocol: workerProtocol.ts.
 */
import { analyzeDocument } from '../../language/src/analyze';
import { createLanguageServices, type AnalyzedDocument } from '../../language/src/services/index';
import { createEngineAnalyzer } from '../host/engineAnalyzer';
import { resolveSelection, type AnalyzedDesign } from '../host/analyzer';
import { resourcesMessage, scheduleMessage, selectionMessage, type ShownDesign } from '../host/messages';
import type { RoutingTrace } from '../../engine/routing-trace';
import { createTraceLoader, syncFetchText } from './traceFetch';
import type { PageRequest, ReplyResults, WorkerReply } from './workerProtocol';

const loadTrace = createTraceLoader(syncFetchText);
const services = createLanguageServices({ loadTrace });
// The services (run first on every update) parse the text and analyse the design once; the panels' view models reuse
// both instead of parsing and analysing again.
const analyzer = createEngineAnalyzer(
  (text) => analyzedText(text)?.analysis ?? analyzeDocument(text),
  (design, uri) => {
    const routing = design.model.moe?.routing;
    if (routing?.kind !== 'trace') return undefined;
    const trace = loadTrace(uri, routing.path);
    return trace ? new Map<string, RoutingTrace>([[routing.path, trace]]) : undefined;
  },
  (text) => analyzedText(text)?.report,
);

/** The services' analysis of the document being updated, when it is of exactly this text. */
let current: AnalyzedDocument | undefined;
const analyzedText = (text: string) => (current?.analysis.text === text ? current : undefined);

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

type Query = Exclude<PageRequest, { type: 'update' } | { type: 'select' }>;

const EMPTY: { [K in Query['type']]: ReplyResults[K] } = {
  completion: [],
  hover: null,
  format: [],
  definition: [],
  references: [],
  prepareRename: { error: 'The design is not analysed yet.' },
  rename: { error: 'The design is not analysed yet.' },
  symbols: [],
  folding: [],
};

function answer(q: Query): ReplyResults[keyof ReplyResults] {
  switch (q.type) {
    case 'completion':
      return services.completion(q.uri, q.position);
    case 'hover':
      return services.hover(q.uri, q.position);
    case 'format':
      return services.format(q.uri);
    case 'definition':
      return services.definition(q.uri, q.position);
    case 'references':
      return services.references(q.uri, q.position, true);
    case 'prepareRename':
      return services.prepareRename(q.uri, q.position);
    case 'rename':
      return services.rename(q.uri, q.position, q.newName);
    case 'symbols':
      return services.documentSymbols(q.uri);
    case 'folding':
      return services.foldingRanges(q.uri);
  }
}

function handle(request: PageRequest): void {
  const started = performance.now();
  switch (request.type) {
    case 'update': {
      current = services.update(request.uri, request.version, request.text);
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
    default: {
      // Requests answered from the analysed document; before the first analysis there is nothing to answer from.
      const open = services.get(request.uri) !== undefined;
      reply({ type: 'reply', id: request.id, result: open ? answer(request) : EMPTY[request.type] });
    }
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
