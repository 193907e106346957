/**
 * Every checker error kind: each case edits the valid BASE design once, marks the expected range with ⟦…⟧, and
 * asserts the single diagnostic's exact message and range (one typo ⇒ one diagnostic) and that no design is built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../language/src/analyze';
import { analyzeMarked, BASE } from './fixture';

interface Case {
  name: string;
  from: string;
  to: string;
  message: string;
  severity?: 'error' | 'warning';
}

const CASES: Case[] = [
  { name: 'unknown key with suggestion', from: 'clock 300 MHz', to: '⟦clok⟧ 300 MHz', message: "unknown key 'clok' in hardware 'zcu102' (did you mean 'clock'?)" },
  { name: 'unknown key without suggestion lists valid keys', from: '  depth 12\n', to: '  depth 12\n  ⟦zzz⟧ 1\n', message: "unknown key 'zzz' in model 'tiny'; valid keys: input, patch, dim, heads, depth, mlp, cls, normalize, eps, moe" },
  { name: 'unknown block', from: 'scenario drive', to: '⟦scenari⟧ drive', message: "unknown block 'scenari' (did you mean 'scenario'?)" },
  { name: 'misspelled model keyword is one diagnostic', from: 'model tiny', to: '⟦modle⟧ tiny', message: "unknown block 'modle' (did you mean 'model'?)" },
  { name: 'missing required key', from: '  heads 3\n', to: '', message: "model 'tiny' is missing 'heads' (heads N)", },
  { name: 'missing clock', from: '  clock 300 MHz\n', to: '', message: "hardware 'zcu102' has no 'clock' (e.g. 'clock 300 MHz'): the catalog cannot know your design's clock" },
  { name: 'duplicate key', from: '  dim 192\n', to: '  dim 192\n  ⟦dim⟧ 192\n', message: "'dim' is already set on line 4" },
  { name: 'wrong dimension names both', from: 'clock 300 MHz', to: 'clock ⟦19.2 GB/s⟧', message: 'expected a frequency, got 19.2 GB/s' },
  { name: 'unknown unit with suggestion', from: 'clock 300 MHz', to: 'clock 300 ⟦Mhz⟧', message: "unknown unit 'Mhz' (did you mean 'MHz'?)" },
  { name: 'missing unit', from: 'clock 300 MHz', to: 'clock ⟦300⟧', message: "'clock' needs a unit: expected a frequency, e.g. 300 MHz" },
  { name: 'wrong value form', from: 'dim 192', to: 'dim ⟦wide⟧', message: "'dim' expects a whole width, e.g. 192, got 'wide'" },
  { name: 'not an integer', from: 'depth 12', to: 'depth ⟦12.5⟧', message: "'depth' must be a whole number, got 12.5" },
  { name: 'zero experts', from: 'experts 16', to: 'experts ⟦0⟧', message: "'experts' must be greater than 0, got 0" },
  { name: 'negative clock', from: 'clock 300 MHz', to: 'clock ⟦-300 MHz⟧', message: "'clock' must be greater than 0, got -300 MHz" },
  { name: 'zero bandwidth', from: 'clock 300 MHz', to: 'clock 300 MHz\n  bandwidth ⟦0 GB/s⟧', message: "'bandwidth' must be greater than 0, got 0 GB/s" },
  { name: 'zero-width linear array', from: 'clock 300 MHz', to: 'clock 300 MHz\n  linear ⟦0⟧ x 16', message: "'linear' must be greater than 0, got 0" },
  { name: 'extra words', from: 'layers odd', to: 'layers odd ⟦extra⟧', message: "unexpected 'extra' after the value of 'layers'" },
  { name: 'unknown enum value', from: 'clock 300 MHz', to: 'clock 300 MHz\n  schedule ⟦expert_by_expet⟧', message: "unknown schedule 'expert_by_expet' (did you mean 'expert_by_expert'?)" },
  { name: 'bad fixed format', from: 'clock 300 MHz', to: 'clock 300 MHz\n  weights fixed<16,⟦20⟧>', message: 'bad fixed-point format: integer bits 20 must be a whole number in 0..16' },
  { name: 'dim divisible by heads', from: 'heads 3', to: 'heads ⟦5⟧', message: 'dim 192 is not divisible by heads 5 (each head needs dim / heads channels)' },
  { name: 'input divisible by patch', from: 'input 3 x 128 x 256', to: 'input 3 x ⟦120⟧ x 256', message: 'input height 120 is not divisible by the patch height 16' },
  { name: 'top_k within experts', from: 'top_k 2', to: 'top_k ⟦17⟧', message: 'top_k 17 must be between 1 and experts (16)' },
  { name: 'top_k zero', from: 'top_k 2', to: 'top_k ⟦0⟧', message: "'top_k' must be greater than 0, got 0" },
  { name: 'MoE layer out of range', from: 'layers odd', to: 'layers [1, ⟦12⟧]', message: 'MoE layer 12 is out of range: layers are 0-based and must be < depth (12)' },
  { name: 'every-from out of range', from: 'layers odd', to: 'layers ⟦every 2 from 12⟧', message: 'MoE layer 12 is out of range: layers are 0-based and must be < depth (12)' },
  { name: 'duplicate layer', from: 'layers odd', to: 'layers [1, 3, ⟦3⟧]', message: 'MoE layer 3 is listed twice' },
  { name: 'duplicate task name points at the second', from: 'hardware zcu102', to: 'task ⟦semseg⟧ { head linear classes 3 }\nhardware zcu102', message: "task 'semseg' is already declared on line 15" },
  { name: 'duplicate target name', from: 'budget zcu102 {', to: 'hardware ⟦zcu102⟧ { device zcu102; clock 1 MHz }\nbudget zcu102 {', message: "hardware target 'zcu102' is already declared on line 17" },
  { name: 'duplicate scenario name', from: 'scenario drive {', to: 'scenario drive { frames semseg; fps 1 }\nscenario ⟦drive⟧ {', message: "scenario 'drive' is already declared on line 24" },
  { name: 'second model', from: 'task semseg', to: 'model ⟦other⟧ { }\ntask semseg', message: 'only one model is allowed; the first is on line 1' },
  { name: 'second moe block', from: '  }\n}', to: '  }\n  ⟦moe⟧ { layers odd; experts 2; top_k 1; hidden 8 }\n}', message: "'moe' is already set on line 8" },
  { name: 'unknown device lists known names', from: 'device xczu9eg', to: 'device ⟦xczu9⟧', message: "unknown device 'xczu9' (did you mean 'xczu9eg'?); known devices: xczu9eg, zcu102, zu9eg, xczu7ev, zcu104, zu7ev, xck26, kv260, k26, xczu3eg, ultra96, ultra96v2, zu3eg, alveo_u50, u50, alveo, xcu50" },
  { name: 'budget target unresolved', from: 'budget zcu102', to: 'budget ⟦zcu103⟧', message: "unknown hardware target 'zcu103' (did you mean 'zcu102'?)" },
  { name: 'budget task unresolved', from: 'latency semseg', to: 'latency ⟦semsge⟧', message: "unknown task 'semsge' (did you mean 'semseg'?)" },
  { name: 'scenario task unresolved lists tasks', from: '{ semseg depth }', to: '{ semseg ⟦xyzzy⟧ }', message: "unknown task 'xyzzy'; tasks: semseg, depth" },
  { name: 'budget percentage range', from: 'latency semseg < 40 ms', to: 'dsp < ⟦120 %⟧', message: 'a share must be within 0..100 %, got 120 %' },
  { name: 'budget comparison missing', from: 'latency semseg < 40 ms', to: 'latency semseg ⟦40⟧ ms', message: "budget 'latency' needs a comparison (< <= > >=) then a limit, got '40'" },
  { name: 'scenario fps > 0', from: 'fps 30', to: 'fps ⟦0⟧', message: 'fps must be greater than 0, got 0' },
  { name: 'empty frames', from: 'frames repeat 2 { semseg depth }', to: '⟦frames⟧ repeat 2 { }', message: "'frames' lists no task: write e.g. 'frames semseg depth' or 'frames repeat 10 { semseg depth }'" },
  { name: 'repeat needs a count', from: 'repeat 2', to: 'repeat ⟦two⟧', message: "'repeat' needs a whole number of times ≥ 1, got 'two'" },
  { name: 'cls head with channels', from: 'head linear channels 1', to: 'head cls ⟦channels⟧ 1', message: "a 'cls' head classifies the cls token: use 'classes N', not 'channels'" },
  { name: 'width only on pup heads', from: 'head linear channels 1', to: 'head linear channels 1 ⟦width⟧ 64', message: "'width' applies only to a 'pup' head" },
  { name: 'unclosed brace', from: 'task depth { head linear channels 1 }', to: 'task depth ⟦{⟧ head linear channels 1', message: "'{' opened here is never closed" },
  { name: 'stray brace', from: 'budget zcu102 {', to: '⟦}⟧\nbudget zcu102 {', message: "unexpected '}': no block is open here" },
  { name: 'bad character', from: 'clock 300 MHz', to: 'clock 300 MHz ⟦§⟧', message: "unexpected character '§'" },
  { name: 'missing name', from: 'hardware zcu102', to: '⟦task⟧ { head linear classes 3 }\nhardware zcu102', message: "'task' needs a name: task NAME { … }" },
  { name: 'missing block (its name still resolves)', from: 'task depth { head linear channels 1 }', to: '⟦task depth⟧', message: "'task' needs a block: task NAME { … }" },
  { name: 'block where none belongs', from: 'clock 300 MHz', to: 'clock 300 MHz ⟦{⟧ }', message: "'clock' does not take a '{ … }' block" },
  { name: 'bandwidth above 1 TB/s is a warning', from: 'clock 300 MHz', to: 'clock 300 MHz\n  bandwidth ⟦2000 GB/s⟧', message: 'bandwidth 2000 GB/s is above 1 TB/s: check the unit', severity: 'warning' },
  { name: 'unknown energy kind', from: 'clock 300 MHz', to: 'clock 300 MHz\n  energy ⟦dram⟧ 1 pJ/B', message: "'energy' expects mac|onchip|ddr|offchip and a value, got 'dram'" },
  { name: 'energy per byte needs a per-byte unit', from: 'clock 300 MHz', to: 'clock 300 MHz\n  energy ddr ⟦1 pJ⟧', message: 'expected an energy per byte, got 1 pJ' },
  { name: 'repeat without a block', from: 'repeat 2 { semseg depth }', to: '⟦repeat 2⟧', message: "'repeat N' must be followed by a '{ … }' block of tasks" },
  { name: 'too many frames', from: 'repeat 2 { semseg depth }', to: 'repeat 100000 ⟦{⟧ repeat 100 { semseg } }', message: 'the scenario expands to more than 1000000 frames' },
  { name: 'negative task weight', from: 'head linear channels 1', to: 'head linear channels 1; weight ⟦-1⟧', message: "'weight' must be a number ≥ 0, got -1" },
  { name: 'negative static power', from: 'clock 300 MHz', to: 'clock 300 MHz\n  power static ⟦-1 W⟧', message: "'power static' must not be negative, got -1 W" },
  { name: 'unterminated string', from: 'hidden 384', to: 'hidden 384\n    routing trace ⟦"a.json⟧', message: `string is not closed: expected '"' before the end of the line` },
  { name: 'unterminated comment is one diagnostic', from: 'hidden 384', to: 'hidden 384 ⟦/*⟧ unclosed', message: "comment '/*' is never closed" },
  { name: 'unclosed list is one diagnostic', from: 'layers odd', to: 'layers ⟦[⟧1, 3', message: "'[' opened here is never closed" },
  { name: 'stray bracket', from: 'layers odd', to: 'layers odd ⟦]⟧', message: "unexpected ']': no list is open here" },
  { name: 'bad list item', from: 'layers odd', to: 'layers [1, ⟦x⟧]', message: "'layers' expects a list of 0-based layer indices such as [1, 3, 5], got 'x'" },
  { name: 'unknown enum with no close match lists values', from: '  depth 12\n', to: '  depth 12\n  cls ⟦maybe⟧\n', message: "unknown cls setting 'maybe'; expected one of: on, off" },
  { name: 'fixed format needs two numbers', from: 'clock 300 MHz', to: 'clock 300 MHz\n  weights ⟦fixed<16>⟧', message: 'bad fixed-point format: write fixed<W,I>, e.g. fixed<16,2>' },
  { name: 'dims need x', from: 'clock 300 MHz', to: 'clock 300 MHz\n  linear 16 ⟦16⟧', message: "'linear' expects IN x OUT [units N], e.g. 16 x 16 units 2, got '16'" },
  // The board's memory system (issue: bad values get located errors).
  { name: 'port of 0 bits', from: 'clock 300 MHz', to: 'clock 300 MHz\n  port weights ⟦0 bit⟧', message: "'port weights' must be greater than 0, got 0 bit" },
  { name: 'port width not whole bytes', from: 'clock 300 MHz', to: 'clock 300 MHz\n  port acts 2 x ⟦12 bit⟧', message: 'port width 12 bit must be a whole number of bytes (a multiple of 8 bits), as AXI data widths are' },
  { name: 'zero linear units', from: 'clock 300 MHz', to: 'clock 300 MHz\n  linear 16 x 16 units ⟦0⟧', message: "'linear' must be greater than 0, got 0" },
  // One word of a 16 × 16 array at fixed<16,2> is 16·16·2 B = 512 B.
  { name: 'weight buffer below one tile', from: 'clock 300 MHz', to: 'clock 300 MHz\n  weight_buffer ⟦1 B⟧', message: "weight_buffer 1 B cannot hold one weight tile of the linear array (512 B); write a larger size or 'whole'" },
  { name: 'unknown queue layout', from: 'clock 300 MHz', to: 'clock 300 MHz\n  queues ⟦compacted⟧', message: "unknown queue layout 'compacted' (did you mean 'compact'?)" },
  { name: 'prefetch takes on or off', from: 'clock 300 MHz', to: 'clock 300 MHz\n  prefetch ⟦yes⟧', message: "unknown prefetch 'yes'; expected one of: on, off" },
  { name: 'eps must be positive', from: '  depth 12\n', to: '  depth 12\n  eps ⟦0⟧\n', message: "'eps' must be greater than 0, got 0" },
  { name: 'implausible depth', from: 'depth 12', to: 'depth ⟦1000000000⟧', message: "'depth' 1000000000 is implausibly large (at most 4096)" },
  { name: 'duplicate frames', from: '{ semseg depth }', to: '{ semseg depth }\n  ⟦frames⟧ depth', message: "'frames' is already set on line 25" },
  { name: 'negative resource override', from: 'clock 300 MHz', to: 'clock 300 MHz\n  uram ⟦-1⟧', message: "'uram' must not be negative, got -1" },
  { name: 'clock above 1 GHz is a warning', from: 'clock 300 MHz', to: 'clock ⟦1.5 GHz⟧', message: 'clock 1.5 GHz is above 1 GHz: unusual for FPGA fabric', severity: 'warning' },
];

for (const c of CASES) {
  test(`checker: ${c.name}`, () => {
    const source = BASE.replace(c.from, c.to);
    assert.notEqual(source, BASE, `fixture edit did not apply: ${c.from}`);
    const { analysis, spans, text } = analyzeMarked(source);
    const got = analysis.diagnostics.map((d) => ({ message: d.message, range: text.slice(d.span.start, d.span.end), severity: d.severity }));
    const expectedRange = spans.length ? text.slice(spans[0].start, spans[0].end) : undefined;
    assert.equal(analysis.diagnostics.length, 1, JSON.stringify(got));
    const d = analysis.diagnostics[0];
    assert.equal(d.message, c.message);
    assert.equal(d.severity, c.severity ?? 'error');
    if (spans.length) assert.deepEqual(d.span, spans[0], `range ${JSON.stringify(got[0].range)} vs ${JSON.stringify(expectedRange)}`);
    if ((c.severity ?? 'error') === 'error') assert.equal(analysis.design, undefined);
    else assert.ok(analysis.design);
  });
}

test('missing required key is reported at the block name', () => {
  const text = BASE.replace('  heads 3\n', '');
  const a = analyzeDocument(text);
  assert.equal(text.slice(a.diagnostics[0].span.start, a.diagnostics[0].span.end), 'tiny');
});

test('one typo ⇒ one diagnostic: a misspelled required key does not also report it missing', () => {
  const a = analyzeDocument(BASE.replace('  experts 16', '  expert 16'));
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['unknown-key']);
  assert.equal(a.diagnostics[0].message, "unknown key 'expert' in 'moe' (did you mean 'experts'?)");
});

test('a missing model is reported', () => {
  const a = analyzeDocument('task a { head linear classes 1 }\n');
  assert.deepEqual(a.diagnostics.map((d) => d.message), ["the design has no 'model NAME { … }' block"]);
});

test('a model without tasks is reported', () => {
  const a = analyzeDocument(BASE.slice(0, BASE.indexOf('task semseg')));
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['no-tasks']);
});

test('cls head on a model without cls token', () => {
  const a = analyzeDocument(BASE.replace('  mlp 4x\n', '  mlp 4x\n  cls off\n').replace('head linear channels 1', 'head cls classes 10'));
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['cls-head-no-token']);
});

test('the file is still checked after an error: two independent typos give two diagnostics', () => {
  const a = analyzeDocument(BASE.replace('clock 300 MHz', 'clok 300 MHz').replace('fps 30', 'fps 0'));
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['unknown-key', 'fps-positive']);
});

test('references are recorded for every use, resolved or not', () => {
  const a = analyzeDocument(BASE.replace('latency semseg', 'latency nope'));
  assert.deepEqual(
    a.references.map((r) => `${r.kind}:${r.name}`),
    ['hardware:zcu102', 'task:nope', 'task:semseg', 'task:depth'],
  );
  for (const r of a.references) assert.equal(a.text.slice(r.span.start, r.span.end), r.name);
});

test('a selector that picks no layer is reported at the selector', () => {
  const text = BASE.replace('depth 12', 'depth 1');
  const a = analyzeDocument(text);
  assert.deepEqual(a.diagnostics.map((d) => [d.message, text.slice(d.span.start, d.span.end)]), [['the layer selector picks no layer of a 1-layer model', 'odd']]);
});

test('a huge repeat is refused before it is expanded (no allocation, no spinning)', () => {
  const a = analyzeDocument(BASE.replace('repeat 2 { semseg depth }', 'repeat 1000000000000 { semseg }'));
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['too-many-frames']);
  const empty = analyzeDocument(BASE.replace('repeat 2 { semseg depth }', 'semseg repeat 1000000000000 { }'));
  assert.deepEqual(empty.design?.scenarios[0].frames, ['semseg']);
});

test('a missing `{` gives the missing-block error and the stray `}`, not one error per orphaned key', () => {
  const moe = analyzeDocument(BASE.replace('  moe {', '  moe'));
  assert.deepEqual(moe.diagnostics.map((d) => d.code), ['stray-brace', 'missing-block']);
  const task = analyzeDocument(BASE.replace('task depth { head linear channels 1 }', 'task depth\n  head linear channels 1\n}'));
  assert.deepEqual(task.diagnostics.map((d) => d.code), ['stray-brace', 'missing-block']);
});

test('moe keys outside a moe block are reported once, where the first one is (syntax errors come first)', () => {
  const text = BASE.replace('  moe {\n', '');
  const a = analyzeDocument(text);
  assert.deepEqual(a.diagnostics.map((d) => [d.code, d.message, text.slice(d.span.start, d.span.end)]), [
    ['stray-brace', "unexpected '}': no block is open here", '}'],
    ['misplaced-key', "'layers' belongs in a 'moe { … }' block", 'layers'],
  ]);
});

test('a misspelled block key (`mo` for `moe`) without its `{` does not also report its orphaned keys', () => {
  const a = analyzeDocument(BASE.replace('  moe {', '  mo'));
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['stray-brace', 'unknown-key']);
});

test('a bare block is reported at its brace and does not make the enclosing keys "missing"', () => {
  const text = BASE.replace('  moe {\n    layers odd', '  moe {\n    { layers odd }');
  const a = analyzeDocument(text);
  assert.deepEqual(a.diagnostics.map((d) => [d.message, text.slice(d.span.start, d.span.end)]), [["a '{ … }' block needs a key or block name before it", '{']]);
});
