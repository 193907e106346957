/**
 * Completion from the schema: keys valid in the enclosing block, enum values of the key being written, catalog devices
 * after `device`, task and target names where the language references them, and units (of the key's dimension only)
 * after a number.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import { DEVICES } from '../../../engine/catalog';
import { UNITS, unitsOf, type Dimension } from '../../../engine/units';
import { enumValues, keyInfo, keysOf, type BlockKind } from '../schema';
import { locate } from '../syntax/locate';
import type { Atom, Statement } from '../syntax/tree';
import type { AnalyzedDocument } from './document';

function keyItems(kind: BlockKind): CompletionItem[] {
  return keysOf(kind).map((key, i) => {
    const info = keyInfo(kind, key);
    return {
      label: key,
      kind: info?.opens ? CompletionItemKind.Module : CompletionItemKind.Property,
      detail: info?.forms.join('  |  '),
      documentation: info?.meaning,
      sortText: String(i).padStart(3, '0'),
    };
  });
}

function names(doc: AnalyzedDocument, kind: 'task' | 'hardware'): CompletionItem[] {
  return doc.analysis.symbols
    .filter((s) => s.kind === kind && s.name)
    .map((s) => ({ label: s.name, kind: kind === 'task' ? CompletionItemKind.Function : CompletionItemKind.Struct, detail: kind === 'task' ? 'task' : 'hardware target' }));
}

function enumItems(values: readonly string[], detail: string): CompletionItem[] {
  return values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail }));
}

function unitItems(dimension: Dimension): CompletionItem[] {
  return unitsOf(dimension).map((u) => ({ label: u.name, kind: CompletionItemKind.Unit, detail: dimension.replace(/_/g, ' ') }));
}

function deviceItems(): CompletionItem[] {
  return DEVICES.flatMap((d) =>
    [d.key, ...d.aliases].map((name) => ({
      label: name,
      kind: CompletionItemKind.Value,
      detail: `${d.part} (${d.board})`,
      documentation: `LUT ${d.resources.lut.toLocaleString('en-US')}, FF ${d.resources.ff.toLocaleString('en-US')}, DSP ${d.resources.dsp}, BRAM36 ${d.resources.bram36}, URAM ${d.resources.uram}`,
    })),
  );
}

/** The dimension of a number written as word `index` of a statement with this key. */
function dimensionAt(kind: BlockKind, words: Atom[], index: number): Dimension | undefined {
  const key = words[0]?.kind === 'ident' ? words[0].text : '';
  if (kind === 'hardware' && key === 'energy') {
    const what = words[1]?.kind === 'ident' ? words[1].text : '';
    return what === 'mac' ? 'energy' : 'energy_per_byte';
  }
  if (kind === 'budget' && key === 'onchip') return undefined; // share or size: offer both below
  if (kind === 'model' && (key === 'mlp')) return 'ratio';
  if (kind === 'moe' && key === 'hidden') return 'ratio';
  void index;
  return keyInfo(kind, key)?.dimension;
}

