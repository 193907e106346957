/**
 * Lowering `model NAME { … }` (and its `moe { … }`) to `ModelSpec`, with the model's consistency checks:
 * dim divisible by heads, input divisible by patch, 1 ≤ top_k ≤ experts, MoE layers within depth.
 */
import { presetNormalization, type InputNormalization } from '../../../engine/design';
import type { GateSpec, ModelSpec, MoeSpec, RoutingSpec, Span } from '../../../engine/design';
import * as msg from '../messages';
import { GATE_KINDS, LAYER_SELECTORS, NORMALIZE_KINDS, ON_OFF, ROUTING_KINDS } from '../schema';
import type { Atom, Statement } from '../syntax/tree';
import { Fail, type CheckContext } from './context';
import { walkBlock } from './blocks';
import { atomText, type Words } from './words';
import type { BlockSymbol } from '../types';

export const MAX_DEPTH = 4096;

/** A layer selector as written; resolved once depth is known (the `moe` block may come before `depth`). */
export type LayerSelector =
  | { kind: 'odd' | 'even' | 'all'; span: Span }
  | { kind: 'list'; items: { value: number; span: Span }[]; span: Span }
  | { kind: 'every'; step: number; from: number; span: Span };

interface MoeDraft {
  span: Span;
  layers?: LayerSelector;
  experts?: number;
  topK?: { value: number; span: Span };
  hidden?: { value: number; ratio?: number };
  gate: GateSpec;
  routing: RoutingSpec;
}

export interface ModelResult {
  model?: ModelSpec;
  symbol: BlockSymbol;
}

export function lowerModel(ctx: CheckContext, stmt: Statement, name: string, nameSpan: Span): ModelResult {
  const symbol: BlockSymbol = { kind: 'model', name, span: stmt.span, nameSpan, children: [] };
  let input: { values: number[]; spans: Span[]; span: Span } | undefined;
  let patch: { values: number[]; span: Span } | undefined;
  let dim: number | undefined;
  let heads: { value: number; span: Span } | undefined;
  let depth: number | undefined;
  let mlp: { value: number; ratio?: number } | undefined;
  let cls = true;
  let eps = 1e-6;
  let normalize: NormalizeDraft | undefined;
  let moe: MoeDraft | undefined;

  walkBlock(ctx, 'model', stmt.block, `model '${name}'`, nameSpan, {
    input: (w) => {
      const d = w.dims(3, 'C x H x W, e.g. 3 x 128 x 256');
      w.end();
      input = { ...d, span: { start: d.spans[0].start, end: d.spans[2].end } };
    },
    patch: (w) => {
      const first = w.peek();
      const square = first?.kind === 'number' && !first.suffix && w.peek(1) === undefined;
      const d = square ? w.dims(1, 'P or PH x PW') : w.dims(2, 'P or PH x PW');
      w.end();
      patch = { values: square ? [d.values[0], d.values[0]] : d.values, span: { start: d.spans[0].start, end: d.spans[d.spans.length - 1].end } };
    },
    dim: (w) => {
      dim = w.integer('a whole width, e.g. 192').value;
      w.end();
    },
    heads: (w) => {
      heads = w.integer('a whole number of heads, e.g. 3');
      w.end();
    },
    depth: (w) => {
      const d = w.integer('a whole number of blocks, e.g. 12');
      // Layer selectors enumerate 0..depth-1: a cap keeps a typo such as `depth 1e9` from exhausting memory.
      if (d.value > MAX_DEPTH) throw new Fail(d.span, msg.tooLarge('depth', String(d.value), MAX_DEPTH));
      depth = d.value;
      w.end();
    },
    // Ratios are resolved after the walk, once dim is known wherever it is written.
    mlp: (w) => {
      mlp = w.ratioOrWidth(1, 'a ratio of dim (4x) or a width (768)');
      w.end();
    },
    cls: (w) => {
      cls = w.choice('cls setting', ON_OFF, 'on | off').value === 'on';
      w.end();
    },
    normalize: (w) => {
      normalize = readNormalize(w);
      w.end();
    },
    eps: (w) => {
      const n = w.number('a small positive number, e.g. 1e-6');
      if (n.value <= 0) throw new Fail(n.span, msg.notPositive('eps', n.text));
      eps = n.value;
      w.end();
    },
    // A second `moe` is a duplicate key, reported by walkBlock before this handler runs.
    moe: (w, s) => {
      w.end();
      if (!s.block) throw new Fail(w.keySpan, msg.missingBlock('moe', 'moe { layers …; experts …; top_k …; hidden … }'));
      moe = lowerMoe(ctx, s);
      symbol.children.push({ kind: 'moe', name: 'moe', span: s.span, nameSpan: w.keySpan, children: [] });
    },
  });

  const errorsBefore = ctx.diagnostics.length;
  if (dim !== undefined && heads !== undefined && dim % heads.value !== 0) ctx.error(heads.span, msg.dimNotDivisible(dim, heads.value));
  if (input && patch) {
    const [, h, wd] = input.values;
    if (h % patch.values[0] !== 0) ctx.error(input.spans[1], msg.inputNotDivisible('height', h, patch.values[0]));
    if (wd % patch.values[1] !== 0) ctx.error(input.spans[2], msg.inputNotDivisible('width', wd, patch.values[1]));
  }
  let normalization: InputNormalization | undefined;
  if (input) normalization = finishNormalize(ctx, normalize, input.values[0]);
  let moeSpec: MoeSpec | undefined;
  if (moe) moeSpec = finishMoe(ctx, moe, depth, dim);
  if (input === undefined || patch === undefined || dim === undefined || heads === undefined || depth === undefined) return { symbol };
  if (ctx.diagnostics.length > errorsBefore) return { symbol };
  const mlpHidden = mlp === undefined ? 4 * dim : mlp.ratio !== undefined ? Math.round(mlp.ratio * dim) : mlp.value;
  const model: ModelSpec = {
    name,
    span: stmt.span,
    input: { channels: input.values[0], height: input.values[1], width: input.values[2], normalize: normalization },
    patch: { height: patch.values[0], width: patch.values[1] },
    dim,
    heads: heads.value,
    depth,
    mlpHidden,
    cls,
    eps,
  };
  if (moeSpec) model.moe = moeSpec;
  return { model, symbol };
}

