/**
 * Lowering `explore NAME { … }` to an `ExploreSpec`: the target, each `vary KEY …` line's values (read with the same
 * word readers as the key's own block, so `vary clock [250 MB]` gets the wrong-dimension message `clock 250 MB`
 * would), the objectives, and the size of the space. Names of tasks and targets are recorded as references and
 * resolved with every other reference (unknown ones get "did you mean").
 *
 * Lists are re-read from the source text: the parser drops commas inside `[…]`, and a value such as `16 x 16` or
 * `fixed<16,2>` spans several words, so the commas (outside `<…>`) are what separate the values.
 */
import type { Span } from '../../../engine/design';
import {
  HARDWARE_VARY_KEYS,
  MODEL_VARY_KEYS,
  REFUSE_ABOVE,
  SEARCH_ABOVE,
  spaceSize,
  type ExploreSpec,
  type LayerSelector,
  type ModelBase,
  type Objective,
  type ObjectiveMetric,
  type VaryAxis,
  type VaryChoice,
  type VaryKey,
  type VarySetting,
  type WidthSetting,
} from '../../../engine/explore/spec';
import { UNITS } from '../../../engine/units';
import type { Strategy } from '../../../engine/design';
import * as msg from '../messages';
import { MAXIMIZE_METRICS, MINIMIZE_METRICS, SCHEDULES, VARY_KEYS, keyInfo } from '../schema';
import { lex, type Token } from '../syntax/lexer';
import type { Atom, ListAtom, Statement } from '../syntax/tree';
import { Fail, spanOf, type CheckContext } from './context';
import { walkBlock } from './blocks';
import { MAX_DEPTH, readSelector, type LayerSelector as WrittenSelector } from './model';
import { atomText, Words } from './words';

/** Values one range may expand to: a typo such as `step 1 Hz` must not allocate millions of values. */
export const MAX_AXIS_VALUES = 100_000;

const INTEGER_KEYS = new Set<VaryKey>(['experts', 'top_k', 'dim', 'depth', 'heads', 'units']);
const MOE_KEYS = new Set<VaryKey>(['experts', 'top_k', 'hidden', 'layers']);

export interface ExploreEnv {
  /** The model statement (for the layer selector and widths as written), if any. */
  model?: Statement;
  /** Declared hardware target names, in order. */
  targets: string[];
}

