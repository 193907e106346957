/**
 * Lowering `scenario NAME { frames …; fps … }`. `frames` is a task sequence where `repeat N { … }` repeats its block
 * (nesting allowed); the expansion is capped so a typo such as `repeat 1000000000` cannot exhaust memory.
 */
import type { Scenario, Span } from '../../../engine/design';
import * as msg from '../messages';
import type { Atom, Block, Statement } from '../syntax/tree';
import { Fail, type CheckContext } from './context';
import { walkBlock } from './blocks';
import { atomText } from './words';

export const MAX_FRAMES = 1_000_000;

export function lowerScenario(ctx: CheckContext, stmt: Statement, name: string, nameSpan: Span): Scenario | undefined {
  let frames: string[] | undefined;
  let fps: number | undefined;
  const errorsBefore = ctx.diagnostics.length;
  walkBlock(ctx, 'scenario', stmt.block, `scenario '${name}'`, nameSpan, {
    frames: (w, s) => {
      const out: string[] = [];
      expand(ctx, s.words.slice(1), s.block, out);
      if (out.length === 0) throw new Fail(w.keySpan, msg.emptyFrames());
      frames = out;
    },
    fps: (w) => {
      const n = w.number('a frame rate, e.g. fps 30');
      if (n.value <= 0) throw new Fail(n.span, msg.fpsNotPositive(n.value));
      fps = n.value;
      w.end();
    },
  });
  if (frames === undefined || fps === undefined || ctx.diagnostics.length > errorsBefore) return undefined;
  return { name, span: stmt.span, nameSpan, frames, fps };
}

/** Appends the frames of `words` (task names, then optionally `repeat N`) and of the statement's block to `out`. */
function expand(ctx: CheckContext, words: Atom[], block: Block | undefined, out: string[]): void {
  let times = 1;
  for (let i = 0; i < words.length; i++) {
    const a = words[i];
    if (a.kind === 'ident' && a.text === 'repeat') {
      const n = words[i + 1];
      if (n?.kind !== 'number' || n.suffix || !Number.isInteger(n.value) || n.value < 1) throw new Fail(n?.span ?? a.span, msg.repeatCount(n ? atomText(n) : undefined));
      if (i + 2 < words.length) throw new Fail(words[i + 2].span, msg.repeatNeedsBlock());
      if (!block) throw new Fail({ start: a.span.start, end: n.span.end }, msg.repeatNeedsBlock());
      times = n.value;
      break;
    }
    if (a.kind !== 'ident') throw new Fail(a.span, msg.wrongForm('frames', 'task names and repeat N { … }', atomText(a)));
    ctx.references.push({ kind: 'task', name: a.text, span: a.span });
    push(out, a.text, a.span);
  }
  if (!block) return;
  const body: string[] = [];
  for (const s of block.statements) expand(ctx, s.words, s.block, body);
  // Checked before looping: `repeat 1000000000 { }` must neither allocate nor spin.
  if (out.length + times * body.length > MAX_FRAMES) throw new Fail(block.open, msg.tooManyFrames(MAX_FRAMES));
  for (let k = 0; k < times && body.length > 0; k++) for (const f of body) out.push(f);
}

function push(out: string[], name: string, span: Span): void {
  if (out.length >= MAX_FRAMES) throw new Fail(span, msg.tooManyFrames(MAX_FRAMES));
  out.push(name);
}
