/**
 * Editor help and correctness of the language services: completion context (not in comments or strings, skeletons as
 * snippets or plain text), rename refusals, value hover, quick fixes, stale code lenses and the lens wording.
 * Expected figures are derived by hand in the comments, not copied from the services' output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InsertTextFormat, type CodeAction, type TextEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../../language/src/lineIndex';
import { createLanguageServices } from '../../language/src/services/index';
import { invalidParams } from '../../language/src/services/params';
import { DESIGN, fixture } from './fixture';

/** An Edge-MoE-shaped design owned by this test (samples change as the cost model grows; these figures must not). */
const SAMPLE = `// M3ViT-tiny as deployed by Edge-MoE
model m3vit_tiny {
  input 3 x 128 x 256
  patch 16
  dim   192
  heads 3
  depth 12
  mlp   4x
  moe {
    layers  odd
    experts 16
    top_k   2
    hidden  384
    gate    per_task
    routing balanced
  }
}

task semseg { head linear classes 7 }
task depth { head linear channels 1 }

hardware zcu102 {
  device    xczu9eg
  clock     300 MHz
  bandwidth 19.2 GB/s
  linear    16 x 16
  weights   fixed<16,2>
  schedule  expert_by_expert
}

budget zcu102 {
  latency semseg < 40 ms
}
`;
const URI = 'file:///help.m3v';
const labels = (items: { label: string }[]) => items.map((i) => i.label);

function open(text: string) {
  const services = createLanguageServices();
  services.update(URI, 1, text);
  return { services, index: new LineIndex(text), text };
}

/** Hover text at the last character of the first occurrence of `needle`. */
function hoverAt(text: string, needle: string): string {
  const { services, index } = open(text);
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const h = services.hover(URI, index.positionAt(offset + needle.length - 1));
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
}

function applyAction(text: string, action: CodeAction): string {
  const index = new LineIndex(text);
  const edits: TextEdit[] = action.edit!.changes![URI];
  let out = text;
  for (const e of [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start))) {
    out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  }
  return out;
}

test('no completion inside a comment or a string, even right after a space', () => {
  for (const marked of [
    DESIGN.replace('  depth 4\n', '  depth 4 // the depth of |\n'),
    DESIGN.replace('  depth 4\n', '  depth 4 /* a | */\n'),
    DESIGN.replace('  depth 4\n', '  // |\n  depth 4\n'),
    DESIGN.replace('    hidden  2x\n', '    hidden  2x\n    routing trace "traces/ |x.json"\n'),
  ]) {
    const f = fixture(marked);
    assert.deepEqual(
      f.services.completion(f.uri, f.cursor),
      [],
      marked.split('\n').find((l) => l.includes('|')),
    );
  }
  // Just after a closed block comment, completion works again.
  const after = fixture(DESIGN.replace('  depth 4\n', '  depth 4\n  /* c */ |\n'));
  assert.ok(labels(after.services.completion(after.uri, after.cursor)).includes('mlp'));
});

test('a block keyword inserts its skeleton: a snippet when the client supports it, plain text otherwise', () => {
  const plain = fixture(DESIGN + '|');
  const task = plain.services.completion(plain.uri, plain.cursor).find((i) => i.label === 'task')!;
  assert.equal(task.insertTextFormat, InsertTextFormat.PlainText);
  assert.equal(task.insertText, 'task name {\n  head linear classes 7\n}');

  plain.services.configure({ snippets: true });
  const snippet = plain.services.completion(plain.uri, plain.cursor).find((i) => i.label === 'hardware')!;
  assert.equal(snippet.insertTextFormat, InsertTextFormat.Snippet);
  // hardware's required keys are device and clock (schema); placeholders for the name and each value.
  assert.equal(snippet.insertText, 'hardware ${1:name} {\n  device ${2:xczu9eg}\n  clock ${3:300 MHz}\n}$0');

  // A scenario or budget skeleton names the design's own tasks, so it checks clean once inserted.
  const items = plain.services.completion(plain.uri, plain.cursor);
  assert.match(items.find((i) => i.label === 'scenario')!.insertText!, /frames \$\{2:semseg depth\}/);
  assert.match(items.find((i) => i.label === 'budget')!.insertText!, /latency \$\{1:semseg < 40 ms\}/);

  plain.services.configure({ snippets: false });
  for (const label of ['task', 'hardware', 'budget', 'scenario']) {
    const insert = plain.services.completion(plain.uri, plain.cursor).find((i) => i.label === label)!.insertText!;
    const inserted = open(DESIGN + insert.replace('name', `extra_${label}`) + '\n');
    assert.deepEqual(inserted.services.diagnostics(URI), [], `the ${label} skeleton checks clean:\n${insert}`);
  }

  // In a CRLF file, inside the model block (indented), the skeleton keeps CRLF and the indentation.
  const crlf = fixture('model m {\r\n  |\r\n}\r\n');
  const moe = crlf.services.completion(crlf.uri, crlf.cursor).find((i) => i.label === 'moe')!;
  assert.equal(moe.insertText, 'moe {\r\n    layers odd\r\n    experts 16\r\n    top_k 2\r\n    hidden 384\r\n  }');
});