function lowerMoe(ctx: CheckContext, stmt: Statement): MoeDraft {
  const draft: MoeDraft = { span: stmt.span, gate: { kind: 'per_task' }, routing: { kind: 'balanced' } };
  walkBlock(ctx, 'moe', stmt.block, "'moe'", stmt.words[0].span, {
    layers: (w) => {
      draft.layers = readSelector(w);
      w.end();
    },
    experts: (w) => {
      draft.experts = w.integer('a whole number of experts, e.g. 16').value;
      w.end();
    },
    top_k: (w) => {
      draft.topK = w.integer('a whole number, e.g. 2');
      w.end();
    },
    hidden: (w) => {
      draft.hidden = w.ratioOrWidth(1, 'a width (384) or a ratio of dim (2x)');
      w.end();
    },
    gate: (w) => {
      const kind = w.choice('gate', GATE_KINDS, 'per_task | shared embed D').value;
      if (kind === 'per_task') draft.gate = { kind };
      else {
        if (!w.isIdent('embed')) w.fail('shared embed D, e.g. shared embed 64', w.peek());
        w.next();
        draft.gate = { kind: 'shared', embedDim: w.integer('shared embed D, e.g. shared embed 64').value };
      }
      w.end();
    },
    routing: (w) => {
      const kind = w.choice('routing', ROUTING_KINDS, 'balanced | worst | trace "FILE" | skewed [ALPHA] [seed N]').value;
      if (kind === 'trace') {
        const f = w.next();
        if (f?.kind !== 'string' || f.value === '') return w.fail('trace "FILE"', f);
        draft.routing = { kind: 'trace', path: f.value };
      } else if (kind === 'skewed') {
        let alpha = 1.2;
        let seed = 1;
        if (w.peek()?.kind === 'number') {
          const a = w.number('skewed [ALPHA] [seed N]');
          if (a.value <= 0) throw new Fail(a.span, msg.notPositive('skewed alpha', a.text));
          alpha = a.value;
        }
        if (w.isIdent('seed')) {
          w.next();
          seed = w.integer('seed N (a whole number)', 0).value;
        }
        draft.routing = { kind: 'skewed', alpha, seed };
      } else draft.routing = { kind };
      w.end();
    },
  });
  return draft;
}

export function readSelector(w: Words): LayerSelector {
  const form = 'odd | even | all | [1, 3, 5] | every N from S';
  const a = w.peek();
  if (a?.kind === 'list') {
    w.next();
    const items = a.items.map((item: Atom) => {
      if (item.kind !== 'number' || item.suffix || !Number.isInteger(item.value) || item.value < 0)
        throw new Fail(item.span, msg.wrongForm('layers', 'a list of 0-based layer indices such as [1, 3, 5]', atomText(item)));
      return { value: item.value, span: item.span };
    });
    return { kind: 'list', items, span: a.span };
  }
  const kind = w.choice('layer selector', LAYER_SELECTORS, form);
  if (kind.value !== 'every') return { kind: kind.value, span: kind.span };
  const step = w.integer('every N from S, e.g. every 2 from 1');
  let from = 0;
  let end = step.span;
  if (w.isIdent('from')) {
    w.next();
    const f = w.integer('every N from S, e.g. every 2 from 1', 0);
    from = f.value;
    end = f.span;
  }
  return { kind: 'every', step: step.value, from, span: { start: kind.span.start, end: end.end } };
}