export function lowerExplore(ctx: CheckContext, stmt: Statement, name: string, nameSpan: Span, env: ExploreEnv): ExploreSpec | undefined {
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  const axes: VaryAxis[] = [];
  const objectives: Objective[] = [];
  const varied = new Map<string, Span>();
  let target: string | undefined;
  let seed = 1;
  let varyLines = 0;
  let objectiveLines = 0;
  const hasMoe = env.model?.block?.statements.some((s) => s.words[0]?.kind === 'ident' && s.words[0].text === 'moe') ?? false;

  const objective = (sense: 'minimize' | 'maximize', metrics: readonly string[]) => (w: Words) => {
    objectiveLines++;
    const a = w.next();
    if (a?.kind !== 'ident' || !metrics.includes(a.text)) throw new Fail(a?.span ?? w.keySpan, msg.badObjective(sense, a ? atomText(a) : undefined, metrics));
    const metric = a.text as ObjectiveMetric;
    let task: string | undefined;
    const t = w.peek();
    if (t) {
      if (metric !== 'latency' && metric !== 'energy' && metric !== 'fps') throw new Fail(t.span, msg.objectiveNoTask(metric));
      if (t.kind !== 'ident') w.fail(`${sense} ${metric} [TASK]`, t);
      w.next();
      task = t.text;
      ctx.references.push({ kind: 'task', name: t.text, span: t.span });
    }
    w.end();
    const label = task ? `${metric} ${task}` : metric;
    const earlier = objectives.find((o) => o.label === label);
    if (earlier) throw new Fail(spanOf(a, t ?? a), msg.duplicateObjective(label, ctx.line(earlier.span.start)));
    const o: Objective = { sense, metric, label, span: spanOf(w.words[0], w.words[w.words.length - 1]) };
    if (task !== undefined) o.task = task;
    objectives.push(o);
  };

  walkBlock(ctx, 'explore', stmt.block, `explore '${name}'`, nameSpan, {
    target: (w) => {
      const t = w.ident('target TARGET, e.g. target zcu102');
      w.end();
      ctx.references.push({ kind: 'hardware', name: t.text, span: t.span });
      target = t.text;
    },
    seed: (w) => {
      seed = w.integer('seed N (a whole number)', 0).value;
      w.end();
    },
    minimize: objective('minimize', MINIMIZE_METRICS),
    maximize: objective('maximize', MAXIMIZE_METRICS),
    vary: (w) => {
      varyLines++;
      const keyAtom = w.next();
      if (keyAtom?.kind !== 'ident') return w.fail('KEY [V1, V2, …] or KEY A .. B [step S]', keyAtom);
      const key = keyAtom.text;
      if (!VARY_KEYS.includes(key)) throw new Fail(keyAtom.span, msg.cannotVary(key, whyNot(key), VARY_KEYS));
      const vk = key as VaryKey;
      if (MOE_KEYS.has(vk) && !hasMoe) throw new Fail(keyAtom.span, msg.cannotVary(key, 'the model has no moe block', VARY_KEYS));
      const earlier = varied.get(key);
      if (earlier) throw new Fail(keyAtom.span, msg.duplicateVary(key, ctx.line(earlier.start)));
      varied.set(key, keyAtom.span);
      const rest = w.words.slice(2);
      const choices = rest[0]?.kind === 'list' ? listChoices(ctx, keyAtom, rest) : rangeChoices(keyAtom, rest);
      axes.push({ key: vk, choices, span: spanOf(w.words[0], w.words[w.words.length - 1]) });
    },
  });

  const errorsNow = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  if (varyLines === 0) ctx.error(nameSpan, msg.nothingVaried(name));
  if (objectiveLines === 0) ctx.error(nameSpan, msg.noObjective(name));
  if (target === undefined) {
    if (env.targets.length === 1) target = env.targets[0];
    else ctx.error(nameSpan, msg.exploreNeedsTarget(name, env.targets));
  }
  if (errorsNow === errorsBefore && axes.length > 0) {
    const size = spaceSize({ axes });
    const largest = axes.reduce((a, b) => (b.choices.length > a.choices.length ? b : a));
    const largestText = `'${largest.key}' with ${largest.choices.length} values`;
    if (size > REFUSE_ABOVE) ctx.error(nameSpan, msg.spaceTooLarge(name, countText(size), '10^12', largestText));
    else if (size > SEARCH_ABOVE) ctx.diagnostics.push({ span: nameSpan, severity: 'info', ...msg.spaceSearched(name, countText(size), '10^6') });
  }
  if (ctx.diagnostics.filter((d) => d.severity === 'error').length > errorsBefore || target === undefined) return undefined;
  return { name, span: stmt.span, nameSpan, target, axes, objectives, seed, base: modelBase(env.model) };
}

/** `1,200,000` below 10^9, `1.2e12` above: the count as a designer reads it. */
export function countText(n: number): string {
  return n < 1e9 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2).replace('e+', 'e');
}

function whyNot(key: string): string {
  if (keyInfo('hardware', key) || keyInfo('model', key) || keyInfo('moe', key)) return 'it is not a key of the design space';
  return 'it is not a key of the model or of a hardware target';
}

// ---- values ----

/** One value's words, read as the key's own block reads them. */
function readSetting(key: VaryKey, keyAtom: Atom, value: Atom[]): VarySetting {
  const w = new Words(key, [keyAtom, ...value]);
  let setting: VarySetting;
  switch (key) {
    case 'experts':
    case 'top_k':
    case 'dim':
    case 'heads':
    case 'depth': {
      const n = w.integer(`a whole number, e.g. ${key === 'top_k' ? 2 : 16}`);
      if (key === 'depth' && n.value > MAX_DEPTH) throw new Fail(n.span, msg.tooLarge('depth', String(n.value), MAX_DEPTH));
      setting = { key, value: n.value };
      break;
    }
    case 'hidden': {
      const r = w.ratioOrWidth(1, 'a width (384) or a ratio of dim (2x)');
      setting = { key, width: r.ratio !== undefined ? { kind: 'ratio', ratio: r.ratio } : { kind: 'width', width: r.value } };
      break;
    }
    case 'layers':
      setting = { key, selector: toSelector(readSelector(w)) };
      break;
    case 'linear': {
      const d = w.dims(2, 'IN x OUT [units N], e.g. 16 x 16 units 2');
      setting = { key, inputs: d.values[0], outputs: d.values[1] };
      if (!w.done()) {
        w.choice('linear option', ['units'], 'units N, e.g. units 2');
        setting.units = w.integer('units N, a whole number of arrays ≥ 1').value;
      }
      break;
    }
    case 'units':
      setting = { key, units: w.integer('a whole number of arrays ≥ 1, e.g. 2').value };
      break;
    case 'weight_buffer': {
      if (w.isIdent('whole')) {
        w.next();
        setting = { key, buffer: { kind: 'whole' } };
      } else {
        const q = w.quantity('size');
        if (q.value <= 0) throw new Fail(q.span, msg.notPositive('weight_buffer', q.text));
        setting = { key, buffer: { kind: 'bytes', bytes: q.value } };
      }
      break;
    }
    case 'attention': {
      const d = w.dims(2, 'ROWS x DIMS, e.g. 4 x 8');
      setting = { key, rows: d.values[0], dims: d.values[1] };
      break;
    }
    case 'clock': {
      const q = w.quantity('frequency');
      if (q.value <= 0) throw new Fail(q.span, msg.notPositive('clock', q.text));
      setting = { key, hz: q.value };
      break;
    }
    case 'weights':
    case 'acts':
      setting = { key, format: w.format('fixed<W,I> | int8 | float16 | float32') };
      break;
    case 'schedule':
      setting = { key, strategy: w.choice('schedule', SCHEDULES, SCHEDULES.join(' | ')).value as Strategy };
      break;
  }
  w.end();
  return setting;
}

