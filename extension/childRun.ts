/**
 * Runs the `m3v` CLI (dist/cli.js) in a child Node process with VS Code progress and cancellation. Model runs
 * and ONNX export go through here, so onnxruntime-node never loads into the extension host: a native fault or
 * a runaway session kills only the child. Cancellation sends SIGTERM, then SIGKILL after a grace period.
 */
import * as vscode from 'vscode';
import { fork } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

/** A line the CLI prints on stderr while working: `progress DONE/TOTAL message` (see docs/extension.md). */
const PROGRESS = /^progress (\d+)\/(\d+)\s*(.*)$/;

export function runCli(
  extensionUri: vscode.Uri,
  args: string[],
  title: string,
  cwd: string | undefined,
): Thenable<ChildResult> {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) =>
      new Promise<ChildResult>((resolve) => {
        const child = fork(cli, args, { cwd, silent: true, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
        let stdout = '';
        let stderr = '';
        let cancelled = false;
        let lastDone = 0;
        child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
        child.stderr?.on('data', (b: Buffer) => {
          const text = b.toString();
          for (const line of text.split('\n')) {
            const m = PROGRESS.exec(line.trim());
            if (m) {
              const done = Number(m[1]);
              const total = Math.max(1, Number(m[2]));
              progress.report({ increment: ((done - lastDone) / total) * 100, message: m[3] });
              lastDone = done;
            } else if (line.trim()) stderr += line + '\n';
          }
        });
        const sub = token.onCancellationRequested(() => {
          cancelled = true;
          child.kill('SIGTERM');
          setTimeout(() => {
            if (child.exitCode === null) child.kill('SIGKILL');
          }, 2000).unref();
        });
        child.on('error', (err) => {
          sub.dispose();
          resolve({ code: -1, stdout, stderr: stderr + err.message, cancelled });
        });
        child.on('exit', (code) => {
          sub.dispose();
          resolve({ code, stdout, stderr, cancelled });
        });
      }),
  );
}

/** First non-empty stderr line: the CLI prints user errors as one located line. */
export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? 'no output';
}