test('rename refuses reserved words and invalid identifiers with a clear error', () => {
  const f = fixture(DESIGN.replace('task depth', 'task dep|th'));
  for (const [name, why] of [
    ['repeat', /'repeat' is a reserved word/],
    ['model', /reserved word/],
    ['9lives', /not a valid name/],
    ['two words', /not a valid name/],
    ['', /empty/],
  ] as const) {
    const r = f.services.rename(f.uri, f.cursor, name);
    assert.ok('error' in r, name);
    assert.match(r.error, why);
  }
  assert.ok('edit' in f.services.rename(f.uri, f.cursor, 'repeat_depth'), 'a name that merely contains a keyword is fine');
  const missing = f.services.rename(f.uri, f.cursor, undefined as unknown as string);
  assert.deepEqual(missing, { error: 'The new name is missing.' }, 'an absent newName is not renamed to "undefined"');
});

test('invalid request params get a sentence, not a TypeError', () => {
  assert.match(invalidParams(undefined)!, /no parameters/);
  assert.match(invalidParams({})!, /textDocument\.uri/);
  assert.match(invalidParams({ textDocument: { uri: URI } }, { position: true })!, /'position' is missing/);
  assert.match(invalidParams({ textDocument: { uri: URI }, position: { line: -1, character: 0 } }, { position: true })!, /non-negative/);
  assert.match(
    invalidParams({ textDocument: { uri: URI }, position: { line: 0, character: 0 } }, { position: true, newName: true })!,
    /'newName' is missing/,
  );
  assert.match(
    invalidParams({ textDocument: { uri: URI }, position: { line: 0, character: 0 } }, { position: true, referenceContext: true })!,
    /includeDeclaration/,
  );
  assert.match(invalidParams({ textDocument: { uri: URI } }, { codeActionContext: true })!, /'range' is missing/);
  assert.equal(
    invalidParams({ textDocument: { uri: URI }, position: { line: 3, character: 1 }, newName: 'x' }, { position: true, newName: true }),
    undefined,
  );
});

test('hover on values: bytes per expert and per layer, cycle time, bytes per cycle, what a strategy does', () => {
  // Expert = fc1 (D×H + H) + fc2 (H×D + D) = 192·384·2 + 384 + 192 = 148,032 params; fixed<16,2> = 2 B each →
  // 296,064 B = 289 KiB; × 16 experts = 4,737,024 B = 4.52 MiB per layer; × 6 odd layers of 12 = 27.1 MiB.
  const experts = hoverAt(SAMPLE, 'experts 16');
  assert.match(experts, /289 KiB per expert · 4\.52 MiB per MoE layer \(16 experts\) · 27\.1 MiB for all 6 MoE layers/);
  assert.match(experts, /fixed<16,2>, 16 bit/);
  // 1 / 300 MHz = 3.33 ns; 19.2e9 B/s / 300e6 Hz = 64 B per cycle.
  const clock = hoverAt(SAMPLE, '300 MHz');
  assert.match(clock, /one cycle = \*\*3\.33 ns\*\*/);
  assert.match(clock, /\*\*64\.0 B per cycle\*\*/);
  // 16 × 16 = 256 MACs per cycle; at 300 MHz: 76.8 G MAC/s.
  assert.match(hoverAt(SAMPLE, 'linear    16 x 16'), /\*\*256 MACs per cycle\*\*; at 300 MHz: peak 76\.8 GMAC\/s/);
  const strategy = hoverAt(SAMPLE, 'schedule  expert_by_expert');
  assert.match(strategy, /\*\*expert_by_expert\*\* — Edge-MoE `compute_moe`/);
  assert.match(hoverAt(SAMPLE, 'gate    per_task'), /one router per task/i);
  // A value without its own text still names the choices and the default (schema).
  assert.match(hoverAt(SAMPLE, 'weights   fixed'), /\*\*fixed\*\* — one of `fixed`, `int8`, `float16`, `float32`; default fixed<16,2>/);
  // top-2 of 16 experts: 12.5 % of the expert MLPs run per token.
  assert.match(hoverAt(SAMPLE, 'top_k   2'), /each token runs 2 of 16 experts per MoE layer \(12\.5 % of the expert MLPs\)/);
});