function toSelector(s: WrittenSelector): LayerSelector {
  if (s.kind === 'list') return { kind: 'list', layers: s.items.map((i) => i.value) };
  if (s.kind === 'every') return { kind: 'every', step: s.step, from: s.from };
  return { kind: s.kind };
}

/** `vary KEY [v1, v2, …]`. */
function listChoices(ctx: CheckContext, keyAtom: Atom & { kind: 'ident' }, rest: Atom[]): VaryChoice[] {
  const list = rest[0] as ListAtom;
  if (rest.length > 1) throw new Fail(spanOf(rest[1], rest[rest.length - 1]), msg.extraWords(`vary ${keyAtom.text}`, rest.slice(1).map(atomText).join(' ')));
  const groups = listGroups(ctx.text, list);
  if (groups.length === 0) throw new Fail(list.span, msg.emptyVary(keyAtom.text, 'the list is empty'));
  const choices: VaryChoice[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    const setting = readSetting(keyAtom.text as VaryKey, keyAtom, g);
    const text = ctx.text.slice(g[0].span.start, g[g.length - 1].span.end).replace(/\s+/g, ' ');
    const id = JSON.stringify(setting);
    if (seen.has(id)) throw new Fail(spanOf(g[0], g[g.length - 1]), msg.duplicateVaryValue(keyAtom.text, text));
    seen.add(id);
    choices.push({ text, setting });
  }
  return choices;
}

/**
 * The values of a list as groups of words: re-lexes the list's source and splits at commas and line ends outside
 * `<…>` (so `fixed<16,2>` stays one value) and outside nested `[…]` (so `[1, 3]` stays one layer list).
 */
export function listGroups(text: string, list: ListAtom): Atom[][] {
  const closed = text[list.span.end - 1] === ']';
  const from = list.span.start + 1;
  const to = closed ? list.span.end - 1 : list.span.end;
  const tokens = lex(text.slice(from, to)).tokens.map((t) => shift(t, from));
  const groups: Atom[][] = [];
  let current: Atom[] = [];
  let angle = 0;
  let i = 0;
  const flush = () => {
    if (current.length > 0) groups.push(current);
    current = [];
  };
  while (i < tokens.length) {
    const t = tokens[i];
    if ((t.kind === 'newline' || (t.kind === 'punct' && t.text === ',')) && angle === 0) {
      flush();
      i++;
      continue;
    }
    if (t.kind === 'punct' && t.text === '[') {
      const [nested, next] = nestedList(tokens, i);
      current.push(nested);
      i = next;
      continue;
    }
    if (t.kind === 'punct' && t.text === '<' && current[current.length - 1]?.kind === 'ident') angle++;
    if (t.kind === 'punct' && t.text === '>' && angle > 0) angle--;
    const a = toAtom(t);
    if (a) current.push(a);
    i++;
  }
  flush();
  return groups;
}

function shift(t: Token, by: number): Token {
  const moved: Token = { ...t, span: { start: t.span.start + by, end: t.span.end + by } };
  if (t.suffix) moved.suffix = { text: t.suffix.text, span: { start: t.suffix.span.start + by, end: t.suffix.span.end + by } };
  return moved;
}

