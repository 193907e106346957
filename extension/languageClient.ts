/**
 * The language client to the M3V language server (`dist/server.js`, built from language/src/server/main.ts).
 * Diagnostics, completion, hover, code lens and formatting all come from the server; the extension only starts,
 * restarts and reports its state (shown in the status bar).
 */
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export type ServerState = 'starting' | 'running' | 'stopped';

export class M3vLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  state: ServerState = 'stopped';

  constructor(private readonly context: vscode.ExtensionContext) {}

  async start(): Promise<void> {
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
    };
    this.client = new LanguageClient('m3v', 'M3V Language Server', serverOptions, clientOptions);
    this.client.onDidChangeState((e) => {
      this.setState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
    });
    this.setState('starting');
    try {
      await this.client.start();
    } catch (err) {
      this.setState('stopped');
      void vscode.window.showErrorMessage(
        `M3V: the language server did not start: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
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
  }
}
