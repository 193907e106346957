/**
 * Routing traces for designs opened in the browser designer. A design's `routing trace "FILE"` names a file
 * relative to the design; `m3v serve` serves the design's folder, so the trace is that URL resolved against the
 * design's URL. The language services ask for a trace synchronously (the language server reads a file), and a
 * synchronous request is allowed in a worker, so the worker fetches it once and keeps it for the session.
 * A missing or malformed trace is left out: the engine then falls back to balanced routing and says so.
 */
import type { RoutingTrace } from '../../../engine/routing-trace';
import { parseRoutingTrace } from '../../../engine/schedule/trace-format';

export type TextFetcher = (url: string) => string | undefined;

/** A blocking GET (worker only). */
export const syncFetchText: TextFetcher = (url) => {
  try {
    const request = new XMLHttpRequest();
    request.open('GET', url, false);
    request.send();
    return request.status === 200 ? request.responseText : undefined;
  } catch {
    return undefined;
  }
};

export function createTraceLoader(fetchText: TextFetcher): (documentUri: string, path: string) => RoutingTrace | undefined {
  const cache = new Map<string, RoutingTrace | undefined>();
  return (documentUri, path) => {
    let url: string;
    try {
      url = new URL(path, documentUri).href;
    } catch {
      return undefined;
    }
    if (!cache.has(url)) {
      const text = fetchText(url);
      const parsed = text === undefined ? undefined : parseRoutingTrace(text);
      cache.set(url, parsed?.ok ? parsed.trace : undefined);
    }
    return cache.get(url);
  };
}
