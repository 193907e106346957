/**
 * Walking the statements of one block by key, per the schema: unknown keys (with "did you mean"), duplicates,
 * blocks where none belongs, and — after the walk — missing required keys. A required key is not reported missing
 * when an unknown key of the same block was a close match for it: that typo was already reported once.
 */
import type { Span } from '../../../engine/design';
import * as msg from '../messages';
import { keyInfo, keysOf, SCHEMA, type BlockKind } from '../schema';
import type { Block, Statement } from '../syntax/tree';
import { Fail, type CheckContext } from './context';
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
  for (const stmt of block?.statements ?? []) {
    const first = stmt.words[0];
    if (!first) {
      ctx.error(stmt.block!.open, msg.unexpectedBlock('{'));
      continue;
    }
    const key = first.kind === 'ident' ? first.text : atomText(first);
    const info = first.kind === 'ident' ? keyInfo(kind, key) : undefined;
    if (!info) {
      const suggestion = first.kind === 'ident' ? closest(key, valid) : undefined;
      if (suggestion) suggested.add(suggestion);
      ctx.error(first.span, msg.unknownKey(key, label, suggestion, valid));
      continue;
    }
    const earlier = seen.get(key);
    if (earlier && !info.repeatable) {
      ctx.error(first.span, msg.duplicateKey(key, ctx.line(earlier.start)));
      continue;
    }
    if (!earlier) seen.set(key, first.span);
    const takesBlock = info.opens !== undefined || (kind === 'scenario' && key === 'frames');
    if (stmt.block && !takesBlock) {
      ctx.error(stmt.block.open, msg.unexpectedBlock(key));
      continue;
    }
    const handler = handlers[key];
    if (handler) ctx.attempt(() => handler(new Words(key, stmt.words), stmt));
  }
  for (const k of SCHEMA[kind].keys) {
    if (k.required && !seen.has(k.key) && !suggested.has(k.key)) ctx.error(ownerSpan, missingMessage(k.key));
  }
  return { seen };
}

export { Fail };