export function completion(doc: AnalyzedDocument, offset: number): CompletionItem[] {
  const { tree } = doc.analysis;
  const loc = locate(tree, offset);
  // Inside `frames … { … }` (a repeat body): task names and `repeat`.
  if (loc.blockKind === undefined) {
    return [...names(doc, 'task'), { label: 'repeat', kind: CompletionItemKind.Keyword, detail: 'repeat N { TASK… }' }];
  }
  const kind = loc.blockKind;
  const statement = loc.statement ?? statementEndingBefore(doc, loc.path, offset);
  // Words of the statement that end before the cursor (the one being typed is excluded).
  const before = statement ? statement.words.filter((w) => w.span.end < offset || (w.span.end === offset && !isWordChar(doc.analysis.text, offset - 1))) : [];
  const typingKey = !statement || before.length === 0;
  if (typingKey) return keyItems(kind);

  const key = before[0].kind === 'ident' ? before[0].text : '';
  const last = before[before.length - 1];
  const position = before.length; // index of the word being written

  if (last.kind === 'number' && !last.suffix) {
    if (kind === 'budget' && key === 'onchip') return [...unitItems('share'), ...unitItems('size')];
    const dim = dimensionAt(kind, before, position);
    if (dim) return unitItems(dim);
  }
  if (kind === 'file') {
    if (key === 'budget' && position === 1) return names(doc, 'hardware');
    return [];
  }
  if (kind === 'hardware' && key === 'device' && position === 1) return deviceItems();
  if (kind === 'explore') {
    const explore = exploreCompletion(doc, before, position, last);
    if (explore) return explore;
  }
  if (kind === 'budget' && (key === 'latency' || key === 'energy') && position === 1) {
    return [...names(doc, 'task'), ...enumItems(['<', '<='], 'comparison')];
  }
  if (kind === 'scenario' && key === 'frames') {
    return [...names(doc, 'task'), { label: 'repeat', kind: CompletionItemKind.Keyword, detail: 'repeat N { TASK… }' }];
  }
  if (kind === 'task' && key === 'head') {
    if (position === 1) return enumItems(enumValues(kind, key), 'head kind');
    if (position === 2) return enumItems(before[1]?.kind === 'ident' && before[1].text === 'cls' ? ['classes'] : ['classes', 'channels'], 'head output');
    if (position === 4 && before[1]?.kind === 'ident' && before[1].text === 'pup') return enumItems(['width'], 'PUP convolution width');
    return [];
  }
  if (kind === 'moe' && key === 'gate' && position === 2) return enumItems(['embed'], 'task embedding width');
  if (kind === 'moe' && key === 'routing' && before[1]?.kind === 'ident' && before[1].text === 'skewed') return enumItems(['seed'], 'PRNG seed');
  if (position === 1) {
    const values = enumValues(kind, key);
    if (values.length > 0) return enumItems(values, key);
  }
  return [];
}

/** Inside `explore { … }`: targets, varied keys and their values (as their own block offers them), objective tasks. */
function exploreCompletion(doc: AnalyzedDocument, before: Atom[], position: number, last: Atom): CompletionItem[] | undefined {
  const key = before[0].kind === 'ident' ? before[0].text : '';
  if (key === 'target' && position === 1) return names(doc, 'hardware');
  if ((key === 'minimize' || key === 'maximize') && position === 2) {
    const metric = before[1]?.kind === 'ident' ? before[1].text : '';
    return metric === 'latency' || metric === 'energy' || metric === 'fps' ? names(doc, 'task') : [];
  }
  if (key !== 'vary' || position < 2 || before[1]?.kind !== 'ident') return undefined;
  const varied = before[1].text;
  const home: BlockKind = keyInfo('hardware', varied) ? 'hardware' : keyInfo('moe', varied) ? 'moe' : 'model';
  if (last.kind === 'number' && !last.suffix && varied === 'clock') return unitItems('frequency');
  if (position === 2 && varied === 'clock') return [{ label: '..', kind: CompletionItemKind.Operator, detail: 'A .. B step S' }];
  const values = enumValues(home, varied);
  return values.length > 0 ? enumItems(values, varied) : [];
}

/** The statement of the cursor's line that the cursor continues (`clock 300 |`): locate() only sees words it touches. */
function statementEndingBefore(doc: AnalyzedDocument, path: Statement[], offset: number): Statement | undefined {
  const statements = path.length > 0 ? path[path.length - 1].block!.statements : doc.analysis.tree.statements;
  const text = doc.analysis.text;
  for (let i = statements.length - 1; i >= 0; i--) {
    const s = statements[i];
    if (s.words.length === 0 || (s.block && offset > s.block.open.start)) continue;
    const end = s.words[s.words.length - 1].span.end;
    if (s.words[0].span.start > offset || end > offset) continue;
    const gap = text.slice(end, offset);
    return /^[ \t]*$/.test(gap) ? s : undefined;
  }
  return undefined;
}

function isWordChar(text: string, i: number): boolean {
  return i >= 0 && /[A-Za-z0-9_/%.]/.test(text[i] ?? '');
}

/** Whether a word is a known unit (for semantic tokens and hover). */
export function isUnit(word: string): boolean {
  return UNITS.has(word);
}