function toAtom(t: Token): Atom | undefined {
  switch (t.kind) {
    case 'ident':
      return { kind: 'ident', text: t.text, span: t.span };
    case 'number':
      return t.suffix ? { kind: 'number', text: t.text, value: t.value!, span: t.span, suffix: t.suffix } : { kind: 'number', text: t.text, value: t.value!, span: t.span };
    case 'string':
      return { kind: 'string', value: t.text, span: t.span };
    case 'punct':
      return t.text === ']' || t.text === '[' || t.text === '{' || t.text === '}' || t.text === ';' ? undefined : { kind: 'punct', text: t.text as '<', span: t.span };
    case 'newline':
      return undefined;
  }
}

/** A `[…]` inside a list value (`vary layers [[1, 3], odd]`): its items without commas, as the parser reads lists. */
function nestedList(tokens: Token[], open: number): [ListAtom, number] {
  const items: Atom[] = [];
  let i = open + 1;
  while (i < tokens.length && !(tokens[i].kind === 'punct' && tokens[i].text === ']')) {
    const a = tokens[i].kind === 'punct' && tokens[i].text === ',' ? undefined : toAtom(tokens[i]);
    if (a) items.push(a);
    i++;
  }
  const end = i < tokens.length ? tokens[i].span.end : (items[items.length - 1]?.span.end ?? tokens[open].span.end);
  return [{ kind: 'list', items, span: { start: tokens[open].span.start, end } }, i + 1];
}

/** `vary KEY A .. B [step S | step Rx]`: numeric keys only. */
function rangeChoices(keyAtom: Atom & { kind: 'ident' }, rest: Atom[]): VaryChoice[] {
  const key = keyAtom.text as VaryKey;
  const form = `[V1, V2, …] or A .. B [step S]`;
  const dots = rest.findIndex((a) => a.kind === 'punct' && a.text === '..');
  if (dots < 0) {
    if (rest.length === 0) throw new Fail(keyAtom.span, msg.wrongForm(`vary ${key}`, form, undefined));
    throw new Fail(spanOf(rest[0], rest[rest.length - 1]), msg.wrongForm(`vary ${key}`, form, rest.map(atomText).join(' ')));
  }
  const numeric = INTEGER_KEYS.has(key) || key === 'hidden' || key === 'clock';
  if (!numeric)
    throw new Fail(rest[dots].span, msg.badRange(key, `only a number or a clock takes a range; list the values instead, e.g. 'vary ${key} [${keyInfo('hardware', key)?.example.split(' ').slice(1).join(' ') ?? 'A, B'}]'`));
  const stepAt = rest.findIndex((a, i) => i > dots && a.kind === 'ident' && a.text === 'step');
  const lowWords = rest.slice(0, dots);
  const highWords = rest.slice(dots + 1, stepAt < 0 ? undefined : stepAt);
  const stepWords = stepAt < 0 ? [] : rest.slice(stepAt + 1);
  if (lowWords.length === 0) throw new Fail(rest[dots].span, msg.badRange(key, 'the low end is missing before ..'));
  if (highWords.length === 0) throw new Fail(rest[dots].span, msg.badRange(key, 'the high end is missing after ..'));
  if (stepAt >= 0 && stepWords.length === 0) throw new Fail(rest[stepAt].span, msg.badRange(key, "'step' needs a value"));

  if (key === 'clock') {
    const low = new Words('clock', [keyAtom, ...lowWords]);
    const a = low.quantity('frequency');
    low.end();
    const high = new Words('clock', [keyAtom, ...highWords]);
    const b = high.quantity('frequency');
    high.end();
    if (a.value <= 0) throw new Fail(a.span, msg.notPositive('clock', a.text));
    const unit = a.text.split(' ')[1];
    const factor = UNITS.get(unit)!.factor;
    const values = stepWords.length === 0 ? failNoStep(keyAtom, rest) : stepped(key, a.value, b.value, readStep(keyAtom, stepWords, 'frequency'), spanOf(rest[0], rest[rest.length - 1]));
    return values.map((hz) => ({ text: `${tidy(hz / factor)} ${unit}`, setting: { key: 'clock', hz } }));
  }
  const low = new Words(key, [keyAtom, ...lowWords]);
  const a = low.integer('a whole number');
  low.end();
  const high = new Words(key, [keyAtom, ...highWords]);
  const b = high.integer('a whole number');
  high.end();
  const step = stepWords.length === 0 ? ({ kind: 'add', by: 1 } as const) : readStep(keyAtom, stepWords, 'integer');
  const values = stepped(key, a.value, b.value, step, spanOf(rest[0], rest[rest.length - 1]));
  return values.map((v) => {
    const n = Math.round(v);
    const setting: VarySetting =
      key === 'hidden' ? { key, width: { kind: 'width', width: n } } : key === 'units' ? { key, units: n } : { key: key as 'experts', value: n };
    return { text: String(n), setting };
  });
}

