/**
 * Reading the value words of one statement (`clock 300 MHz`, `input 3 x 128 x 256`, `weights fixed<16,2>` …).
 * Each reader consumes words left to right and throws `Fail` with the precise span of the offending word, so the
 * statement reports one diagnostic.
 */
import type { NumberFormat, Span } from '../../../engine/design';
import { DIMENSION_NOUN, UNITS, unitsOf, type Dimension } from '../../../engine/units';
import * as msg from '../messages';
import type { Atom, NumberAtom } from '../syntax/tree';
import { Fail, spanOf } from './context';
import { closest } from './suggest';
import type { ValueRange } from '../schema';

export interface Quantity {
  /** In SI base units. */
  value: number;
  /** As written, e.g. `300 MHz`. */
  text: string;
  span: Span;
}

const EXAMPLE_UNIT: Record<Dimension, string> = {
  frequency: '300 MHz',
  bandwidth: '19.2 GB/s',
  size: '4 MB',
  time: '40 ms',
  energy: '150 mJ',
  power: '2.5 W',
  ratio: '4x',
  share: '75 %',
  energy_per_byte: '120 pJ/B',
};

export function atomText(a: Atom): string {
  switch (a.kind) {
    case 'ident':
    case 'punct':
      return a.text;
    case 'number':
      return a.text + (a.suffix?.text ?? '');
    case 'string':
      return `"${a.value}"`;
    case 'list':
      return `[${a.items.map(atomText).join(', ')}]`;
  }
}

export class Words {
  private i = 1;

  constructor(
    readonly key: string,
    readonly words: Atom[],
    /** The key's sane range from the schema; every number read is checked against it. */
    private readonly range?: ValueRange,
  ) {}

  /**
   * `value` (as written, or in SI for a quantity) within the key's range, else a located error at `span`. Zero and
   * negative values are left to the key's own, more specific message (`must be greater than 0`) unless `full`: the
   * readers that already checked the sign (integer) ask for the whole range.
   */
  private inRange(value: number, span: Span, text: string, full = false): void {
    const r = this.range;
    if (!r) return;
    if (value > r.max || ((full || value > 0) && value < r.min)) throw new Fail(span, msg.outOfRange(this.key, text, r.text));
  }

  get keySpan(): Span {
    return this.words[0].span;
  }

  peek(offset = 0): Atom | undefined {
    return this.words[this.i + offset];
  }

  next(): Atom | undefined {
    return this.words[this.i++];
  }

  done(): boolean {
    return this.i >= this.words.length;
  }

  /** The span to blame when something is missing: the last word read (the key at least). */
  private endSpan(): Span {
    const last = this.words[Math.min(this.i, this.words.length) - 1] ?? this.words[0];
    return { start: last.span.start, end: last.span.end };
  }

  fail(form: string, at?: Atom): never {
    if (at) throw new Fail(at.span, msg.wrongForm(this.key, form, atomText(at)));
    throw new Fail(this.endSpan(), msg.wrongForm(this.key, form, undefined));
  }

  /** Every word must have been read. */
  end(): void {
    if (this.done()) return;
    const rest = this.words.slice(this.i);
    throw new Fail(spanOf(rest[0], rest[rest.length - 1]), msg.extraWords(this.key, rest.map(atomText).join(' ')));
  }

  isIdent(text: string, offset = 0): boolean {
    const a = this.peek(offset);
    return a?.kind === 'ident' && a.text === text;
  }

  ident(form: string): { text: string; span: Span } {
    const a = this.next();
    if (a?.kind !== 'ident') this.fail(form, a);
    return { text: a.text, span: a.span };
  }

  /** One of `values`, with "did you mean" on a near miss. */
  choice<T extends string>(what: string, values: readonly T[], form: string): { value: T; span: Span } {
    const a = this.next();
    if (a?.kind !== 'ident') this.fail(form, a);
    if (!(values as readonly string[]).includes(a.text)) throw new Fail(a.span, msg.unknownValue(what, a.text, closest(a.text, values), values));
    return { value: a.text as T, span: a.span };
  }

