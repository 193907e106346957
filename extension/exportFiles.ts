/**
 * Saves what a panel's Export button built (webviews/export): one HTML file through a save dialog, CSV tables and
 * PNG charts into a chosen folder (one file each). Every write is atomic (node/safeFiles.ts: temp file in the same
 * folder, fsync, rename); an existing file is replaced only after the dialog, which asks. Afterwards one line says
 * what was written and how large, with Reveal.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { ExportFile, PanelKind } from '../webviews/protocol';
import { FileRefusal, writeFileAtomic } from '../node/safeFiles';

/** "12.3 KiB" — binary sizes in KiB/MiB, as elsewhere in the extension. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

function bytesOf(f: ExportFile): Uint8Array {
  return f.text !== undefined ? Buffer.from(f.text, 'utf8') : Buffer.from(f.base64 ?? '', 'base64');
}

/** "wrote X (size)" with a Reveal button that shows the file in the OS file manager. */
export async function announceWritten(what: string, file: vscode.Uri, bytes: number): Promise<void> {
  const pick = await vscode.window.showInformationMessage(`M3V: wrote ${what} ${vscode.workspace.asRelativePath(file)} (${sizeText(bytes)})`, 'Reveal');
  if (pick === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', file);
}

export async function saveExport(panel: PanelKind, format: 'html' | 'csv' | 'png', files: ExportFile[], near: vscode.Uri | undefined): Promise<void> {
  if (files.length === 0) {
    void vscode.window.showInformationMessage(format === 'png' ? 'M3V: this panel shows no chart to export yet.' : 'M3V: this panel shows nothing to export yet.');
    return;
  }
  const folder = near ? vscode.Uri.file(path.dirname(near.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri;
  try {
    if (files.length === 1) {
      const f = files[0];
      const out = await vscode.window.showSaveDialog({
        title: `Export the ${panel} report as ${format.toUpperCase()}`,
        defaultUri: folder ? vscode.Uri.joinPath(folder, f.name) : undefined,
        filters: { [format.toUpperCase()]: [format] },
      });
      if (!out) return;
      const bytes = bytesOf(f);
      writeFileAtomic(out.fsPath, bytes, 'export');
      await announceWritten(`the ${panel} report`, out, bytes.byteLength);
      return;
    }
    const picked = await vscode.window.showOpenDialog({ title: `Folder for ${files.length} ${format.toUpperCase()} files`, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: folder });
    const dir = picked?.[0];
    if (!dir) return;
    const clashes = files.filter((f) => existsSync(path.join(dir.fsPath, f.name)));
    if (clashes.length > 0) {
      const ok = await vscode.window.showWarningMessage(`M3V: replace ${clashes.length} existing file(s) in ${path.basename(dir.fsPath)} (${clashes.map((f) => f.name).join(', ')})?`, { modal: true }, 'Replace');
      if (ok !== 'Replace') return;
    }
    let total = 0;
    for (const f of files) {
      const bytes = bytesOf(f);
      writeFileAtomic(path.join(dir.fsPath, f.name), bytes, 'export');
      total += bytes.byteLength;
    }
    await announceWritten(`${files.length} ${format.toUpperCase()} files to`, vscode.Uri.joinPath(dir, files[0].name), total);
  } catch (error) {
    if (error instanceof FileRefusal) void vscode.window.showErrorMessage(`M3V export: ${error.message}`);
    else throw error;
  }
}
