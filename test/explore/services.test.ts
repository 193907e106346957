/**
 * Editor features of the explore block through the same language services the server uses: completion of keys and
 * values, hover on a varied key and on the block's name, the code lens with the point count, the outline entry, and
 * canonical formatting of multi-word list values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLanguageServices } from '../../language/src/services/index';
import { formatText } from '../../language/src/services/format';
import { SAMPLES } from './helpers';

const BASE = readFileSync(join(SAMPLES, 'edge-moe-zcu102.m3v'), 'utf8').replace(/\nexplore [\s\S]*$/, '\n');

function at(text: string, marker: string) {
  const offset = text.indexOf(marker);
  assert.ok(offset >= 0, marker);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { clean: text.replace(marker, ''), position: { line, character: offset - before.lastIndexOf('\n') - 1 } };
}

function services(text: string) {
  const s = createLanguageServices();
  s.update('file:///d.m3v', 1, text);
  return s;
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);

test('completion: explore keys, varied keys, their values, units after a clock, tasks of an objective, targets', () => {
  const cases: [string, string[]][] = [
    ['explore e {\n  |\n}\n', ['target', 'vary', 'minimize', 'maximize', 'seed']],
    ['explore e {\n  vary |\n}\n', ['experts', 'top_k', 'linear', 'clock', 'schedule']],
    ['explore e {\n  vary schedule [|\n}\n', ['expert_by_expert', 'token_by_token', 'all_resident']],
    ['explore e {\n  vary weights |\n}\n', ['fixed', 'int8', 'float16', 'float32']],
    ['explore e {\n  vary clock 200 |\n}\n', ['MHz', 'GHz']],
    ['explore e {\n  minimize |\n}\n', ['latency', 'energy', 'onchip', 'dsp', 'traffic']],
    ['explore e {\n  minimize latency |\n}\n', ['semseg', 'depth']],
    ['explore e {\n  maximize |\n}\n', ['fps']],
    ['explore e {\n  target |\n}\n', ['zcu102']],
  ];
  for (const [block, expected] of cases) {
    const { clean, position } = at(BASE + block.replace('|', '@@'), '@@');
    const got = labels(services(clean).completion('file:///d.m3v', position));
    for (const e of expected) assert.ok(got.includes(e), `${JSON.stringify(block)}: ${e} in ${got.join(' ')}`);
  }
});

test('hover on a varied key, on the explore name; code lens with the point count; outline', () => {
  const text = BASE + 'explore fit {\n  vary experts [8, 16, 32]\n  vary clock 200 MHz .. 300 MHz step 50 MHz\n  minimize latency semseg\n}\n';
  const s = services(text);
  const hv = (marker: string) => {
    const { position } = at(text.replace(marker, '@@' + marker), '@@');
    return JSON.stringify(s.hover('file:///d.m3v', position)?.contents ?? null);
  };
  assert.match(hv('clock 200'), /Clock of the accelerator.*3 values: `200 MHz`, `250 MHz`, `300 MHz`/);
  assert.match(hv('fit {'), /9 points \(experts 3 × clock 3\) · every point on zcu102.*Constraints: `latency semseg < 40 ms`/);
  const lens = s.codeLenses('file:///d.m3v').find((l) => l.command?.title.includes('points'));
  assert.equal(lens?.command?.title, '9 points (experts 3 × clock 3) · every point on zcu102');
  assert.equal(lens?.range.start.line, text.slice(0, text.indexOf('explore fit')).split('\n').length - 1);
  const symbol = s.documentSymbols('file:///d.m3v').find((x) => x.name === 'fit');
  assert.equal(symbol?.detail, 'explore · 9 points (experts 3 × clock 3) · every point on zcu102');
});

test('formatting keeps multi-word list values whole and aligns the block', () => {
  const messy = BASE + 'explore f {\nvary linear [16x16,   32 x 16]\n   vary weights [fixed<16,2>,int8]\nminimize   latency semseg\n}\n';
  const formatted = formatText(messy)!;
  assert.ok(formatted.endsWith('explore f {\n  vary     linear [16x16, 32 x 16]\n  vary     weights [fixed<16,2>, int8]\n  minimize latency semseg\n}\n'), formatted.slice(-200));
  assert.equal(formatText(formatted), formatted, 'idempotent');
});
