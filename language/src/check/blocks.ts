/**
 * Walking the statements of one block by key, per the schema: unknown keys (with "did you mean"), duplicates,
 * blocks where none belongs, and — after the walk — missing required keys. A required key is not reported missing
 * when an unknown key of the same block was a close match for it: that typo was already reported once.
 */
import type { Span } from '../../../engine/design';
import * as msg from '../messages';
import { keyInfo, keysOf, SCHEMA, type BlockKind } from '../schema';
import type { Atom, Block, NumberAtom, Statement } from '../syntax/tree';
import type { CheckContext } from './context';
import { closest } from './suggest';
import { atomText, Words } from './words';

export type KeyHandler = (w: Words, stmt: Statement) => void;

export interface WalkResult {
  /** Keys that appeared (whether or not their value was valid), with the span of their first use. */
  seen: Map<string, Span>;
}

export function walkBlock(
  ctx: CheckContext,
  kind: BlockKind,
  block: Block | undefined,
  label: string,
  ownerSpan: Span,
  handlers: Partial<Record<string, KeyHandler>>,
  missingMessage: (key: string) => msg.Message = (key) => msg.missingKey(key, label, keyInfo(kind, key)!.forms.join(' | ')),
): WalkResult {
  const seen = new Map<string, Span>();
  const suggested = new Set<string>();
  const valid = keysOf(kind);
  const orphanKinds: BlockKind[] = [];
  // A bare `{ … }` inside the block (`moe { {`) most likely holds the keys; do not report them missing as well.
  let bareBlock = false;
  for (const stmt of block?.statements ?? []) {
    const first = stmt.words[0];
    if (!first) {
      ctx.error(stmt.block!.open, msg.bareBlock());
      bareBlock = true;
      continue;
    }
    const key = first.kind === 'ident' ? first.text : atomText(first);
    const info = first.kind === 'ident' ? keyInfo(kind, key) : undefined;
    if (!info) {
      // Keys of a child block whose `{` is missing (already reported) land here: skip them silently.
      if (orphanKinds.some((k) => keyInfo(k, key))) continue;
      // A key of a child block written outside it (its `moe {` line lost): say where it belongs, once.
      const childKind = SCHEMA[kind].keys.find((k) => k.opens && keyInfo(k.opens, key))?.opens;
      if (childKind) {
        orphanKinds.push(childKind);
        ctx.error(first.span, msg.misplacedKey(key, SCHEMA[childKind].form));
        continue;
      }
      const suggestion = first.kind === 'ident' ? closest(key, valid) : undefined;
      if (suggestion) suggested.add(suggestion);
      // `mo` for `moe`: the keys that follow belong to the misspelled block.
      const opens = suggestion ? keyInfo(kind, suggestion)?.opens : undefined;
      if (opens && !stmt.block) orphanKinds.push(opens);
      ctx.error(first.span, msg.unknownKey(key, label, suggestion, valid));
      continue;
    }
    const earlier = seen.get(key);
    if (earlier && !info.repeatable) {
      ctx.error(first.span, msg.duplicateKey(key, ctx.line(earlier.start)));
      continue;
    }
    if (!earlier) seen.set(key, first.span);
    if (info.opens && !stmt.block) orphanKinds.push(info.opens);
    const takesBlock = info.opens !== undefined || (kind === 'scenario' && key === 'frames');
    if (stmt.block && !takesBlock) {
      ctx.error(stmt.block.open, msg.unexpectedBlock(key));
      continue;
    }
    // A number that overflowed to Infinity (`1e999`) is refused wherever it is, whichever reader the key uses.
    const infinite = firstInfinite(stmt.words);
    if (infinite) {
      ctx.error(infinite.span, msg.notFinite(infinite.text));
      continue;
    }
    const handler = handlers[key];
    if (handler) ctx.attempt(() => handler(new Words(key, stmt.words, info.range), stmt));
  }
  // A block that was never closed already has its one diagnostic (at its `{`); where it really ends is a guess, so
  // a key "missing" from it is likely just beyond the guess and is not reported.
  const unclosed = (block !== undefined && block.close === undefined) || bareBlock;
  for (const k of SCHEMA[kind].keys) {
    if (k.required && !unclosed && !seen.has(k.key) && !suggested.has(k.key)) ctx.error(ownerSpan, missingMessage(k.key));
  }
  return { seen };
}


/** The first number atom (also inside lists) whose value is not finite, iteratively (lists nest). */
function firstInfinite(words: readonly Atom[]): NumberAtom | undefined {
  const stack: Atom[] = [...words].reverse();
  while (stack.length > 0) {
    const a = stack.pop()!;
    if (a.kind === 'number' && !Number.isFinite(a.value)) return a;
    if (a.kind === 'list') for (let i = a.items.length - 1; i >= 0; i--) stack.push(a.items[i]);
  }
  return undefined;
}
