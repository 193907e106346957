/**
 * The exploration requests of the language server (protocol.ts): `m3v/exploreStart` (checked here, run in the explore
 * worker, progress as `m3v/exploreProgress` notifications), `m3v/exploreCancel`, and `m3v/explorePointEdits` (the
 * edits that write a point into the design, for a face to apply as one undoable edit). Kept out of server.ts so the
 * server's own module only wires it.
 */
import { ErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { RoutingTrace } from '../../../engine/routing-trace';
import { pointEdits } from '../explorePoint';
import type { DocumentAnalysis } from '../types';
import type { ExploreRuns } from './exploreLens';
import type { ExploreRunner } from './exploreRunner';
import {
  EXPLORE_CANCEL,
  EXPLORE_POINT_EDITS,
  EXPLORE_PROGRESS,
  EXPLORE_SAMPLE_DEFAULT,
  EXPLORE_SAMPLE_MAX,
  EXPLORE_START,
  type DocumentParams,
  type ExplorePointEditsResult,
  type ExploreProgressParams,
  type ExploreRunView,
  type ViewResult,
} from './protocol';

export interface ExploreRequestDeps {
  runner: ExploreRunner;
  runs: ExploreRuns;
  documentFor(params: DocumentParams, token?: CancellationToken): Promise<TextDocument | undefined>;
  /** The checked analysis of the document's text (the phase cache's), the traces it is costed with, its problem line. */
  analysisOf(doc: TextDocument): { analysis: DocumentAnalysis; traces: ReadonlyMap<string, RoutingTrace>; problem: () => string | undefined };
  refreshLenses(): void;
}

const notOpen = (uri: string) => `${uri} is not open in the language server`;
/** The "no answer" shape both explore results share: one located line instead of a view or edits. */
const staleResult = (uri: string, version: number, stale: string) => ({ uri, version, stale });

function requireExplore(params: unknown): asserts params is DocumentParams & { explore: string } {
  const p = params as Partial<DocumentParams & { explore: unknown }> | undefined;
  if (typeof p?.textDocument?.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.textDocument.uri must be a string');
  if (typeof p.explore !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.explore must be a string (an explore block name)');
}

/** `sample` clamped to [0, EXPLORE_SAMPLE_MAX]; default EXPLORE_SAMPLE_DEFAULT. */
export function sampleSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return EXPLORE_SAMPLE_DEFAULT;
  return Math.max(0, Math.min(EXPLORE_SAMPLE_MAX, Math.floor(value)));
}

export function registerExploreRequests(connection: Connection, deps: ExploreRequestDeps): void {
  /** The checked design and its explore block, or the one line saying why there is none. */
  async function exploreOf(params: DocumentParams & { explore: string }, token: CancellationToken) {
    const doc = await deps.documentFor(params, token);
    if (!doc) return { stale: staleResult(params.textDocument.uri, -1, notOpen(params.textDocument.uri)) };
    const { analysis, traces, problem } = deps.analysisOf(doc);
    const design = analysis.design;
    if (!design) return { stale: staleResult(doc.uri, doc.version, problem() ?? 'the design has errors') };
    const spec = design.explores?.find((e) => e.name === params.explore);
    if (!spec) {
      const names = (design.explores ?? []).map((e) => e.name);
      const has = names.length ? `it declares: ${names.join(', ')}` : "it has no 'explore NAME { … }' block";
      return { stale: staleResult(doc.uri, doc.version, `the design has no explore named ${JSON.stringify(params.explore)}; ${has}`) };
    }
    return { doc, analysis, design, spec, traces };
  }

  connection.onRequest(EXPLORE_START, async (params: unknown, token: CancellationToken): Promise<ViewResult<ExploreRunView>> => {
    requireExplore(params);
    const found = await exploreOf(params, token);
    if ('stale' in found) return found.stale!;
    const { doc, analysis, design, spec, traces } = found;
    // LSP's own cancel of this request stops the run as m3v/exploreCancel does.
    const sub = token.onCancellationRequested(() => deps.runner.cancel(doc.uri));
    try {
      const outcome = await deps.runner.run(doc.uri, {
        design,
        traces,
        explore: spec.name,
        sample: sampleSize((params as { sample?: unknown }).sample),
        onProgress: (p, elapsedMs) => {
          const progress: ExploreProgressParams = { uri: doc.uri, version: doc.version, explore: spec.name, ...p, elapsedMs };
          void connection.sendNotification(EXPLORE_PROGRESS, progress);
        },
      });
      if ('cancelledBeforeResult' in outcome) {
        const p = outcome.cancelledBeforeResult.progress;
        return staleResult(doc.uri, doc.version, `cancelled after ${p ? `${p.done} of ${p.total}` : 'no'} points, before the worker reported a result`);
      }
      deps.runs.remember(doc.uri, analysis, spec, outcome.result);
      deps.refreshLenses();
      return { uri: doc.uri, version: doc.version, view: { designName: design.model.name, ...outcome } };
    } catch (error) {
      throw new ResponseError(ErrorCodes.InternalError, `M3V: explore '${spec.name}' failed: ${(error as Error).message}`);
    } finally {
      sub.dispose();
    }
  });

  connection.onRequest(EXPLORE_CANCEL, (params: unknown) => {
    const uri = (params as DocumentParams | undefined)?.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.textDocument.uri must be a string');
    return { cancelled: deps.runner.cancel(uri) };
  });

  connection.onRequest(EXPLORE_POINT_EDITS, async (params: unknown, token: CancellationToken): Promise<ExplorePointEditsResult> => {
    requireExplore(params);
    const values = (params as { values?: unknown }).values;
    if (typeof values !== 'object' || values === null || Object.values(values).some((v) => typeof v !== 'string'))
      throw new ResponseError(ErrorCodes.InvalidParams, 'params.values must map each varied key to its value as written');
    const found = await exploreOf(params, token);
    if ('stale' in found) return found.stale!;
    const { doc, analysis, spec } = found;
    const given = values as Record<string, string>;
    // Only the space's own keys and values: a point from another run must not write text the space never had.
    for (const axis of spec.axes) {
      const v = given[axis.key];
      if (v !== undefined && !axis.choices.some((c) => c.text === v))
        return { uri: doc.uri, version: doc.version, stale: `${axis.key} ${v} is not one of explore '${spec.name}''s values (${axis.choices.map((c) => c.text).join(', ')})` };
    }
    const edits = pointEdits(analysis.text, analysis.tree, spec, given).map((e) => ({ range: { start: doc.positionAt(e.span.start), end: doc.positionAt(e.span.end) }, newText: e.newText }));
    return { uri: doc.uri, version: doc.version, edits };
  });
}
