/**
 * Completion from the schema: keys valid in the enclosing block (without those already set there, unless repeatable),
 * enum values of the key being written, catalog devices after `device`, task and target names where the language
 * references them, and units (of the key's dimension only) after a number. A key that opens a block (`task`, `moe`, …)
 * inserts the block's skeleton with its required keys: a snippet with placeholders for clients that support snippets,
 * the same text plainly otherwise. Nothing is offered inside a comment or a string (space is a trigger character, so
 * a client would otherwise pop completion up while the user writes prose).
 */
import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem } from 'vscode-languageserver-types';
import { DEVICES } from '../../../engine/catalog';
import { UNITS, unitsOf, type Dimension } from '../../../engine/units';
import { lineEnding } from '../lineIndex';
import { enumValues, keyInfo, keysOf, SCHEMA, type BlockKind, type KeyInfo } from '../schema';
import { locate } from './locate';
import type { Atom, Statement } from '../syntax/tree';
import type { AnalyzedDocument } from './document';

/** What the client can take, from its capabilities at initialize. */
export interface CompletionOptions {
  /** `textDocument.completion.completionItem.snippetSupport`. */
  snippets?: boolean;
}

/** Where skeletons are inserted: the indentation of the cursor's line and the file's line ending. */
interface InsertContext {
  indent: string;
  eol: string;
  snippets: boolean;
  /** The design's task names, so a scenario or budget skeleton names real tasks instead of the schema's examples. */
  tasks: string[];
}

/** The value a skeleton writes for a key: the schema's example, with the design's own task names where it names tasks. */
function exampleValue(k: KeyInfo, opens: BlockKind, tasks: string[]): string {
  const [, ...value] = k.example.split(' ');
  if (tasks.length > 0 && opens === 'scenario' && k.key === 'frames') return tasks.join(' ');
  if (tasks.length > 0 && opens === 'budget' && k.key === 'latency') return `${tasks[0]} < 40 ms`;
  return value.join(' ');
}

function keyItems(kind: BlockKind, present: ReadonlySet<string>, ctx: InsertContext): CompletionItem[] {
  return keysOf(kind)
    .map((key, i): CompletionItem | undefined => {
      const info = keyInfo(kind, key)!;
      if (present.has(key) && !info.repeatable) return undefined;
      const item: CompletionItem = {
        label: key,
        kind: info.opens ? CompletionItemKind.Module : CompletionItemKind.Property,
        detail: info.forms.join('  |  '),
        documentation: info.meaning,
        sortText: String(i).padStart(3, '0'),
      };
      return info.opens ? { ...item, ...skeleton(info, info.opens, ctx) } : item;
    })
    .filter((x): x is CompletionItem => x !== undefined);
}

/** Snippet metacharacters are `$`, `}` and `\\` (LSP snippet grammar). */
const escapeSnippet = (text: string): string => text.replace(/[$}\\]/g, (c) => `\\${c}`);

/**
 * The block a key opens, written out: its name placeholder and its required keys with the schema's example values
 * (or the first key's example when none is required, as for `budget`). Lines are indented from the cursor's line and
 * end with the file's line ending; `insertTextMode: asIs` tells the client not to re-indent them.
 */
function skeleton(info: KeyInfo, opens: BlockKind, ctx: InsertContext): Partial<CompletionItem> {
  const keys = SCHEMA[opens].keys.filter((k) => k.required && !k.opens);
  const body = keys.length > 0 ? keys : SCHEMA[opens].keys.slice(0, 1);
  let tab = 0;
  const hole = (text: string) => (ctx.snippets ? `\${${++tab}:${escapeSnippet(text)}}` : text);
  const named = info.forms[0].includes('NAME');
  const head = named ? `${info.key} ${hole('name')} {` : `${info.key} {`;
  const lines = body.map((k) => `${ctx.indent}  ${k.key} ${hole(exampleValue(k, opens, ctx.tasks))}`);
  const text = [head, ...lines, `${ctx.indent}}`].join(ctx.eol) + (ctx.snippets ? '$0' : '');
  return {
    insertText: text,
    insertTextFormat: ctx.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.asIs,
    detail: `${info.forms[0]}: inserts the block with its required keys`,
  };
}