function resolveSelector(ctx: CheckContext, sel: LayerSelector, depth: number): number[] | undefined {
  const all = Array.from({ length: depth }, (_, i) => i);
  switch (sel.kind) {
    case 'odd':
      return all.filter((i) => i % 2 === 1);
    case 'even':
      return all.filter((i) => i % 2 === 0);
    case 'all':
      return all;
    case 'every':
      if (sel.from >= depth) {
        ctx.error(sel.span, msg.layerOutOfRange(sel.from, depth));
        return undefined;
      }
      return all.filter((i) => i >= sel.from && (i - sel.from) % sel.step === 0);
    case 'list': {
      const seen = new Set<number>();
      for (const item of sel.items) {
        if (item.value >= depth) {
          ctx.error(item.span, msg.layerOutOfRange(item.value, depth));
          return undefined;
        }
        if (seen.has(item.value)) {
          ctx.error(item.span, msg.duplicateLayer(item.value));
          return undefined;
        }
        seen.add(item.value);
      }
      return [...seen].sort((x, y) => x - y);
    }
  }
}

function finishMoe(ctx: CheckContext, d: MoeDraft, depth: number | undefined, dim: number | undefined): MoeSpec | undefined {
  let layers: number[] | undefined;
  if (d.layers && depth !== undefined) {
    layers = resolveSelector(ctx, d.layers, depth);
    if (layers && layers.length === 0) {
      ctx.error(d.layers.span, msg.noMoeLayers(depth));
      layers = undefined;
    }
  }
  if (d.topK && d.experts !== undefined && d.topK.value > d.experts) ctx.error(d.topK.span, msg.topKRange(d.topK.value, d.experts));
  if (!layers || d.experts === undefined || !d.topK || !d.hidden || dim === undefined || d.topK.value > d.experts) return undefined;
  const hidden = d.hidden.ratio !== undefined ? Math.round(d.hidden.ratio * dim) : d.hidden.value;
  return { span: d.span, layers, experts: d.experts, topK: d.topK.value, hidden, gate: d.gate, routing: d.routing };
}

/** `normalize` as written; channel counts are checked once `input` is known (it may come later in the block). */
type NormalizeDraft =
  | { kind: 'pixel_256' | 'unit' | 'imagenet'; span: Span }
  | { kind: 'custom'; mean: number[]; meanSpan: Span; std: number[]; stdSpan: Span };

function readNormalize(w: Words): NormalizeDraft {
  const form = 'pixel_256 | unit | imagenet | mean [M, …] std [S, …]';
  const kind = w.choice('normalize', NORMALIZE_KINDS, form);
  if (kind.value !== 'mean') return { kind: kind.value, span: kind.span };
  const mean = readValues(w, 'mean', form);
  if (!w.isIdent('std')) w.fail('mean [M, …] std [S, …]', w.peek());
  w.next();
  const std = readValues(w, 'std', form);
  std.items.forEach((item) => {
    if (item.value <= 0) throw new Fail(item.span, msg.notPositive('normalize std', item.text));
  });
  return { kind: 'custom', mean: mean.items.map((i) => i.value), meanSpan: mean.span, std: std.items.map((i) => i.value), stdSpan: std.span };
}

function readValues(w: Words, what: string, form: string): { items: { value: number; span: Span; text: string }[]; span: Span } {
  const a = w.peek();
  if (a?.kind !== 'list') return w.fail(`${what} as a list such as [0.5, 0.5, 0.5] (${form})`, a);
  w.next();
  const items = a.items.map((item: Atom) => {
    if (item.kind !== 'number' || item.suffix) throw new Fail(item.span, msg.wrongForm(`normalize ${what}`, 'plain numbers such as [0.5, 0.5, 0.5]', atomText(item)));
    return { value: item.value, span: item.span, text: atomText(item) };
  });
  if (items.length === 0) throw new Fail(a.span, msg.wrongForm(`normalize ${what}`, 'one value per input channel', '[]'));
  return { items, span: a.span };
}

/** The lowered normalisation (pixel_256 when absent), or undefined after reporting a channel-count mismatch. */
function finishNormalize(ctx: CheckContext, d: NormalizeDraft | undefined, channels: number): InputNormalization | undefined {
  if (d === undefined) return presetNormalization('pixel_256', channels);
  if (d.kind !== 'custom') {
    if (d.kind === 'imagenet' && channels !== 3) {
      ctx.error(d.span, msg.normalizeChannels('imagenet', 3, channels));
      return undefined;
    }
    return presetNormalization(d.kind, channels);
  }
  let ok = true;
  if (d.mean.length !== channels) {
    ctx.error(d.meanSpan, msg.normalizeChannels('mean', d.mean.length, channels));
    ok = false;
  }
  if (d.std.length !== channels) {
    ctx.error(d.stdSpan, msg.normalizeChannels('std', d.std.length, channels));
    ok = false;
  }
  return ok ? { preset: 'custom', divideBy: 255, mean: d.mean, std: d.std } : undefined;
}
