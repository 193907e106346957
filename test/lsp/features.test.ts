/** Language features in-process, through the same factory the server uses, with inline cursor/range fixtures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SymbolKind } from 'vscode-languageserver-types';
import { createLanguageServices } from '../../language/src/services/index';
import { formatText } from '../../language/src/services/format';
import { DESIGN, fixture } from './fixture';

const labels = (items: { label: string }[]) => items.map((i) => i.label);
const hoverText = (h: ReturnType<ReturnType<typeof createLanguageServices>['hover']>) =>
  h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';

test('completion offers the keys of the enclosing block that are not set yet', () => {
  const model = fixture(DESIGN.replace('  depth 4\n', '  depth 4\n  |\n'));
  const items = labels(model.services.completion(model.uri, model.cursor));
  for (const key of ['mlp', 'cls', 'eps', 'normalize']) assert.ok(items.includes(key), key);
  for (const key of ['input', 'patch', 'dim', 'heads', 'depth', 'moe']) assert.ok(!items.includes(key), `${key} is already set`);
  assert.ok(!items.includes('clock'), 'a hardware key is not offered in model');

  const moe = fixture(DESIGN.replace('    hidden  2x\n', '    hidden  2x\n    |\n'));
  assert.deepEqual(labels(moe.services.completion(moe.uri, moe.cursor)).sort(), ['gate', 'routing']);
  const emptyMoe = fixture('model m {\n  moe {\n    |\n  }\n}\n');
  assert.deepEqual(labels(emptyMoe.services.completion(emptyMoe.uri, emptyMoe.cursor)).sort(), [
    'experts',
    'gate',
    'hidden',
    'layers',
    'routing',
    'top_k',
  ]);

  // The one model is set; task, hardware, budget and scenario repeat.
  const top = fixture(DESIGN + '|');
  assert.deepEqual(labels(top.services.completion(top.uri, top.cursor)).sort(), ['budget', 'explore', 'hardware', 'scenario', 'task']);
  // Repeatable keys stay on offer: a second budget line, a second energy coefficient.
  const budget = fixture(DESIGN.replace('  latency semseg < 40 ms\n', '  latency semseg < 40 ms\n  |\n'));
  assert.ok(labels(budget.services.completion(budget.uri, budget.cursor)).includes('latency'));
});

test('completion offers catalog devices after device, with their part', () => {
  const f = fixture(DESIGN.replace('device xczu9eg', 'device |'));
  const items = f.services.completion(f.uri, f.cursor);
  for (const name of ['xczu9eg', 'zcu102', 'xczu7ev', 'zcu104', 'xck26', 'kv260', 'xczu3eg', 'ultra96'])
    assert.ok(labels(items).includes(name), name);
  assert.match(items.find((i) => i.label === 'zcu104')!.detail!, /XCZU7EV/);
});

test('completion offers units of the key’s dimension after a number', () => {
  const clock = fixture(DESIGN.replace('clock  200 MHz', 'clock  200 |'));
  assert.deepEqual(labels(clock.services.completion(clock.uri, clock.cursor)), ['Hz', 'kHz', 'MHz', 'GHz']);
  const latency = fixture(DESIGN.replace('latency semseg < 40 ms', 'latency semseg < 40 |'));
  assert.deepEqual(labels(latency.services.completion(latency.uri, latency.cursor)), ['ns', 'us', 'ms', 's']);
});

test('completion offers enum values and referenced names', () => {
  const schedule = fixture(DESIGN.replace('  clock  200 MHz\n', '  clock  200 MHz\n  schedule |\n'));
  assert.deepEqual(labels(schedule.services.completion(schedule.uri, schedule.cursor)), ['all_resident', 'token_by_token', 'expert_by_expert']);
  const gate = fixture(DESIGN.replace('    hidden  2x\n', '    hidden  2x\n    gate |\n'));
  assert.deepEqual(labels(gate.services.completion(gate.uri, gate.cursor)), ['per_task', 'shared']);
  const routing = fixture(DESIGN.replace('    hidden  2x\n', '    hidden  2x\n    routing |\n'));
  assert.deepEqual(labels(routing.services.completion(routing.uri, routing.cursor)), ['balanced', 'worst', 'trace', 'skewed']);
  const budgetTask = fixture(DESIGN.replace('latency semseg < 40 ms', 'latency |'));
  assert.ok(['semseg', 'depth'].every((t) => labels(budgetTask.services.completion(budgetTask.uri, budgetTask.cursor)).includes(t)));
  const frames = fixture(DESIGN.replace('repeat 2 { semseg depth }', 'repeat 2 { semseg | }'));
  assert.ok(['semseg', 'depth', 'repeat'].every((t) => labels(frames.services.completion(frames.uri, frames.cursor)).includes(t)));
  const budgetTarget = fixture(DESIGN.replace('budget board {', 'budget | {'));
  assert.deepEqual(labels(budgetTarget.services.completion(budgetTarget.uri, budgetTarget.cursor)), ['board']);
});

test('hover explains a key with its unit and default, and derived values', () => {
  const heads = fixture(DESIGN.replace('  heads 4', '  hea|ds 4'));
  const text = hoverText(heads.services.hover(heads.uri, heads.cursor));
  assert.match(text, /\*\*heads\*\* — Attention heads/);
  assert.match(text, /head dim = 64 \/ 4 = \*\*16\*\*/);
  const patch = fixture(DESIGN.replace('  patch 16', '  pat|ch 16'));
  assert.match(hoverText(patch.services.hover(patch.uri, patch.cursor)), /16 patches \(4 × 4\) \+ cls = \*\*17 tokens\*\*/);
  const clock = fixture(DESIGN.replace('  clock  200 MHz', '  clo|ck  200 MHz'));
  assert.match(hoverText(clock.services.hover(clock.uri, clock.cursor)), /Unit: a frequency/);
  const experts = fixture(DESIGN.replace('    experts 8', '    exp|erts 8'));
  assert.match(hoverText(experts.services.hover(experts.uri, experts.cursor)), /8 experts × 2 MoE layers \(1, 3\) = \*\*16 experts\*\*/);
});

