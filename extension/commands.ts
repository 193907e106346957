/**
 * The command table: every `m3v.*` command id, its handler, in one place (titles and palette placement are in
 * package.json `contributes.commands`/`menus`). Handlers only wire: numbers come from the active design's
 * analysis, heavy work from the CLI child process.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ActiveDesign } from './activeDesign';
import type { M3vLanguageClient } from './languageClient';
import type { PanelHost } from './panels/panelHost';
import type { ResourcesContent, RunContent, ScheduleContent } from './panels/contents';
import type { ExplorePanel } from './panels/explorePanel';
import { readSettings } from './config';
import { firstLine, runCli } from './childRun';
import { announceWritten } from './exportFiles';
import { statSync } from 'node:fs';
import { routingLineEdit, runViewFromCliJson } from './runResult';
import { requireTrust } from './trust';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  design: ActiveDesign;
  client: M3vLanguageClient;
  panels: { resources: PanelHost; schedule: PanelHost; run: PanelHost };
  contents: { resources: ResourcesContent; schedule: ScheduleContent; run: RunContent };
  /** The Design Space panel (its own host: a run outlives edits). */
  explore?: ExplorePanel;
}

/** Code lens and links pass `{ uri, task }`-like arguments; a bare call uses the active design. */
interface TargetArgs {
  uri?: string;
  task?: string;
  target?: string;
  budget?: string;
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  /** The image of the last model run, for the Run panel's numerics toggle. */
  let lastRunImage: vscode.Uri | undefined;
  const followArgs = async (args: TargetArgs | undefined): Promise<void> => {
    if (args?.uri) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
      d.design.follow(doc);
    }
    if (args?.task) d.design.selectTask(args.task);
    if (args?.target) d.design.selectTarget(args.target);
    await d.design.flush();
  };
  // Handlers take different argument types; `any[]` is vscode.commands.registerCommand's own parameter type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const table: Record<string, (...args: any[]) => unknown> = {
    'm3v.showResources': async (args?: TargetArgs) => {
      await followArgs(args);
      d.contents.resources.focusBudget = args?.budget;
      d.panels.resources.show();
    },
    // The walkthrough's first step: the Edge-MoE sample shipped in the extension, with Resources and Schedule beside it.
    'm3v.openSample': async () => {
      const sample = vscode.Uri.joinPath(d.context.extensionUri, 'samples', 'edge-moe-zcu102.m3v');
      const doc = await vscode.workspace.openTextDocument(sample);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
      d.design.follow(doc);
      await d.design.flush();
      // Two columns beside the sample when the panels are new, so both are in view (an open panel is revealed in place).
      d.panels.resources.show(vscode.ViewColumn.Two);
      d.panels.schedule.show(vscode.ViewColumn.Three);
    },
    'm3v.showSchedule': async (args?: TargetArgs) => {
      await followArgs(args);
      d.contents.schedule.compare = false;
      d.contents.schedule.scenario = undefined;
      d.panels.schedule.show();
    },
    'm3v.compareStrategies': async (args?: TargetArgs) => {
      await followArgs(args);
      d.contents.schedule.compare = true;
      d.contents.schedule.scenario = undefined;
      d.panels.schedule.show();
    },
    'm3v.simulateScenario': async (args?: TargetArgs & { scenario?: string }) => {
      await followArgs(args);
      const scenarios = d.design.current.summary.scenarios;
      if (scenarios.length === 0) {
        void vscode.window.showInformationMessage('M3V: the active design declares no `scenario` block.');
        return;
      }
      const pick =
        args?.scenario ?? (scenarios.length === 1 ? scenarios[0] : await vscode.window.showQuickPick(scenarios, { title: 'Simulate scenario' }));
      if (!pick) return;
      d.contents.schedule.scenario = pick;
      d.contents.schedule.compare = false;
      d.panels.schedule.show();
    },
    'm3v.selectTask': async (task?: string) => {
      const tasks = d.design.current.summary.tasks;
      const pick = typeof task === 'string' ? task : await vscode.window.showQuickPick(tasks, { title: 'M3V task' });
      if (pick) d.design.selectTask(pick);
    },
    'm3v.selectTarget': async (target?: string) => {
      const targets = d.design.current.summary.targets;
      const pick = typeof target === 'string' ? target : await vscode.window.showQuickPick(targets, { title: 'M3V hardware target' });
      if (pick) d.design.selectTarget(pick);
    },
    'm3v.restartServer': () => d.client.restart(),
    'm3v.revealSource': (uri: string, start: number, end: number) => revealSource(uri, start, end),
    'm3v.runModel': async (imageArg?: vscode.Uri, numericsArg?: 'float32' | 'declared') => {
      if (!requireTrust('run a model')) return;
      const designUri = d.design.documentUri;
      const u = d.design.current;
      if (!designUri || u.summary.problem) {
        void vscode.window.showErrorMessage(`M3V: cannot run: ${u.summary.problem ?? 'open a .m3v design first'}`);
        return;
      }
      // The Run panel's numerics toggle runs the last image again.
      const numerics = numericsArg === 'declared' ? 'declared' : 'float32';
      const image =
        imageArg ??
        (numericsArg ? lastRunImage : undefined) ??
        (await vscode.window.showOpenDialog({ title: 'Image to run the model on', filters: { Images: ['png', 'jpg', 'jpeg'] }, canSelectMany: false }))?.[0];
      if (!image) return;
      lastRunImage = image;
      const { runThreads: threads, runImageFit: fit } = readSettings(designUri);
      const result = await runCli(
        d.context.extensionUri,
        ['run', designUri.fsPath, '--image', image.fsPath, '--task', u.task, '--threads', String(threads), '--fit', fit, '--numerics', numerics, '--json'],
        `M3V: running ${u.summary.designName} (${u.task}) on ${path.basename(image.fsPath)}`,
        path.dirname(designUri.fsPath),
      );
      if (result.cancelled) return;
      if (result.code !== 0) {
        void vscode.window.showErrorMessage(`M3V run failed: ${firstLine(result.stderr)}`);
        return;
      }
      const view = runViewFromCliJson(result.stdout);
      if (typeof view === 'string') {
        void vscode.window.showErrorMessage(`M3V run: ${view}`);
        return;
      }
      d.contents.run.last = { uri: designUri.toString(), view, seq: u.seq, trace: traceText(result.stdout) };
      d.panels.run.show();
    },
    'm3v.exportOnnx': async () => {
      if (!requireTrust('export an ONNX model with weights')) return;
      const designUri = d.design.documentUri;
      if (!designUri) {
        void vscode.window.showErrorMessage('M3V: open a .m3v design to export.');
        return;
      }
      const out = await vscode.window.showSaveDialog({
        title: 'Export ONNX model',
        defaultUri: designUri.with({ path: designUri.path.replace(/\.m3v$/, '') + '.onnx' }),
        filters: { ONNX: ['onnx'] },
      });
      if (!out) return;
      const result = await runCli(
        d.context.extensionUri,
        ['export-onnx', designUri.fsPath, '--task', d.design.current.task, '--out', out.fsPath],
        'M3V: exporting ONNX',
        path.dirname(designUri.fsPath),
      );
      if (result.cancelled) return;
      if (result.code !== 0) void vscode.window.showErrorMessage(`M3V export failed: ${firstLine(result.stderr)}`);
      else void announceWritten('the ONNX model', out, statSync(out.fsPath).size);
    },
    'm3v.useTraceAsRouting': () => useTraceAsRouting(d),
    // The explore lens passes { uri, explore } and runs that block; the palette opens the panel on the active design.
    'm3v.exploreDesignSpace': async (args?: { uri?: string; explore?: string }) => {
      await followArgs(args);
      d.explore?.show(args?.explore, args?.explore !== undefined);
    },
    'm3v.openRunResult': async (fileArg?: vscode.Uri) => {
      const file =
        fileArg ??
        (await vscode.window.showOpenDialog({ title: 'Saved output of `m3v run --json`', filters: { JSON: ['json'] }, canSelectMany: false }))?.[0];
      if (!file) return;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      const view = runViewFromCliJson(text);
      if (typeof view === 'string') {
        void vscode.window.showErrorMessage(`M3V: ${vscode.workspace.asRelativePath(file)}: ${view}`);
        return;
      }
      const design = d.design.documentUri?.toString() ?? file.toString();
      d.contents.run.last = { uri: design, view, seq: d.design.current.seq, trace: traceText(text) };
      d.panels.run.show();
    },
  };
  return Object.entries(table).map(([id, fn]) => vscode.commands.registerCommand(id, fn));
}