function failNoStep(keyAtom: Atom, rest: Atom[]): never {
  throw new Fail(spanOf(rest[0], rest[rest.length - 1]), msg.badRange((keyAtom as { text: string }).text, "a clock range needs a step, e.g. 'step 25 MHz' or 'step 1.5x'"));
}

type Step = { kind: 'add'; by: number } | { kind: 'times'; by: number };

function readStep(keyAtom: Atom & { kind: 'ident' }, words: Atom[], what: 'frequency' | 'integer'): Step {
  const first = words[0];
  const ratio = first.kind === 'number' && ((first.suffix?.text === 'x' && words.length === 1) || (!first.suffix && words.length === 2 && words[1].kind === 'ident' && words[1].text === 'x'));
  if (ratio) {
    if (first.value <= 1) throw new Fail(spanOf(first, words[words.length - 1]), msg.badRange(keyAtom.text, `a step ratio must be above 1x, got ${atomText(first)}`));
    return { kind: 'times', by: first.value };
  }
  const w = new Words(`${keyAtom.text} step`, [keyAtom, ...words]);
  if (what === 'frequency') {
    const q = w.quantity('frequency');
    w.end();
    if (q.value <= 0) throw new Fail(q.span, msg.notPositive('step', q.text));
    return { kind: 'add', by: q.value };
  }
  const n = w.integer('a whole number or a ratio such as 2x');
  w.end();
  return { kind: 'add', by: n.value };
}

function stepped(key: string, a: number, b: number, step: Step, span: Span): number[] {
  if (a > b) throw new Fail(span, msg.emptyVary(key, `the low end ${tidy(a)} is above the high end ${tidy(b)}`));
  const count = step.kind === 'add' ? Math.floor((b - a) / step.by + 1e-9) + 1 : Math.floor(Math.log(b / a) / Math.log(step.by) + 1e-9) + 1;
  if (count > MAX_AXIS_VALUES) throw new Fail(span, msg.rangeTooLong(key, count, MAX_AXIS_VALUES));
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(step.kind === 'add' ? a + i * step.by : a * Math.pow(step.by, i));
  // Geometric steps of whole keys round (4 .. 64 step 2x: 4, 8, 16, 32, 64); rounding must not repeat a value.
  return INTEGER_KEYS.has(key as VaryKey) || key === 'hidden' ? [...new Set(out.map((v) => Math.round(v)))] : out;
}

/** A number as a designer writes it: no float noise (250.00000000000003 → 250). */
function tidy(x: number): string {
  return String(Number(x.toPrecision(12)));
}

// ---- the model as written ----

function modelBase(model: Statement | undefined): ModelBase {
  const base: ModelBase = { mlp: { kind: 'ratio', ratio: 4 } };
  const find = (statements: Statement[] | undefined, key: string) => statements?.find((s) => s.words[0]?.kind === 'ident' && s.words[0].text === key);
  const width = (s: Statement | undefined): WidthSetting | undefined => {
    if (!s) return undefined;
    try {
      const r = new Words(atomText(s.words[0]), s.words).ratioOrWidth(1, '');
      return r.ratio !== undefined ? { kind: 'ratio', ratio: r.ratio } : { kind: 'width', width: r.value };
    } catch (e) {
      if (e instanceof Fail) return undefined; // reported by the model's own lowering
      throw e;
    }
  };
  const mlp = width(find(model?.block?.statements, 'mlp'));
  if (mlp) base.mlp = mlp;
  const moe = find(model?.block?.statements, 'moe');
  const hidden = width(find(moe?.block?.statements, 'hidden'));
  if (hidden) base.hidden = hidden;
  const layers = find(moe?.block?.statements, 'layers');
  if (layers) {
    try {
      base.layers = toSelector(readSelector(new Words('layers', layers.words)));
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
    }
  }
  return base;
}

export { MODEL_VARY_KEYS, HARDWARE_VARY_KEYS };