test('hover on a device shows its catalog resources and source', () => {
  const f = fixture(DESIGN.replace('device xczu9eg', 'device xczu|9eg'));
  const text = hoverText(f.services.hover(f.uri, f.cursor));
  assert.match(text, /XCZU9EG/);
  assert.match(text, /DSP 2,520 · BRAM36 912 · URAM 0/);
  assert.match(text, /DS891/);
});

test('hover on a budget shows its evaluated value', () => {
  const f = fixture(DESIGN.replace('latency semseg < 40 ms', 'lat|ency semseg < 40 ms'));
  assert.match(hoverText(f.services.hover(f.uri, f.cursor)), /latency of semseg \d+(\.\d+)? (ms|µs) meets the 40\.0 ms budget/);
});

test('go to definition and references of a task across budget and scenario', () => {
  const f = fixture(
    DESIGN.replace('task semseg', 'task ⟦semseg⟧')
      .replace('latency semseg', 'latency ⟦sem|seg⟧')
      .replace('repeat 2 { semseg depth }', 'repeat 2 { ⟦semseg⟧ depth }'),
  );
  assert.deepEqual(
    f.services.definition(f.uri, f.cursor).map((l) => l.range),
    [f.ranges[0]],
  );
  assert.deepEqual(
    f.services.references(f.uri, f.cursor, true).map((l) => l.range),
    f.ranges,
  );
  assert.deepEqual(
    f.services.references(f.uri, f.cursor, false).map((l) => l.range),
    f.ranges.slice(1),
  );
});

test('rename a target updates its declaration and every budget that names it', () => {
  const f = fixture(DESIGN.replace('hardware board', 'hardware ⟦bo|ard⟧').replace('budget board', 'budget ⟦board⟧'));
  const result = f.services.rename(f.uri, f.cursor, 'zcu102');
  assert.ok('edit' in result);
  const edits = result.edit.changes![f.uri];
  assert.deepEqual(
    edits.map((e) => e.range),
    f.ranges,
  );
  assert.ok(edits.every((e) => e.newText === 'zcu102'));
});

test('rename refuses a non-name position, an invalid identifier and a taken name', () => {
  const keyword = fixture(DESIGN.replace('  dim   64', '  d|im   64'));
  assert.deepEqual(keyword.services.prepareRename(keyword.uri, keyword.cursor), { error: 'Only task and hardware target names can be renamed.' });
  const task = fixture(DESIGN.replace('task semseg', 'task sem|seg'));
  assert.match((task.services.rename(task.uri, task.cursor, '9lives') as { error: string }).error, /not a valid name/);
  assert.match((task.services.rename(task.uri, task.cursor, 'depth') as { error: string }).error, /A task named 'depth' already exists/);
});

test('document symbols form the outline with moe under model', () => {
  const f = fixture(DESIGN);
  const symbols = f.services.documentSymbols(f.uri);
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind]),
    [
      ['tiny', SymbolKind.Class],
      ['semseg', SymbolKind.Function],
      ['depth', SymbolKind.Function],
      ['board', SymbolKind.Struct],
      ['budget board', SymbolKind.Interface],
      ['drive', SymbolKind.Event],
    ],
  );
  assert.deepEqual(
    symbols[0].children!.map((c) => c.name),
    ['moe'],
  );
});

test('folding ranges cover multi-line blocks and keep the closing brace visible', () => {
  const f = fixture(DESIGN);
  const ranges = f.services.foldingRanges(f.uri).map((r) => [r.startLine, r.endLine]);
  assert.deepEqual(ranges, [
    [0, 11],
    [6, 10],
    [15, 17],
    [19, 20],
    [22, 24],
  ]);
});

