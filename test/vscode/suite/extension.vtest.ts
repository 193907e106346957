/**
 * API-level checks in a real VS Code: activation, the command table, code lens through
 * `vscode.executeCodeLensProvider`, diagnostics, and the panel protocol round trip (`ready` → view → `rendered`).
 * Named *.vtest.ts so the plain-Node runner (test/run.mjs) does not pick it up: it needs the `vscode` module.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { M3vExtensionApi } from '../../../extension/main';

declare const suite: (name: string, fn: () => void) => void;
declare const test: (name: string, fn: () => Promise<void> | void) => void;

const EXPECTED_COMMANDS = [
  'm3v.showResources',
  'm3v.showSchedule',
  'm3v.compareStrategies',
  'm3v.simulateScenario',
  'm3v.runModel',
  'm3v.exportOnnx',
  'm3v.selectTask',
  'm3v.selectTarget',
  'm3v.restartServer',
];

async function until<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function openDesign(): Promise<{ doc: vscode.TextDocument; api: M3vExtensionApi }> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'design.m3v'));
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension<M3vExtensionApi>('m3v-studio.m3v-studio')!;
  const api = await ext.activate();
  return { doc, api };
}

export function registerExtensionTests(): void {
  suite('M3V extension', () => {
    test('activates on a .m3v document and reports its activation time', async () => {
      const { doc, api } = await openDesign();
      assert.equal(doc.languageId, 'm3v');
      assert.ok(api.activationMs > 0 && api.activationMs < 5_000, `activation ${api.activationMs} ms`);
    });

    test('registers every palette command', async () => {
      const all = new Set(await vscode.commands.getCommands(true));
      for (const id of EXPECTED_COMMANDS) assert.ok(all.has(id), `missing command ${id}`);
    });

    test('code lens comes from the language server', async () => {
      const { doc } = await openDesign();
      const lenses = await until(async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
        return l && l.length > 0 ? l : undefined;
      }, 'code lenses');
      assert.ok(lenses.every((l) => (l.command?.title ?? '').length > 0));
    });

    test('a wrong unit is a located diagnostic', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'm3v', content: 'hardware z { clock 19.2 GB/s }\n' });
      await vscode.window.showTextDocument(doc);
      const diags = await until(() => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.length > 0 ? d : undefined;
      }, 'diagnostics');
      assert.ok(diags.some((d) => d.range.start.line === 0));
    });

    test('panel protocol: opening Resources gets `ready`, posts a view, and the webview acknowledges it', async () => {
      const { api } = await openDesign();
      await vscode.commands.executeCommand('m3v.showResources');
      const ack = await until(() => api.panels.resources.lastAck, 'the webview `rendered` acknowledgement');
      assert.ok(ack.seq >= 1);
      assert.equal(api.panels.resources.isOpen, true);
    });

    test('an unsaved edit reaches the panel (new seq acknowledged) without saving', async () => {
      const { doc, api } = await openDesign();
      await vscode.commands.executeCommand('m3v.showResources');
      const before = await until(() => api.panels.resources.lastAck, 'first ack');
      const editor = await vscode.window.showTextDocument(doc);
      const text = doc.getText();
      const at = text.indexOf('experts 16');
      assert.ok(at >= 0);
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at + 8), doc.positionAt(at + 10)), '32'));
      const after = await until(() => (api.panels.resources.lastAck!.seq > before.seq ? api.panels.resources.lastAck : undefined), 'an ack of the edit');
      assert.ok(after.seq > before.seq);
      assert.equal(doc.isDirty, true);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
}
