/**
 * Where an offset sits in the syntax tree: the enclosing blocks (as statements, outermost first), the statement under
 * the cursor, which word, and which schema block kind's keys are valid there. Completion and hover use it so that
 * they agree with the checker on what "inside the moe block" means. A service rather than syntax: the block kinds
 * come from the schema, which the syntax layer does not import.
 */
import { blockKindOf, type BlockKind } from '../schema';
import type { Atom, Statement, SyntaxTree } from '../syntax/tree';

export interface TreeLocation {
  /** Statements whose block contains the offset, outermost first. */
  path: Statement[];
  /** The statement whose words contain or end just before the offset, within the innermost block. */
  statement?: Statement;
  /** Index in `statement.words` of the word containing or ending at the offset; -1 when none. */
  wordIndex: number;
  /** Block kind whose keys are valid at the offset: `file` at top level; undefined inside a `frames`/`repeat` block. */
  blockKind: BlockKind | undefined;
}

const inside = (offset: number, s: { start: number; end: number }) => offset >= s.start && offset <= s.end;

/**
 * The last statement starting at or before `offset`, by binary search: statements are in document order and do not
 * overlap, so it is the only one that can contain the offset. (A linear `find` made every caller that locates each
 * statement — semantic tokens, formatting — quadratic: 10,000 statements took seconds; docs/limits.md.)
 */
function candidate(statements: readonly Statement[], offset: number): Statement | undefined {
  let lo = 0;
  let hi = statements.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 ? statements[found] : undefined;
}

export function locate(tree: SyntaxTree, offset: number): TreeLocation {
  const path: Statement[] = [];
  let statements = tree.statements;
  for (;;) {
    const s = candidate(statements, offset);
    const encloses = s?.block && offset > s.block.open.start && (s.block.close ? offset <= s.block.close.start : offset <= s.block.span.end);
    if (!encloses) break;
    path.push(s);
    statements = s.block!.statements;
  }
  const last = candidate(statements, offset);
  const statement =
    last && last.words.length > 0 && inside(offset, { start: last.words[0].span.start, end: last.words[last.words.length - 1].span.end })
      ? last
      : undefined;
  const wordIndex = statement ? statement.words.findIndex((w: Atom) => inside(offset, w.span)) : -1;
  return { path, statement, wordIndex, blockKind: kindOfPath(path) };
}

function kindOfPath(path: Statement[]): BlockKind | undefined {
  let kind: BlockKind | undefined = 'file';
  for (const s of path) {
    const key = s.words[0]?.kind === 'ident' ? s.words[0].text : undefined;
    if (kind === 'file') kind = key ? blockKindOf(key) : undefined;
    else if (kind === 'model' && key === 'moe') kind = 'moe';
    else kind = undefined;
    if (kind === undefined) return undefined;
  }
  return kind;
}