  /** A bare number (no unit). */
  number(form: string): { value: number; span: Span; text: string } {
    const a = this.next();
    if (a?.kind !== 'number') this.fail(form, a);
    if (a.suffix) throw new Fail(a.suffix.span, msg.wrongForm(this.key, form, atomText(a)));
    this.inRange(a.value, a.span, a.text);
    return { value: a.value, span: a.span, text: a.text };
  }

  integer(form: string, min: 0 | 1 = 1): { value: number; span: Span } {
    const n = this.number(form);
    if (!Number.isInteger(n.value)) throw new Fail(n.span, msg.notInteger(this.key, n.text));
    // 2^53 + 1 reads as 2^53: past the safe integers a whole number is no longer the one written.
    if (!Number.isSafeInteger(n.value)) throw new Fail(n.span, msg.notExact(this.key, n.text));
    if (min === 1 && n.value <= 0) throw new Fail(n.span, msg.notPositive(this.key, n.text));
    if (n.value < 0) throw new Fail(n.span, msg.negative(this.key, n.text));
    this.inRange(n.value, n.span, n.text, true);
    return n;
  }

  /** A number with a unit of `dimension` (glued `300MHz` or spaced `300 MHz`), converted to SI. */
  quantity(dimension: Dimension): Quantity {
    const a = this.next();
    if (a?.kind !== 'number') this.fail(`${DIMENSION_NOUN[dimension]} such as ${EXAMPLE_UNIT[dimension]}`, a);
    return this.unitOf(a, dimension);
  }

  /** The unit after a number already read. */
  unitOf(a: NumberAtom, dimension: Dimension): Quantity {
    let unit: { text: string; span: Span } | undefined = a.suffix;
    if (!unit) {
      const u = this.peek();
      if (u && (u.kind === 'ident' || (u.kind === 'punct' && u.text === '%'))) {
        this.i++;
        unit = { text: u.text, span: u.span };
      }
    }
    const noun = DIMENSION_NOUN[dimension];
    if (!unit) throw new Fail(a.span, msg.missingUnit(this.key, noun, EXAMPLE_UNIT[dimension]));
    const info = UNITS.get(unit.text);
    const span = { start: a.span.start, end: unit.span.end };
    if (!info) {
      const suggestion = closest(unit.text, unitsOf(dimension).map((u) => u.name)) ?? closest(unit.text, [...UNITS.keys()]);
      throw new Fail(unit.span, msg.unknownUnit(unit.text, suggestion, noun));
    }
    const text = `${a.text} ${unit.text}`;
    if (info.dimension !== dimension) throw new Fail(span, msg.wrongDimension(noun, text));
    this.inRange(a.value * info.factor, span, text);
    return { value: a.value * info.factor, text, span };
  }

  /** Either a ratio of `base` (`4x`, `4 x`) or an absolute whole width. */
  ratioOrWidth(base: number | undefined, form: string): { value: number; ratio?: number; span: Span } {
    const a = this.next();
    if (a?.kind !== 'number') this.fail(form, a);
    const glued = a.suffix;
    const spaced = !glued && this.isIdent('x') ? this.next() : undefined;
    if (glued || spaced) {
      const unitText = glued ? glued.text : 'x';
      const span = { start: a.span.start, end: (glued ?? spaced!).span.end };
      if (unitText !== 'x') {
        const info = UNITS.get(unitText);
        if (!info) throw new Fail(glued!.span, msg.unknownUnit(unitText, closest(unitText, ['x']), DIMENSION_NOUN.ratio));
        throw new Fail(span, msg.wrongDimension(`${DIMENSION_NOUN.ratio} (4x) or a width`, `${a.text} ${unitText}`));
      }
      if (a.value <= 0) throw new Fail(span, msg.notPositive(this.key, `${a.text}x`));
      this.inRange(a.value, span, `${a.text}x`);
      // Without a dim (a model error reported elsewhere) the width is unknown; NaN keeps the design from being built.
      return { value: base === undefined ? Number.NaN : Math.round(a.value * base), ratio: a.value, span };
    }
    if (!Number.isInteger(a.value)) throw new Fail(a.span, msg.notInteger(this.key, a.text));
    if (a.value <= 0) throw new Fail(a.span, msg.notPositive(this.key, a.text));
    this.inRange(a.value, a.span, a.text);
    return { value: a.value, span: a.span };
  }