test('semantic tokens classify keys, names, numbers and units', () => {
  const f = fixture('hardware board {\n  clock 200 MHz\n}\n');
  // Decode the relative encoding back to absolute tokens.
  const data = f.services.semanticTokens(f.uri).data;
  const tokens: [number, number, number, number][] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    tokens.push([line, char, data[i + 2], data[i + 3]]);
  }
  const types = ['keyword', 'property', 'class', 'variable', 'number', 'type', 'enumMember', 'string', 'operator', 'comment'];
  assert.deepEqual(
    tokens.map(([l, c, len, t]) => [l, c, len, types[t]]),
    [
      [0, 0, 8, 'keyword'],
      [0, 9, 5, 'class'],
      [1, 2, 5, 'property'],
      [1, 8, 3, 'number'],
      [1, 12, 3, 'type'],
    ],
  );
});

test('formatting is canonical, idempotent and keeps comments (a trailing comment keeps its column when it fits)', () => {
  const messy =
    'model  m {   // the model\n input 3 x 64 x 64\n      patch 16\n\n\n  dim 64 ; heads 4\n// standalone\n depth 4 }\ntask a { head linear classes 2 }\n';
  const formatted = formatText(messy)!;
  assert.equal(
    formatted,
    'model m {    // the model\n  input 3 x 64 x 64\n  patch 16\n\n  dim   64\n  heads 4\n  // standalone\n  depth 4\n}\ntask a { head linear classes 2 }\n',
  );
  assert.equal(formatText(formatted), formatted);
});

test('formatting refuses a text with syntax errors, so nothing is lost', () => {
  assert.equal(formatText('model m {\n  dim 64\n'), undefined);
  const f = fixture('model m {\n  dim 64\n');
  assert.deepEqual(f.services.format(f.uri), []);
});

test('every sample is already canonically formatted', () => {
  const dir = join(__dirname, '..', '..', 'samples');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.m3v'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.equal(formatText(text), text, `${name} is not canonical: run the formatter on it`);
  }
});

test('code lens shows derived model facts and the engine numbers', () => {
  const f = fixture(DESIGN);
  const titles = f.services.codeLenses(f.uri).map((l) => l.command!.title);
  assert.equal(titles[0], '17 tokens · head dim 16 · 4 blocks · 8 experts × 2 MoE layers, top-2');
  assert.ok(
    titles.some((t) => /per expert · on-chip: all_resident/.test(t)),
    titles.join('\n'),
  );
  assert.ok(
    titles.some((t) => /MAC \(.*FLOP\) · .* on board/.test(t)),
    titles.join('\n'),
  );
  // A generic client gets title-only lenses; the VS Code extension (which runs m3v.* commands) gets clickable ones.
  assert.ok(
    f.services.codeLenses(f.uri).every((l) => l.command!.command === ''),
    'no VS Code-only command ids by default',
  );
  f.services.configure({ extensionCommands: true });
  const taskLens = f.services.codeLenses(f.uri).find((l) => l.command!.command === 'm3v.showSchedule')!;
  assert.deepEqual(taskLens.command!.arguments, [{ uri: f.uri, task: 'semseg' }]);
});

test('diagnostics include checker errors and violated budgets at their ranges', () => {
  const f = fixture(DESIGN.replace('  dim   64', '  ⟦dimm⟧  64'));
  const diags = f.services.diagnostics(f.uri);
  assert.equal(diags.length, 1);
  assert.deepEqual(diags[0].range, f.ranges[0]);
  assert.match(diags[0].message as string, /unknown key 'dimm' in model 'tiny' \(did you mean 'dim'\?\)/);
  // 1 µs is below the task's lower bound: no schedule could meet it, and the diagnostic says so.
  const budget = fixture(DESIGN.replace('latency semseg < 40 ms', '⟦latency semseg < 1 us⟧'));
  const b = budget.services.diagnostics(budget.uri);
  assert.equal(b.length, 1);
  // 1 us is below any schedule's bound: the semseg weights alone (≈ 4 blocks × 12 × 64² params × 2 B ≈ 390 KB) take
  // ≈ 20 us over 19.2 GB/s, so the engine says no schedule can meet it (budget-impossible, a violated budget).
  assert.equal(b[0].code, 'budget-impossible');
  assert.deepEqual(b[0].range, budget.ranges[0]);
  // An on-chip share no design of this size meets is violated, not impossible (bounds are on time only).
  const onchip = fixture(DESIGN.replace('latency semseg < 40 ms', '⟦onchip < 0.01 %⟧'));
  const o = onchip.services.diagnostics(onchip.uri);
  assert.deepEqual([o.length, o[0].code], [1, 'budget-violated']);
  assert.deepEqual(o[0].range, onchip.ranges[0]);
});
