/**
 * Extension entry point. Thin by rule: it constructs and wires the parts (language client, active design,
 * panels, status bar, commands) and computes nothing itself. The extension host never analyses a design: the
 * language server does, and the panels ask it (language/src/server/protocol.ts).
 */
import * as vscode from 'vscode';
import { ActiveDesign } from './activeDesign';
import { registerCommands, revealSource } from './commands';
import { M3vLanguageClient } from './languageClient';
import { ResourcesContent, RunContent, ScheduleContent } from './panels/contents';
import { PanelHost, type PanelActions } from './panels/panelHost';
import { saveExport } from './exportFiles';
import { ExplorePanel } from './panels/explorePanel';
import { DesignStatusBar } from './statusBar';

/** Returned from `activate` for the integration tests (`vscode.extensions.getExtension(...).exports`). */
export interface M3vExtensionApi {
  activationMs: number;
  design: ActiveDesign;
  panels: { resources: PanelHost; schedule: PanelHost; run: PanelHost };
  explore?: ExplorePanel;
}

export async function activate(context: vscode.ExtensionContext): Promise<M3vExtensionApi> {
  const t0 = performance.now();
  // A log channel, not console.log: VS Code writes it to <logs>/exthost/<extension>/M3V.log, which the e2e suite
  // reads for activation and per-update timings.
  const log = vscode.window.createOutputChannel('M3V', { log: true });
  const client = new M3vLanguageClient(context, (line) => log.info(line));
  const design = new ActiveDesign(client);
  const statusBar = new DesignStatusBar();
  const contents = { resources: new ResourcesContent(design, client), schedule: new ScheduleContent(design, client), run: new RunContent() };
  const actions: PanelActions = {
    reveal: (uri, start, end) => void revealSource(uri, start, end),
    selectTask: (task) => design.selectTask(task),
    selectTarget: (target) => design.selectTarget(target),
    useTraceAsRouting: () => void vscode.commands.executeCommand('m3v.useTraceAsRouting'),
    rerunModel: (numerics) => void vscode.commands.executeCommand('m3v.runModel', undefined, numerics),
    exportReport: (panel, format, files) => void saveExport(panel, format, files, design.documentUri),
    restore: (uri) => {
      if (design.documentUri) return;
      vscode.workspace.openTextDocument(vscode.Uri.parse(uri)).then(
        (doc) => design.follow(doc),
        () => undefined, // the file is gone: the panel keeps its "open a design" line
      );
    },
  };
  const panels = {
    resources: new PanelHost(context.extensionUri, contents.resources, actions),
    schedule: new PanelHost(context.extensionUri, contents.schedule, actions),
    run: new PanelHost(context.extensionUri, contents.run, actions),
  };
  const explore = new ExplorePanel(context.extensionUri, design, client);
  context.subscriptions.push(
    explore,
    log,
    client,
    design,
    statusBar,
    panels.resources,
    panels.schedule,
    panels.run,
    client.onDidChangeState((s) => statusBar.setServerState(s)),
    design.onWillAsk((key) => panels.resources.prefetch(key)),
    design.onDidUpdate((u) => {
      log.info(`update seq=${u.seq} version=${u.version} server=${u.roundTripMs.toFixed(2)}ms ${u.summary.problem ? 'problem' : 'ok'}`);
      statusBar.update(u);
      panels.resources.update();
      panels.schedule.update();
      explore.update();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => statusBar.update(design.current)),
    ...registerCommands({ context, design, client, panels, contents, explore }),
  );
  statusBar.update(design.current);
  // Not awaited: the server starts in the background so activation stays fast; its state shows in the status bar.
  void client.start();
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)}ms`);
  return { activationMs, design, panels, explore };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
