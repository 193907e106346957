/**
 * Merging results of parts of one space — shards of a batch job, a worker's chunks, search islands — into the result
 * one run would give: the counts add, and the front is the exact front of the union of the parts' fronts (a point
 * off one part's front is dominated within that part, hence in the union). Parts must come from the same explore
 * (equal fingerprints: target, axes and values, objectives, budgets).
 */
import { buildResult, type ExploreResult, type ResultFrame } from './result';
import { mergeTallies } from './tally';
import { ExploreRequestError } from './run';

export function mergeResults(parts: readonly ExploreResult[], labels: readonly string[] = parts.map((_, i) => `part ${i + 1}`)): ExploreResult {
  if (parts.length === 0) throw new ExploreRequestError('nothing to merge');
  const first = parts[0];
  parts.forEach((p, i) => {
    if (p.version !== first.version || p.fingerprint !== first.fingerprint)
      throw new ExploreRequestError(`${labels[i]} is explore '${p.explore}' (${p.fingerprint}), ${labels[0]} is '${first.explore}' (${first.fingerprint}): only parts of the same space merge`);
  });
  const signs = first.objectives.map((o) => (o.sense === 'minimize' ? 1 : -1));
  const tally = mergeTallies(parts.map((p) => p.tally), signs);
  const values = new Map<number, Record<string, string>>();
  for (const p of parts) for (const f of p.front) values.set(f.index, f.values);
  const frame: ResultFrame = { ...first, valuesOf: (index) => values.get(index)! };
  const search = first.search
    ? { ...first.search, generations: parts.reduce((n, p) => n + (p.search?.generations ?? 0), 0), evaluated: parts.reduce((n, p) => n + (p.search?.evaluated ?? 0), 0) }
    : undefined;
  // A merge of every shard covers the whole space; otherwise say which shards are in.
  const shards = parts.map((p) => p.shard).filter((s) => s !== undefined);
  const complete = shards.length === 0 || (shards.length === shards[0]!.count && new Set(shards.map((s) => s!.index)).size === shards[0]!.count);
  const result = buildResult(frame, first.budgets.map((b) => b.text), tally, {
    mode: first.mode,
    search,
    elapsedMs: parts.reduce((m, p) => Math.max(m, p.elapsed_ms), 0),
  });
  if (!complete) result.notes.push(`merged shards ${shards.map((s) => `${s!.index}/${s!.count}`).join(', ')}: not every shard of the space is in`);
  return result;
}
