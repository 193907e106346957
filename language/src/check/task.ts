/** Lowering `task NAME { head …; weight … }` to `TaskSpec`. */
import type { HeadSpec, Span, TaskSpec } from '../../../engine/design';
import * as msg from '../messages';
import { HEAD_KINDS, HEAD_OUTPUTS } from '../schema';
import type { Statement } from '../syntax/tree';
import { Fail, type CheckContext } from './context';
import { walkBlock } from './blocks';

const HEAD_FORM = 'linear|pup|cls classes|channels N [width C]';

export function lowerTask(ctx: CheckContext, stmt: Statement, name: string, nameSpan: Span): { task?: TaskSpec; headSpan?: Span } {
  let head: HeadSpec | undefined;
  let headSpan: Span | undefined;
  let weight = 1;
  const errorsBefore = ctx.diagnostics.length;
  walkBlock(ctx, 'task', stmt.block, `task '${name}'`, nameSpan, {
    head: (w, s) => {
      const kind = w.choice('head', HEAD_KINDS, HEAD_FORM);
      const output = w.choice('head output', HEAD_OUTPUTS, HEAD_FORM);
      const count = w.integer(`${kind.value} ${output.value} N, e.g. ${kind.value} ${output.value} 7`);
      let width: number | undefined;
      if (w.isIdent('width')) {
        if (kind.value !== 'pup') throw new Fail(w.peek()!.span, msg.pupWidthOnlyForPup());
        w.next();
        width = w.integer('width C (convolution channels), e.g. width 256').value;
      }
      w.end();
      if (kind.value === 'cls' && output.value === 'channels') throw new Fail(output.span, msg.clsHeadChannels());
      headSpan = s.span;
      if (kind.value === 'linear') head = { kind: 'linear', output: output.value, count: count.value };
      else if (kind.value === 'pup') head = { kind: 'pup', output: output.value, count: count.value, width: width ?? 256 };
      else head = { kind: 'cls', output: 'classes', count: count.value };
    },
    weight: (w) => {
      const n = w.number('a number ≥ 0, e.g. 1');
      if (n.value < 0) throw new Fail(n.span, msg.taskWeight(n.text));
      weight = n.value;
      w.end();
    },
  });
  if (!head || ctx.diagnostics.length > errorsBefore) return { headSpan };
  return { task: { name, span: stmt.span, nameSpan, head, weight }, headSpan };
}
