/**
 * The language client to the M3V language server (`dist/server.js`, built from language/src/server/main.ts).
 * Diagnostics, completion, hover, code lens and formatting come from the server, and so does everything the panels
 * and the status bar show: `request` sends the custom requests of language/src/server/protocol.ts. The extension
 * host analyses nothing itself.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  ProgressType,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  DESIGN_CHANGED,
  EXPLORE_PROGRESS,
  type ExploreProgressParams,
  ScheduleAssembler,
  type DesignChangedParams,
  type M3vMethod,
  type M3vRequests,
  type ScheduleEventsChunk,
} from '../language/src/server/protocol';

export type ServerState = 'starting' | 'running' | 'stopped';

type ScheduleMethod = 'm3v/scheduleView' | 'm3v/compareStrategies' | 'm3v/simulateScenario';

const SCHEDULE_CHUNK = new ProgressType<ScheduleEventsChunk>();

export class M3vLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private running: Promise<LanguageClient> | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly changedEmitter = new vscode.EventEmitter<string>();
  /** A document's analysis changed without an edit (a routing trace it names was rewritten): its URI. */
  readonly onDidChangeDesign = this.changedEmitter.event;
  private readonly exploreProgressEmitter = new vscode.EventEmitter<ExploreProgressParams>();
  /** `m3v/exploreProgress` notifications of the running exploration (the Design Space panel shows them). */
  readonly onExploreProgress = this.exploreProgressEmitter.event;
  private nextPartial = 1;
  state: ServerState = 'stopped';

  /**
   * `log`: where completion round trips are written (`completion server=…ms`), for the e2e suite, which reads the
   * extension's log to time completion while an exploration runs.
   */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log?: (line: string) => void,
  ) {}

  start(): Promise<void> {
    const module = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'server.js').fsPath;
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'm3v' },
        { scheme: 'untitled', language: 'm3v' },
      ],
      // The server resolves `routing trace "…"` files relative to the design, hence the file watcher.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{m3v,json}') },
      // This client runs the extension's `m3v.*` commands, so the server may put them on code lenses.
      initializationOptions: { extensionCommands: true },
      middleware: {
        provideCompletionItem: async (document, position, context, token, next) => {
          const t0 = performance.now();
          const result = await next(document, position, context, token);
          this.log?.(`completion server=${(performance.now() - t0).toFixed(2)}ms`);
          return result;
        },
      },
    };
    const client = new LanguageClient('m3v', 'M3V Language Server', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      this.setState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
    });
    this.setState('starting');
    this.running = client.start().then(
      () => {
        client.onNotification(DESIGN_CHANGED, (p: DesignChangedParams) => this.changedEmitter.fire(p.uri));
        client.onNotification(EXPLORE_PROGRESS, (p: ExploreProgressParams) => this.exploreProgressEmitter.fire(p));
        return client;
      },
      (err: unknown) => {
        this.setState('stopped');
        void vscode.window.showErrorMessage(`M3V: the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      },
    );
    return this.running.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Sends one of the server's custom requests once it runs (typed by protocol.ts). */
  async request<M extends Exclude<M3vMethod, ScheduleMethod>>(
    method: M,
    params: M3vRequests[M]['params'],
    token?: vscode.CancellationToken,
  ): Promise<M3vRequests[M]['result']> {
    const client = await this.ready();
    // An `undefined` token would be sent as a second positional parameter: pass it only when there is one.
    return token ? client.sendRequest<M3vRequests[M]['result']>(method, params, token) : client.sendRequest<M3vRequests[M]['result']>(method, params);
  }

  /**
   * A schedule request with streamed events (protocol `ScheduleEventsChunk`): the server sends the events in
   * pieces before the result so a huge frame never holds its thread; they are joined here.
   */
  async requestSchedule<M extends ScheduleMethod>(
    method: M,
    params: M3vRequests[M]['params'],
    token?: vscode.CancellationToken,
  ): Promise<M3vRequests[M]['result']> {
    const client = await this.ready();
    const partialResultToken = `m3v-schedule-${this.nextPartial++}`;
    const assembler = new ScheduleAssembler();
    const sub = client.onProgress(SCHEDULE_CHUNK, partialResultToken, (chunk) => assembler.add(chunk));
    try {
      const withToken = { ...params, partialResultToken };
      const result = token
        ? await client.sendRequest<M3vRequests[M]['result']>(method, withToken, token)
        : await client.sendRequest<M3vRequests[M]['result']>(method, withToken);
      return 'view' in result ? { ...result, view: assembler.finish(result.view) } : result;
    } finally {
      sub.dispose();
    }
  }

  private ready(): Promise<LanguageClient> {
    if (!this.running) return Promise.reject(new Error('the M3V language server is not running'));
    return this.running;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.running = undefined;
    if (c) {
      try {
        await c.stop();
      } catch {
        // A server that already died cannot be stopped; restart proceeds regardless.
      }
    }
    this.setState('stopped');
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.changedEmitter.dispose();
    this.exploreProgressEmitter.dispose();
  }
}
