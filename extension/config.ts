/** Typed access to the `m3v.*` settings declared in package.json `contributes.configuration`. */
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';

export interface M3vSettings {
  defaultTask: string;
  defaultTarget: string;
  runThreads: number;
  updateDebounceMs: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): M3vSettings {
  const c = vscode.workspace.getConfiguration('m3v', scope);
  return {
    defaultTask: c.get<string>('defaultTask', ''),
    defaultTarget: c.get<string>('defaultTarget', ''),
    // Clamped to this machine's cores: `m3v run --threads` refuses more (they only queue), and the default of 2
    // must still run on a one-core machine.
    runThreads: Math.min(availableParallelism(), Math.max(1, Math.floor(c.get<number>('run.threads', 2)))),
    // Clamped: 0 would analyse on every keystroke of a fast typist, > 1 s would feel broken.
    updateDebounceMs: Math.min(1000, Math.max(0, c.get<number>('updateDebounceMs', 100))),
  };
}