function names(doc: AnalyzedDocument, kind: 'task' | 'hardware'): CompletionItem[] {
  return doc.analysis.symbols
    .filter((s) => s.kind === kind && s.name)
    .map((s) => ({
      label: s.name,
      kind: kind === 'task' ? CompletionItemKind.Function : CompletionItemKind.Struct,
      detail: kind === 'task' ? 'task' : 'hardware target',
    }));
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
  if (kind === 'model' && key === 'mlp') return 'ratio';
  if (kind === 'moe' && key === 'hidden') return 'ratio';
  void index;
  return keyInfo(kind, key)?.dimension;
}

export function completion(doc: AnalyzedDocument, offset: number, options: CompletionOptions = {}): CompletionItem[] {
  const { tree } = doc.analysis;
  if (insideCommentOrString(doc, offset)) return [];
  const loc = locate(tree, offset);
  // Inside `frames … { … }` (a repeat body): task names and `repeat`.
  if (loc.blockKind === undefined) {
    return [...names(doc, 'task'), { label: 'repeat', kind: CompletionItemKind.Keyword, detail: 'repeat N { TASK… }' }];
  }
  const kind = loc.blockKind;
  const statement = loc.statement ?? statementEndingBefore(doc, loc.path, offset);
  // Words of the statement that end before the cursor (the one being typed is excluded).
  const before = statement
    ? statement.words.filter((w) => w.span.end < offset || (w.span.end === offset && !isWordChar(doc.analysis.text, offset - 1)))
    : [];
  const typingKey = !statement || before.length === 0;
  if (typingKey) {
    const siblings = loc.path.length > 0 ? loc.path[loc.path.length - 1].block!.statements : tree.statements;
    const present = new Set(
      siblings.filter((s) => s !== statement && s.words[0]?.kind === 'ident').map((s) => (s.words[0] as { text: string }).text),
    );
    return keyItems(kind, present, {
      indent: indentAt(doc.analysis.text, offset),
      eol: lineEnding(doc.analysis.text),
      snippets: options.snippets === true,
      tasks: doc.analysis.symbols.filter((s) => s.kind === 'task' && s.name).map((s) => s.name),
    });
  }

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
    if (position === 2)
      return enumItems(before[1]?.kind === 'ident' && before[1].text === 'cls' ? ['classes'] : ['classes', 'channels'], 'head output');
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

/** Inside a comment (a line comment up to its end) or a string (an unclosed one up to its end). */
export function insideCommentOrString(doc: AnalyzedDocument, offset: number): boolean {
  const text = doc.analysis.text;
  for (const c of doc.analysis.tree.comments) {
    const open = c.kind === 'line' || !text.startsWith('*/', c.span.end - 2) || c.span.end - c.span.start < 4;
    if (offset > c.span.start && (offset < c.span.end || (open && offset === c.span.end))) return true;
  }
  const inString = (atoms: Atom[]): boolean =>
    atoms.some((a) => {
      if (a.kind === 'list') return inString(a.items);
      if (a.kind !== 'string') return false;
      const closed = a.span.end - a.span.start >= 2 && text[a.span.end - 1] === '"';
      return offset > a.span.start && (offset < a.span.end || (!closed && offset === a.span.end));
    });
  const visit = (statements: Statement[]): boolean => statements.some((s) => inString(s.words) || (s.block ? visit(s.block.statements) : false));
  return visit(doc.analysis.tree.statements);
}

/** The indentation (spaces and tabs) at the start of the cursor's line. */
function indentAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function isWordChar(text: string, i: number): boolean {
  return i >= 0 && /[A-Za-z0-9_/%.]/.test(text[i] ?? '');
}

/** Whether a word is a known unit (for semantic tokens and hover). */
export function isUnit(word: string): boolean {
  return UNITS.has(word);
}