test('quick fix: did you mean, for an unknown key, value and task', () => {
  const cases: [string, string, string][] = [
    ['  dim   192', '  dimm   192', "Change 'dimm' to 'dim'"],
    ['schedule  expert_by_expert', 'schedule  expert_by_exprt', "Change 'expert_by_exprt' to 'expert_by_expert'"],
  ];
  for (const [from, to, title] of cases) {
    const broken = SAMPLE.replace(from, to);
    const { services, index } = open(broken);
    const misspelled = /'([^']+)' to/.exec(title)![1];
    const at = index.positionAt(broken.indexOf(misspelled) + 1);
    const action = services.codeActions(URI, { start: at, end: at }).find((a) => a.title === title);
    assert.ok(action, `${title} in ${JSON.stringify(services.codeActions(URI, { start: at, end: at }).map((a) => a.title))}`);
    assert.equal(applyAction(broken, action), SAMPLE);
  }
  const task = DESIGN.replace('latency semseg < 40 ms', 'latency semsge < 40 ms');
  const { services, index } = open(task);
  const at = index.positionAt(task.indexOf('semsge'));
  const fix = services.codeActions(URI, { start: at, end: at });
  assert.deepEqual(
    fix.map((a) => a.title),
    ["Change 'semsge' to 'semseg'"],
  );
  assert.equal(applyAction(task, fix[0]), DESIGN);
});

test('quick fix: clamp top_k to experts', () => {
  const broken = SAMPLE.replace('top_k   2', 'top_k   20');
  const { services, index } = open(broken);
  const at = index.positionAt(broken.indexOf('top_k   20') + 9);
  const action = services.codeActions(URI, { start: at, end: at }).find((a) => a.title === 'Clamp top_k to experts (16)');
  assert.ok(action);
  assert.equal(applyAction(broken, action), SAMPLE.replace('top_k   2', 'top_k   16'));
});

test('quick fix: add a missing task block (no task at all, or a budget naming an unknown task)', () => {
  const none = 'model m {\r\n  input 3 x 32 x 32\r\n  patch 16\r\n  dim 32\r\n  heads 2\r\n  depth 2\r\n}\r\n';
  const a = open(none);
  const fix = a.services
    .codeActions(URI, { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } })
    .find((x) => x.title === "Add a task block 'main'");
  assert.ok(fix);
  const fixed = applyAction(none, fix);
  assert.equal(fixed, none.replace('}\r\n', '}\r\ntask main {\r\n  head linear classes 7\r\n}\r\n'), 'inserted after the model, CRLF kept');
  const after = open(fixed);
  assert.deepEqual(after.services.diagnostics(URI), [], 'the fixed design checks clean');

  const unknown = DESIGN.replace('latency semseg < 40 ms', 'latency lidar < 40 ms');
  const b = open(unknown);
  const at = b.index.positionAt(unknown.indexOf('lidar'));
  const add = b.services.codeActions(URI, { start: at, end: at }).find((x) => x.title === "Add a task block 'lidar'");
  assert.ok(add);
  const withTask = applyAction(unknown, add);
  assert.ok(withTask.includes('task depth { head linear channels 1 }\ntask lidar {\n  head linear classes 7\n}\nhardware board'), withTask);
  assert.deepEqual(open(withTask).services.diagnostics(URI), []);
});

test('code lenses stay on their blocks, marked stale, while the text has an error', () => {
  const services = createLanguageServices();
  services.update(URI, 1, SAMPLE);
  const good = services.codeLenses(URI);
  assert.ok(good.length >= 5);
  assert.ok(good.every((l) => !l.command!.title.startsWith('(stale')));
  // Insert a line above everything and break the model: every lens moves down one line with its block.
  const broken = '// a new first line\n' + SAMPLE.replace('  heads 3', '  heads 5');
  services.update(URI, 2, broken);
  const stale = services.codeLenses(URI);
  assert.equal(stale.length, good.length);
  for (let i = 0; i < good.length; i++) {
    assert.equal(stale[i].range.start.line, good[i].range.start.line + 1);
    assert.equal(stale[i].command!.title, `(stale: fix the errors to update) ${good[i].command!.title}`);
    assert.equal(stale[i].command!.command, '', 'a stale lens is not clickable');
  }
  // Fixed again: fresh lenses.
  services.update(URI, 3, '// a new first line\n' + SAMPLE);
  assert.ok(services.codeLenses(URI).every((l) => !l.command!.title.startsWith('(stale')));
});

test('a task that costs more MACs than dense MTL says "more", never "-x % fewer"', () => {
  // Edge-MoE: top-2 × hidden 384 = 768 = the dense MLP's 4 × 192, so experts cost what the dense MLP does; the routers
  // add D × E = 192 × 16 MACs per token per MoE layer: 129 tokens × 6 layers × 3,072 = 2.38 M MACs over ≈ 780 M for
  // the whole semseg pass (12 blocks × (12·T·D² + 2·T²·D) + patch embedding) ≈ 0.30 % more.
  const { services } = open(SAMPLE);
  const titles = services.codeLenses(URI).map((l) => l.command!.title);
  const semseg = titles.find((t) => /MAC \(/.test(t))!;
  const m = /(\d+\.\d+) % more MACs than dense MTL/.exec(semseg);
  assert.ok(m, semseg);
  assert.ok(Number(m[1]) > 0.25 && Number(m[1]) < 0.35, semseg);
  assert.ok(!titles.some((t) => /-\d.* % fewer/.test(t)), titles.join('\n'));
});
