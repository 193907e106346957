/**
 * The exported report (webviews/export): the CSP hash of its one style is the real SHA-256 (checked against
 * node:crypto), text is escaped, nothing external is referenced, numbers keep their exact value, CSV is RFC 4180.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256Base64 } from '../../../webviews/export/sha256';
import { barChartSvg, reportCsp, reportHtml, tableCsv, type Report } from '../../../webviews/export/report';
import { reportOfMessage } from '../../../webviews/export/panelReports';
import { PROTOCOL_VERSION, isWebviewMessage } from '../../../webviews/protocol';

test('sha256Base64 equals node:crypto for empty, ASCII, multi-block and non-ASCII text', () => {
  for (const text of ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'µs · ≥ 100 % — 混合 🙂'.repeat(40)])
    assert.equal(sha256Base64(text), createHash('sha256').update(text, 'utf8').digest('base64'), `${text.length} chars`);
  // FIPS 180-2 appendix B.1: SHA-256("abc") = ba7816bf…f20015ad.
  assert.equal(Buffer.from(sha256Base64('abc'), 'base64').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

const sample: Report = {
  title: 'A <b>design</b>',
  subtitle: ['target "zcu102"'],
  notices: ['<script>alert(1)</script>'],
  tables: [{ id: 't', title: 'T', columns: ['name', 'bytes', 'fits'], rows: [['a,b', 1234567, true], ['q"x', 0.000123456, false]] }],
  charts: [
    { id: 'c', title: 'latency', svg: barChartSvg('latency', ['s1', 's2'], [2, 4], 'ms') },
    { id: 'bad', title: 'dropped', png: 'https://example.invalid/x.png' },
  ],
};

test('the HTML is self-contained: a strict CSP whose style hash matches its <style>, no script, no external URL', () => {
  const html = reportHtml(sample);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  assert.ok(html.includes(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`));
  assert.match(reportCsp(), /^default-src 'none'; /);
  assert.doesNotMatch(html, /<script/i, 'no script element (the notice is escaped)');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.doesNotMatch(html, /(src|href)="(https?:|\/\/)/, 'nothing fetched');
  assert.ok(!html.includes('example.invalid'), 'a chart that is neither our SVG nor a PNG data URI is dropped');
  assert.ok(html.includes('<td class="num" data-value="1234567">1,234,567</td>'));
  assert.ok(html.includes('data-value="0.000123456">1.235e-4</td>'));
  assert.ok(html.includes('<td data-value="true">yes</td>'));
  // The SVG bar of 4 ms is twice as long as the bar of 2 ms (plot width 420 at the maximum).
  const widths = [...html.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(widths, [210, 420]);
});

test('CSV quotes commas and quotes and keeps exact numbers', () => {
  assert.equal(tableCsv(sample.tables[0]), 'name,bytes,fits\r\n"a,b",1234567,true\r\n"q""x",0.000123456,false\r\n');
});

test('a Run view becomes a report with the seeded notice, the CPU label and the tokens per expert', () => {
  const r = reportOfMessage({
    v: PROTOCOL_VERSION, type: 'run', seq: 1, uri: 'file:///d.m3v',
    view: { task: 'semseg', latencyMs: 12.5, threads: 2, weights: { seeded: true, source: 'seeded weights (seed 0)' }, grid: { rows: 1, cols: 2 }, layers: [{ layer: 1, expertLoad: [3, 1], patchTopExpert: [0, 1] }] },
  });
  assert.ok(r);
  assert.equal(r.notices[0], 'seeded weights — predictions are meaningless; routing is real for these weights (seed 0)');
  assert.equal(r.tables[0].title, 'Measured on CPU (onnxruntime, 2 threads)');
  assert.deepEqual(r.tables[1].rows, [[1, 3, 1]]);
});

test('export messages are checked: bare file names only, bounded size', () => {
  const m = (files: unknown[]) => ({ v: PROTOCOL_VERSION, type: 'exportReport', panel: 'run', format: 'csv', files });
  assert.ok(isWebviewMessage(m([{ name: 'm3v-run-t.csv', text: 'a' }])));
  assert.ok(!isWebviewMessage(m([{ name: '../x.csv', text: 'a' }])));
  assert.ok(!isWebviewMessage(m([{ name: '/etc/passwd', text: 'a' }])));
  assert.ok(!isWebviewMessage(m([{ name: '.bashrc', text: 'a' }])));
  assert.ok(!isWebviewMessage(m([{ name: 'a.csv', text: 'a', base64: 'YQ==' }])), 'one of text or base64');
  assert.ok(!isWebviewMessage(m(Array.from({ length: 65 }, (_, i) => ({ name: `f${i}.csv`, text: '' })))));
});
