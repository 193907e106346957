/**
 * The designer page's LSP client to the language server running in its web worker (the same server as VS Code's:
 * language/src/server/browser.ts), over `postMessage` with vscode-jsonrpc's BrowserMessageReader/Writer. It keeps
 * the open designs in sync (didOpen / didChange with the whole text, versions = monaco's version ids), asks the
 * standard requests for monaco's providers (providers.ts) and the custom ones of protocol.ts for the panels.
 */
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  createMessageConnection,
  ProgressType,
  type CancellationToken,
  type MessageConnection,
} from 'vscode-jsonrpc/browser';
import type { InitializeResult, PublishDiagnosticsParams, SemanticTokensLegend } from 'vscode-languageserver-protocol';
import {
  ScheduleAssembler,
  type M3vMethod,
  type M3vRequests,
  type ScheduleEventsChunk,
} from '../../language/src/server/protocol';

type ScheduleMethod = 'm3v/scheduleView' | 'm3v/compareStrategies' | 'm3v/simulateScenario';
const SCHEDULE_CHUNK = new ProgressType<ScheduleEventsChunk>();

export class LspClient {
  private readonly connection: MessageConnection;
  private readonly initialized: Promise<InitializeResult>;
  private nextPartial = 1;
  /** The semantic token legend the server announced (undefined until initialized). */
  legend: SemanticTokensLegend | undefined;

  constructor(worker: Worker, onDiagnostics: (p: PublishDiagnosticsParams) => void, onError: (message: string) => void) {
    this.connection = createMessageConnection(new BrowserMessageReader(worker), new BrowserMessageWriter(worker));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => onDiagnostics(p));
    this.connection.onError(([error]) => onError(`language server: ${error.message}`));
    worker.addEventListener('error', (event) => onError(`language server worker failed: ${event.message}`));
    this.connection.listen();
    this.initialized = this.connection
      .sendRequest<InitializeResult>('initialize', {
        processId: null,
        rootUri: null,
        clientInfo: { name: 'M3V Designer' },
        // This page runs the `m3v.*` lens commands (main.ts registers them in monaco).
        initializationOptions: { extensionCommands: true },
        capabilities: {
          textDocument: {
            synchronization: { dynamicRegistration: false },
            completion: { completionItem: { snippetSupport: true } },
            publishDiagnostics: { versionSupport: true },
            semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
          },
          // providers.ts answers workspace/codeLens/refresh by asking monaco for the lenses again.
          workspace: { codeLens: { refreshSupport: true } },
        },
      })
      .then((result) => {
        this.legend = (result.capabilities.semanticTokensProvider as { legend?: SemanticTokensLegend } | undefined)?.legend;
        void this.connection.sendNotification('initialized', {});
        return result;
      });
  }

  ready(): Promise<InitializeResult> {
    return this.initialized;
  }

  async open(uri: string, version: number, text: string): Promise<void> {
    await this.initialized;
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version, text } });
  }

  async change(uri: string, version: number, text: string): Promise<void> {
    await this.initialized;
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** A standard LSP request (completion, hover, codeLens, …): params and result as LSP defines them. */
  async request<R>(method: string, params: object, token?: CancellationToken): Promise<R> {
    await this.initialized;
    // An `undefined` token would be sent as a second positional parameter: pass it only when there is one.
    return token ? this.connection.sendRequest<R>(method, params, token) : this.connection.sendRequest<R>(method, params);
  }

  /** One of the server's custom requests (protocol.ts), typed. */
  async custom<M extends Exclude<M3vMethod, ScheduleMethod>>(method: M, params: M3vRequests[M]['params']): Promise<M3vRequests[M]['result']> {
    return this.request<M3vRequests[M]['result']>(method, params);
  }

  /** A server → client request (workspace/codeLens/refresh): the handler's return value is the answer. */
  onRequest(method: string, handler: () => null): void {
    this.connection.onRequest(method, handler);
  }

  /** A server → client notification of protocol.ts (explore progress, design changed). */
  onNotification<P>(method: string, handler: (params: P) => void): void {
    this.connection.onNotification(method, handler);
  }

  /** A schedule request with its events streamed as partial results (protocol `ScheduleEventsChunk`), joined here. */
  async schedule<M extends ScheduleMethod>(method: M, params: M3vRequests[M]['params']): Promise<M3vRequests[M]['result']> {
    await this.initialized;
    const partialResultToken = `designer-schedule-${this.nextPartial++}`;
    const assembler = new ScheduleAssembler();
    const sub = this.connection.onProgress(SCHEDULE_CHUNK, partialResultToken, (chunk) => assembler.add(chunk));
    try {
      const result = await this.connection.sendRequest<M3vRequests[M]['result']>(method, { ...params, partialResultToken });
      return 'view' in result ? { ...result, view: assembler.finish(result.view) } : result;
    } finally {
      sub.dispose();
    }
  }
}