function traceText(stdout: string): string | undefined {
  try {
    const t = (JSON.parse(stdout) as { trace?: unknown }).trace;
    return t === undefined ? undefined : JSON.stringify(t);
  } catch {
    return undefined;
  }
}

export async function revealSource(uri: string, start: number, end: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  // Reveal in the column that already shows the design, not over the panel.
  const existing = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * Writes the last run's routing trace next to the design (`traces/<task>.json`, an explicit user action from the
 * Run panel's button) and points the design's `routing` line at it as an undoable edit of the open document.
 */
async function useTraceAsRouting(d: CommandDeps): Promise<void> {
  const last = d.contents.run.last;
  if (!last?.trace) {
    void vscode.window.showInformationMessage('M3V: the last run produced no routing trace.');
    return;
  }
  const designUri = vscode.Uri.parse(last.uri);
  const doc = await vscode.workspace.openTextDocument(designUri);
  const relative = `traces/${last.view.task || 'run'}.json`;
  const traceUri = vscode.Uri.joinPath(designUri, '..', relative);
  await vscode.workspace.fs.writeFile(traceUri, new TextEncoder().encode(last.trace));
  const edit = routingLineEdit(doc.getText(), relative);
  if (!edit) {
    void vscode.window.showWarningMessage(`M3V: wrote ${relative}, but the design has no \`routing\` line in its moe block to point at it.`);
    return;
  }
  const we = new vscode.WorkspaceEdit();
  we.replace(designUri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.text);
  await vscode.workspace.applyEdit(we);
}