  /** `A x B [x C]`: whole positive numbers separated by `x` (spaced `3 x 128` or glued `3x128`). */
  dims(count: number, form: string): { values: number[]; spans: Span[] } {
    const values: number[] = [];
    const spans: Span[] = [];
    for (let k = 0; k < count; k++) {
      const a = this.next();
      if (a?.kind !== 'number') this.fail(form, a);
      const gluedX = a.suffix?.text === 'x';
      if (a.suffix && !gluedX) throw new Fail(a.suffix.span, msg.wrongForm(this.key, form, atomText(a)));
      if (!Number.isInteger(a.value)) throw new Fail(a.span, msg.notInteger(this.key, a.text));
      if (a.value <= 0) throw new Fail(a.span, msg.notPositive(this.key, a.text));
      this.inRange(a.value, a.span, a.text);
      values.push(a.value);
      spans.push(gluedX ? { start: a.span.start, end: a.suffix!.span.start } : a.span);
      const last = k === count - 1;
      if (last) {
        if (gluedX) throw new Fail(a.suffix!.span, msg.wrongForm(this.key, form, atomText(a)));
      } else if (!gluedX) {
        if (!this.isIdent('x')) this.fail(form, this.peek());
        this.i++;
      }
    }
    return { values, spans };
  }

  /** `fixed<W,I>`, `int8`, `float16`, `float32`. */
  format(form: string): NumberFormat {
    const a = this.next();
    if (a?.kind !== 'ident') this.fail(form, a);
    switch (a.text) {
      case 'int8':
        return { kind: 'int8' };
      case 'float16':
        return { kind: 'float16' };
      case 'float32':
        return { kind: 'float32' };
      case 'fixed': {
        const lt = this.next();
        if (lt?.kind !== 'punct' || lt.text !== '<') throw new Fail(lt?.span ?? a.span, msg.badFixedFormat("write fixed<W,I>, e.g. fixed<16,2>"));
        const w = this.next();
        const comma = this.next();
        const int = this.next();
        const gt = this.next();
        if (w?.kind !== 'number' || w.suffix || comma?.kind !== 'punct' || comma.text !== ',' || int?.kind !== 'number' || int.suffix || gt?.kind !== 'punct' || gt.text !== '>')
          throw new Fail({ start: a.span.start, end: (gt ?? int ?? comma ?? w ?? lt).span.end }, msg.badFixedFormat('write fixed<W,I>, e.g. fixed<16,2>'));
        if (!Number.isInteger(w.value) || w.value < 1 || w.value > 64) throw new Fail(w.span, msg.badFixedFormat(`width ${w.text} must be a whole number of bits in 1..64`));
        if (!Number.isInteger(int.value) || int.value < 0 || int.value > w.value)
          throw new Fail(int.span, msg.badFixedFormat(`integer bits ${int.text} must be a whole number in 0..${w.value}`));
        return { kind: 'fixed', width: w.value, integer: int.value };
      }
      default:
        throw new Fail(a.span, msg.unknownValue('number format', a.text, closest(a.text, ['fixed', 'int8', 'float16', 'float32']), ['fixed<W,I>', 'int8', 'float16', 'float32']));
    }
  }
}
