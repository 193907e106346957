/** The code lens text of an explore block (engine text, so lens, CLI and a panel word it alike). */
import { SEARCH_ABOVE, spaceSize, type ExploreSpec } from './spec';
import type { ExploreResult } from './result';

export function pointCountText(n: number): string {
  return n < 1e9 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2).replace('e+', 'e');
}

/** `105 points (linear 5 × attention 3 × clock 7) · exhaustive on zcu102`, then the front once a run is known. */
export function exploreLensText(spec: ExploreSpec, result?: Pick<ExploreResult, 'front' | 'feasible' | 'evaluated'>): string {
  const n = spaceSize(spec);
  const axes = spec.axes.map((a) => `${a.key} ${a.choices.length}`).join(' × ');
  const how = n > SEARCH_ABOVE ? 'NSGA-II search' : 'every point';
  const run = result ? ` · front ${result.front.length} of ${result.feasible} meeting the budgets (${result.evaluated} evaluated)` : '';
  return `${pointCountText(n)} point${n === 1 ? '' : 's'} (${axes}) · ${how} on ${spec.target}${run}`;
}
