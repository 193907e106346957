/** Budgets evaluated by the engine become diagnostics at the budget line: violated → error, near → warning. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../language/src/analyze';
import { budgetDiagnostics } from '../../language/src/budgetDiagnostics';
import { analyzeDesign } from '../../engine/analyze';

const sample = readFileSync(join(__dirname, '..', '..', 'samples', 'edge-moe-zcu102.m3v'), 'utf8');

function diagnosticsFor(text: string) {
  const analysis = analyzeDocument(text);
  assert.ok(analysis.design, analysis.diagnostics.map((d) => d.message).join('\n'));
  return budgetDiagnostics(analyzeDesign(analysis.design).budgets).map((d) => ({
    ...d,
    line: text.slice(d.span.start, d.span.end),
  }));
}

test('the Edge-MoE sample meets its budgets: no budget diagnostic', () => {
  assert.deepEqual(diagnosticsFor(sample), []);
});

test('a violated on-chip budget is an error at its line, worded with the measured share', () => {
  const text = sample.replace(/onchip\s+<\s*75\s*%/, 'onchip  < 10 %');
  const diags = diagnosticsFor(text);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].severity, 'error');
  assert.equal(diags[0].code, 'budget-violated');
  assert.match(diags[0].line, /^onchip\s+< 10 %/);
  assert.match(diags[0].message, /^on-chip \d+\.\d % of BRAM\+URAM exceeds the 10 % budget$/);
});

test('a budget met within 10 % of its limit is a warning', () => {
  // Find the analysed latency of semseg and put the limit 5 % above it.
  const analysis = analyzeDocument(sample);
  const report = analyzeDesign(analysis.design!);
  const latency = report.budgets.find((b) => b.metric === 'latency')!.value!;
  const limitMs = ((latency * 1.05) * 1e3).toFixed(3);
  const diags = diagnosticsFor(sample.replace(/latency semseg < 40 ms/, `latency semseg < ${limitMs} ms`));
  assert.equal(diags.length, 1);
  assert.equal(diags[0].severity, 'warning');
  assert.equal(diags[0].code, 'budget-near-limit');
  assert.match(diags[0].message, /^latency of semseg \d+\.\d ms is within 10 % of the \d+\.\d ms budget$/);
});
