/**
 * Node-side loader of the routing traces a design names (`routing trace "FILE"`, relative to the design), cached
 * by modification time so typing does not re-read them. A missing or malformed file is left out: the engine then
 * falls back to balanced routing and says so in its notes (the language server reports the file error).
 */
import { statSync } from 'node:fs';
import { readTraceText } from '../../engine/runtime/safeFiles';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Design } from '../../engine/design';
import type { RoutingTrace } from '../../engine/routing-trace';

const cache = new Map<string, { mtimeMs: number; trace: RoutingTrace }>();

export function loadDesignTraces(design: Design, uri: string): ReadonlyMap<string, RoutingTrace> | undefined {
  const routing = design.model.moe?.routing;
  if (routing?.kind !== 'trace' || !uri.startsWith('file:')) return undefined;
  const file = path.resolve(path.dirname(fileURLToPath(uri)), routing.path);
  try {
    const mtimeMs = statSync(file).mtimeMs;
    let hit = cache.get(file);
    if (!hit || hit.mtimeMs !== mtimeMs) {
      // Regular files of bounded size only: a trace named "/dev/zero" or a FIFO must not stop the extension host.
      hit = { mtimeMs, trace: JSON.parse(readTraceText(file)) as RoutingTrace };
      cache.set(file, hit);
    }
    return new Map([[routing.path, hit.trace]]);
  } catch {
    return undefined;
  }
}
