/** The TextMate grammar (colouring before the server answers, and in the browser designer) tokenizes as intended. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '..', '..');

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      textmate.parseRawGrammar(readFileSync(join(root, 'language', 'syntaxes', 'm3v.tmLanguage.json'), 'utf8'), 'm3v.tmLanguage.json'),
  });
  const grammar = await registry.loadGrammar('source.m3v');
  assert.ok(grammar);
  return grammar;
}

/** [text, innermost scope] for every token of a line; adjacent pieces of one scope (a string's quotes) are merged. */
function tokenize(grammar: textmate.IGrammar, line: string): [string, string][] {
  const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
  const out: [string, string][] = [];
  for (const t of tokens) {
    const piece: [string, string] = [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]];
    const last = out[out.length - 1];
    if (last && last[1] === piece[1] && piece[0].trim() !== '' && last[0].trim() !== '') last[0] += piece[0];
    else out.push(piece);
  }
  return out.filter(([text]) => text.trim() !== '');
}

test('block headers, keys, numbers with units and comments', async () => {
  const g = await loadGrammar();
  assert.deepEqual(tokenize(g, 'hardware zcu102 {'), [
    ['hardware', 'keyword.other.block.m3v'],
    ['zcu102', 'entity.name.type.m3v'],
    ['{', 'punctuation.section.block.begin.m3v'],
  ]);
  assert.deepEqual(tokenize(g, '  bandwidth 19.2 GB/s  // effective'), [
    ['bandwidth', 'variable.other.property.m3v'],
    ['19.2', 'constant.numeric.m3v'],
    ['GB/s', 'keyword.other.unit.m3v'],
    ['// effective', 'comment.line.double-slash.m3v'],
  ]);
  assert.deepEqual(tokenize(g, '  mlp 4x'), [
    ['mlp', 'variable.other.property.m3v'],
    ['4', 'constant.numeric.m3v'],
    ['x', 'keyword.other.unit.m3v'],
  ]);
  assert.deepEqual(tokenize(g, '  onchip < 75 %'), [
    ['onchip', 'variable.other.property.m3v'],
    ['<', 'keyword.operator.comparison.m3v'],
    ['75', 'constant.numeric.m3v'],
    ['%', 'keyword.other.unit.m3v'],
  ]);
});

test('formats, enums, strings and the x separator', async () => {
  const g = await loadGrammar();
  assert.deepEqual(tokenize(g, '  weights fixed<16,2>'), [
    ['weights', 'variable.other.property.m3v'],
    ['fixed', 'support.type.format.m3v'],
    ['<', 'punctuation.definition.typeparameters.begin.m3v'],
    ['16', 'constant.numeric.m3v'],
    [',', 'punctuation.separator.m3v'],
    ['2', 'constant.numeric.m3v'],
    ['>', 'punctuation.definition.typeparameters.end.m3v'],
  ]);
  assert.deepEqual(tokenize(g, '  linear 16 x 16'), [
    ['linear', 'variable.other.property.m3v'],
    ['16', 'constant.numeric.m3v'],
    ['x', 'keyword.operator.times.m3v'],
    ['16', 'constant.numeric.m3v'],
  ]);
  assert.deepEqual(tokenize(g, '  routing trace "traces/frame0.json"'), [
    ['routing', 'variable.other.property.m3v'],
    ['trace', 'constant.language.m3v'],
    ['"traces/frame0.json"', 'string.quoted.double.m3v'],
  ]);
  assert.deepEqual(tokenize(g, '  schedule expert_by_expert'), [
    ['schedule', 'variable.other.property.m3v'],
    ['expert_by_expert', 'constant.language.m3v'],
  ]);
});

test('block comments span lines', async () => {
  const g = await loadGrammar();
  const first = g.tokenizeLine('/* a design', textmate.INITIAL);
  const second = g.tokenizeLine('   still a comment */ model', first.ruleStack);
  assert.equal(second.tokens[0].scopes.at(-1), 'comment.block.m3v');
  assert.equal(second.tokens.at(-1)!.scopes.at(-1), 'source.m3v');
});

test('names that end in digits stay one identifier (zcu102, u50), and the board keys colour as keys', async () => {
  const g = await loadGrammar();
  const tokens = (line: string) => tokenize(g, line).map(([text, scope]): [string, string] => [text.trim(), scope]);
  // A reference to a target by name in a budget or a device line: no number inside it.
  assert.deepEqual(tokens('  device zcu102'), [
    ['device', 'variable.other.property.m3v'],
    ['zcu102', 'source.m3v'],
  ]);
  assert.deepEqual(tokens('budget u50 {'), [
    ['budget', 'keyword.other.block.m3v'],
    ['u50', 'entity.name.type.m3v'],
    ['{', 'punctuation.section.block.begin.m3v'],
  ]);
  assert.deepEqual(tokens('  port acts 4 x 128 bit'), [
    ['port', 'variable.other.property.m3v'],
    ['acts', 'source.m3v'],
    ['4', 'constant.numeric.m3v'],
    ['x', 'keyword.operator.times.m3v'],
    ['128', 'constant.numeric.m3v'],
    ['bit', 'keyword.other.unit.m3v'],
  ]);
  assert.deepEqual(tokens('  queues compact'), [
    ['queues', 'variable.other.property.m3v'],
    ['compact', 'constant.language.m3v'],
  ]);
});
