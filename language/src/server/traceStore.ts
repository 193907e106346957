/**
 * Routing traces read from disk for the Node language server, one object per file content: a report is cached on
 * the trace object it was computed with (language/src/phases.ts), so the same unchanged file must give the same
 * object, and a rewritten file a new one. Checked by modification time and size on each new text; `forget` drops a
 * file when the client reports it changed (workspace/didChangeWatchedFiles).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoutingTrace } from '../../../engine/routing-trace';
import { parseRoutingTrace } from '../../../engine/schedule/trace-format';
import { readTraceText } from '../../../node/safeFiles';

export class TraceStore {
  private readonly byFile = new Map<string, { stamp: string; trace: RoutingTrace | undefined }>();
  /** Why the last load of a file gave no trace (missing, not a regular file, too large, not a trace), by file. */
  private readonly problems = new Map<string, string>();

  /** Why `path` (named by the document) could not be used as a trace at its last load, or undefined. */
  problem(documentUri: string, path: string): string | undefined {
    const file = this.fileOf(documentUri, path);
    return file === undefined ? undefined : this.problems.get(file);
  }

  private fileOf(documentUri: string, path: string): string | undefined {
    if (!documentUri.startsWith('file:')) return undefined;
    try {
      return resolve(dirname(fileURLToPath(documentUri)), path);
    } catch {
      return undefined;
    }
  }

  load(documentUri: string, path: string): RoutingTrace | undefined {
    if (!documentUri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = resolve(dirname(fileURLToPath(documentUri)), path);
    } catch {
      return undefined;
    }
    let stamp: string;
    try {
      const s = statSync(file);
      stamp = `${s.mtimeMs}:${s.size}`;
    } catch {
      this.byFile.delete(file);
      this.problems.set(file, 'the file does not exist');
      return undefined; // missing: the engine falls back to balanced routing and says so in its notes
    }
    const hit = this.byFile.get(file);
    if (hit && hit.stamp === stamp) return hit.trace;
    let trace: RoutingTrace | undefined;
    this.problems.delete(file);
    try {
      // Only a regular file of bounded size: a trace named "/dev/zero" or a FIFO must not stop the server.
      const parsed = parseRoutingTrace(readTraceText(file));
      trace = parsed.ok ? parsed.trace : undefined;
      if (!parsed.ok) this.problems.set(file, parsed.error);
    } catch (error) {
      trace = undefined;
      this.problems.set(file, (error as Error).message);
    }
    this.byFile.set(file, { stamp, trace });
    return trace;
  }

  /** Forget a file by its URI; true when it was a trace some design had read. */
  forget(fileUri: string): boolean {
    if (!fileUri.startsWith('file:')) return false;
    try {
      return this.byFile.delete(fileURLToPath(fileUri));
    } catch {
      return false;
    }
  }
}
