/**
 * The explore block's code lens once a run is known: the engine's lens text (engine/explore/lens.ts) with the front's
 * size, marked stale when the design changed since the run in a way that changes the space's answer.
 *
 * "Changed" ignores the varied keys' own lines: every point overrides them, so applying a point of the front (which
 * rewrites exactly those lines) leaves the front valid — the lens follows the edit without going stale. Anything else
 * (a budget, an unvaried key, the explore block itself) makes it stale. The comparison key is the text with every
 * varied key written at its first value (language/src/explorePoint.ts), which is the same for all points of a space.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { ExploreSpec } from '../../../engine/explore/spec';
import { exploreLensText } from '../../../engine/explore/lens';
import type { ExploreResult } from '../../../engine/explore/result';
import { applyEdits, pointEdits } from '../explorePoint';
import type { DocumentAnalysis } from '../types';

export const EXPLORE_LENS_COMMAND = 'm3v.exploreDesignSpace';
export const STALE_RUN_SUFFIX = ' · stale: the design changed since this run';

/** The text with every varied key at its first value: equal for a design and the design with any point applied. */
export function spaceKey(analysis: Pick<DocumentAnalysis, 'text' | 'tree'>, spec: ExploreSpec): string {
  const first = Object.fromEntries(spec.axes.map((a) => [a.key, a.choices[0]?.text ?? '']));
  return applyEdits(analysis.text, pointEdits(analysis.text, analysis.tree, spec, first));
}

interface StoredRun {
  key: string;
  result: Pick<ExploreResult, 'front' | 'feasible' | 'evaluated' | 'cancelled'>;
}

/** The last finished run per document and explore name (kept until the document closes). */
export class ExploreRuns {
  private readonly byUri = new Map<string, Map<string, StoredRun>>();

  remember(uri: string, analysis: DocumentAnalysis, spec: ExploreSpec, result: StoredRun['result']): void {
    const runs = this.byUri.get(uri) ?? new Map<string, StoredRun>();
    this.byUri.set(uri, runs);
    runs.set(spec.name, { key: spaceKey(analysis, spec), result: { front: result.front, feasible: result.feasible, evaluated: result.evaluated, cancelled: result.cancelled } });
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** The lens title for one explore block of the current analysis. */
  title(uri: string, analysis: DocumentAnalysis, spec: ExploreSpec): string {
    const run = this.byUri.get(uri)?.get(spec.name);
    if (!run) return exploreLensText(spec);
    const stale = run.key !== spaceKey(analysis, spec);
    return exploreLensText(spec, run.result) + (run.result.cancelled ? ' (cancelled)' : '') + (stale ? STALE_RUN_SUFFIX : '');
  }

  /**
   * Puts run results (and, for a client that runs the extension's commands, the Design Space command) on the
   * explore lenses the language services made: those at an explore block's start whose title is the block's own.
   */
  decorate(uri: string, analysis: DocumentAnalysis, lenses: CodeLens[], positionAt: (offset: number) => { line: number; character: number }, commands: boolean): CodeLens[] {
    const specs = analysis.design?.explores ?? [];
    if (specs.length === 0) return lenses;
    return lenses.map((lens) => {
      const spec = specs.find((s) => {
        const at = positionAt(s.span.start);
        return at.line === lens.range.start.line && at.character === lens.range.start.character && lens.command?.title === exploreLensText(s);
      });
      if (!spec) return lens;
      const title = this.title(uri, analysis, spec);
      const command = commands ? { title, command: EXPLORE_LENS_COMMAND, arguments: [{ uri, explore: spec.name }] } : { title, command: '' };
      return { ...lens, command };
    });
  }
}
