/** The designer's LSP → monaco conversions and its trace loading: the pieces between the worker and the editor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, DiagnosticSeverity, InsertTextFormat } from 'vscode-languageserver-types';
import { editsByUri, toMarker, toMonacoFolding, toMonacoHover, toMonacoKind, toMonacoRange, toMonacoSymbol, toSuggestion } from '../../webviews/designer/monacoConvert';
import { createTraceLoader } from '../../language/src/server/traceFetch';
import { createLanguageServices } from '../../language/src/services/index';

// monaco's own enum values (monaco-editor 0.52 editor.api.d.ts), as the page passes them.
const SEVERITY = { Hint: 1, Info: 2, Warning: 4, Error: 8 };
const KINDS: Record<string, number> = { Method: 0, Function: 1, Field: 3, Variable: 4, Property: 9, Unit: 12, Value: 13, Enum: 15, EnumMember: 16, Keyword: 17, Text: 18, Snippet: 27 };
const INSERT_AS_SNIPPET = 4;

test('ranges move from 0-based lines/characters to 1-based lines/columns', () => {
  assert.deepEqual(toMonacoRange({ start: { line: 0, character: 0 }, end: { line: 2, character: 5 } }), { startLineNumber: 1, startColumn: 1, endLineNumber: 3, endColumn: 6 });
});

test('the language server\'s real diagnostics become markers with the same place, message and severity', () => {
  const services = createLanguageServices();
  const text = 'model m {\n  dim banana\n}\n';
  services.update('mem://a.m3v', 1, text);
  const diagnostics = services.diagnostics('mem://a.m3v');
  assert.ok(diagnostics.length > 0);
  const d = diagnostics[0];
  const marker = toMarker(d, SEVERITY);
  assert.equal(marker.severity, d.severity === DiagnosticSeverity.Error ? 8 : 4);
  assert.equal(marker.message, d.message);
  assert.equal(marker.startLineNumber, d.range.start.line + 1);
  assert.equal(text.split('\n')[marker.startLineNumber - 1].slice(marker.startColumn - 1, marker.endColumn - 1), text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character));
  assert.equal(toMarker({ ...d, severity: DiagnosticSeverity.Warning }, SEVERITY).severity, 4);
  assert.equal(toMarker({ ...d, severity: undefined }, SEVERITY).severity, 2);
});

test('completion kinds map by name; unknown kinds fall back to Text; snippets keep their rule', () => {
  assert.equal(toMonacoKind(CompletionItemKind.Keyword, KINDS), 17);
  assert.equal(toMonacoKind(CompletionItemKind.Property, KINDS), 9);
  assert.equal(toMonacoKind(CompletionItemKind.Color, KINDS), 18);
  assert.equal(toMonacoKind(undefined, KINDS), 18);
  const word = { startLineNumber: 2, startColumn: 3, endLineNumber: 2, endColumn: 5 };
  const plain = toSuggestion({ label: 'experts', kind: CompletionItemKind.Property }, word, KINDS, INSERT_AS_SNIPPET);
  assert.deepEqual([plain.insertText, plain.range, plain.insertTextRules], ['experts', word, undefined]);
  const snippet = toSuggestion(
    { label: 'moe', insertText: 'moe {\n  $0\n}', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range: { start: { line: 4, character: 2 }, end: { line: 4, character: 4 } }, newText: 'moe {\n  $0\n}' } },
    word,
    KINDS,
    INSERT_AS_SNIPPET,
  );
  assert.equal(snippet.insertTextRules, INSERT_AS_SNIPPET);
  assert.deepEqual(snippet.range, { startLineNumber: 5, startColumn: 3, endLineNumber: 5, endColumn: 5 });
});

test('hover contents of every LSP form become markdown strings', () => {
  assert.deepEqual(toMonacoHover({ contents: { kind: 'markdown', value: '**dim**' } }).contents, [{ value: '**dim**' }]);
  assert.deepEqual(toMonacoHover({ contents: ['a', { language: 'm3v', value: 'dim 192' }] }).contents, [{ value: 'a' }, { value: '```m3v\ndim 192\n```' }]);
});

test('a routing trace is fetched relative to the design URL, once, and a bad one is left out', () => {
  const fetched: string[] = [];
  const files: Record<string, string> = {
    'http://127.0.0.1:1/files/sub/traces/t.json': JSON.stringify({ layers: [{ layer: 1, experts: [[0, 1]], scores: [[0.6, 0.3]] }] }),
    'http://127.0.0.1:1/files/sub/bad.json': '{ not json',
  };
  const load = createTraceLoader((url) => {
    fetched.push(url);
    return files[url];
  });
  const trace = load('http://127.0.0.1:1/files/sub/design.m3v', 'traces/t.json');
  assert.ok(trace);
  assert.equal(load('http://127.0.0.1:1/files/sub/design.m3v', 'traces/t.json'), trace);
  assert.equal(load('http://127.0.0.1:1/files/sub/design.m3v', 'bad.json'), undefined);
  assert.equal(load('http://127.0.0.1:1/files/sub/design.m3v', 'missing.json'), undefined);
  assert.deepEqual(fetched, ['http://127.0.0.1:1/files/sub/traces/t.json', 'http://127.0.0.1:1/files/sub/bad.json', 'http://127.0.0.1:1/files/missing.json'.replace('/files/', '/files/sub/')]);
});

test('outline, folding and rename edits of the real services convert to monaco shapes', () => {
  const services = createLanguageServices();
  const text = 'model m {\n  input 3 x 32 x 32\n  patch 16\n  dim 16\n  heads 2\n  depth 1\n}\ntask a { head linear classes 2 }\nhardware h { device zcu102 }\nbudget h {\n  latency a < 10 ms\n}\n';
  services.update('mem://b.m3v', 1, text);
  const kinds: Record<string, number> = { Module: 1, Class: 4, Object: 18, Struct: 22, Namespace: 2, Function: 11, Event: 23, Field: 7, Property: 6 };
  const symbols = services.documentSymbols('mem://b.m3v').map((s) => toMonacoSymbol(s, kinds));
  assert.ok(symbols.length >= 3);
  assert.deepEqual(symbols[0].range, toMonacoRange(services.documentSymbols('mem://b.m3v')[0].range));
  assert.equal(symbols[0].range.startLineNumber, 1);
  const folds = services.foldingRanges('mem://b.m3v').map(toMonacoFolding);
  assert.ok(folds.some((f) => f.start === 1 && f.end >= 6), JSON.stringify(folds));
  const renamed = services.rename('mem://b.m3v', { line: 7, character: 5 }, 'seg');
  assert.ok('edit' in renamed);
  const edits = editsByUri(renamed.edit).get('mem://b.m3v')!;
  assert.equal(edits.length, 2, 'the task and the budget line naming it');
  const lines = text.split('\n');
  for (const e of edits) assert.equal(lines[e.range.startLineNumber - 1].slice(e.range.startColumn - 1, e.range.endColumn - 1), 'a');
});
