/**
 * Lowering `budget [TARGET] { … }` lines to `Budget`s. Budgets are only lowered here; evaluating them against the
 * engine's numbers happens elsewhere. Task names in `latency TASK < …` are recorded as references and resolved later.
 */
import type { Budget, BudgetLimit, BudgetMetric, Comparison, Span } from '../../../engine/design';
import * as msg from '../messages';
import { COMPARISONS } from '../schema';
import type { Statement } from '../syntax/tree';
import { Fail, type CheckContext } from './context';
import { walkBlock } from './blocks';
import { atomText, type Words } from './words';

export function lowerBudget(ctx: CheckContext, stmt: Statement, target: string | undefined, ownerSpan: Span): Budget[] {
  const budgets: Budget[] = [];
  const line = (metric: BudgetMetric, allowsTask: boolean, readLimit: (w: Words) => BudgetLimit) => (w: Words, s: Statement) => {
    let task: string | undefined;
    const first = w.peek();
    if (allowsTask && first?.kind === 'ident') {
      w.next();
      task = first.text;
      ctx.references.push({ kind: 'task', name: first.text, span: first.span });
    }
    const opAtom = w.next();
    if (opAtom?.kind !== 'punct' || !(COMPARISONS as readonly string[]).includes(opAtom.text))
      throw new Fail(opAtom?.span ?? w.keySpan, msg.missingComparison(w.key, opAtom ? atomText(opAtom) : undefined));
    const limit = readLimit(w);
    w.end();
    const b: Budget = { metric, op: opAtom.text as Comparison, limit, text: ctx.text.slice(s.span.start, s.span.end), span: s.span };
    if (target !== undefined) b.target = target;
    if (task !== undefined) b.task = task;
    budgets.push(b);
  };
  const percent = (w: Words): BudgetLimit => {
    const q = w.quantity('share');
    if (q.value < 0 || q.value > 100) throw new Fail(q.span, msg.percentRange(q.value));
    return { kind: 'percent', value: q.value };
  };
  const nonNegative = (w: Words, dimension: 'time' | 'energy' | 'size'): number => {
    const q = w.quantity(dimension);
    if (q.value <= 0) throw new Fail(q.span, msg.notPositive(w.key, q.text));
    return q.value;
  };
  walkBlock(ctx, 'budget', stmt.block, target === undefined ? "'budget'" : `budget '${target}'`, ownerSpan, {
    latency: line('latency', true, (w) => ({ kind: 'seconds', value: nonNegative(w, 'time') })),
    energy: line('energy', true, (w) => ({ kind: 'joules', value: nonNegative(w, 'energy') })),
    traffic: line('traffic', false, (w) => ({ kind: 'bytes', value: nonNegative(w, 'size') })),
    fps: line('fps', false, (w) => {
      const n = w.number('a frame rate, e.g. fps >= 25');
      if (n.value <= 0) throw new Fail(n.span, msg.fpsNotPositive(n.value));
      if (w.isIdent('fps')) w.next();
      return { kind: 'fps', value: n.value };
    }),
    onchip: line('onchip', false, (w) => {
      // A share (`75 %`) or a size (`2 MB`): look at the unit to decide.
      const unit = w.peek(1);
      const glued = w.peek()?.kind === 'number' ? (w.peek() as { suffix?: { text: string } }).suffix : undefined;
      const isShare = glued === undefined && unit?.kind === 'punct' && unit.text === '%';
      if (isShare) return percent(w);
      const q = w.quantity('size');
      if (q.value <= 0) throw new Fail(q.span, msg.notPositive('onchip', q.text));
      return { kind: 'bytes', value: q.value };
    }),
    dsp: line('dsp', false, percent),
    bram: line('bram', false, percent),
    uram: line('uram', false, percent),
    lut: line('lut', false, percent),
  });
  return budgets;
}
