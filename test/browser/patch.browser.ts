/**
 * webviews/shared/patch.ts in a real DOM (Chromium): the panels' update path changes text in place — the same rows,
 * cells and chart boxes stay in the document (no subtree is torn down, so a canvas stays attached), attributes an
 * update no longer sets are removed, link rows call their current handler, and an unchanged update mutates nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, repoRoot } from './harness';

let browser: Browser;
let page: Page;

before(async () => {
  // The module as the panels get it, bundled for the page and exposed as window.m3vPatch.
  const bundle = buildSync({ entryPoints: [join(repoRoot, 'webviews', 'shared', 'patch.ts')], bundle: true, format: 'iife', globalName: 'm3vPatch', write: false, target: 'es2022' });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><body><main id="root"></main></body>');
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  // tsx compiles this file with esbuild's keepNames: functions named in the evaluated code call its __name helper.
  await page.addScriptTag({ content: 'window.__name = (f) => f;' });
});
after(async () => {
  await browser?.close();
});

test('patchTable reuses its rows and cells, updates text and attributes, and drops what a view no longer has', async () => {
  const r = await page.evaluate(() => {
    const { patchTable, tableElement } = (window as any).m3vPatch;
    const clicks: string[] = [];
    const t = tableElement('t') as HTMLTableElement;
    document.getElementById('root')!.append(t);
    patchTable(t, ['task', 'MACs'], [
      { cells: ['a', '1'], attrs: { 'data-task': 'a', class: 'violated' }, onClick: () => clicks.push('a1') },
      { cells: ['b', '2'], attrs: { 'data-task': 'b' } },
      { cells: ['c', '3'] },
    ]);
    const rows = Array.from(t.rows);
    const cells = Array.from(t.rows[1].cells);
    // Count what the second update does to the DOM.
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((rs) => records.push(...rs));
    observer.observe(t, { subtree: true, childList: true, characterData: true, attributes: true });
    patchTable(t, ['task', 'MACs'], [
      { cells: ['a', '10'], attrs: { 'data-task': 'a' }, onClick: () => clicks.push('a2') },
      { cells: ['b', '2'], attrs: { 'data-task': 'b' }, onClick: () => clicks.push('b2') },
    ]);
    records.push(...observer.takeRecords());
    t.rows[1].cells[1].click();
    t.rows[2].click();
    return {
      sameRows: rows.slice(0, 3).every((row, i) => row === t.rows[i]),
      sameCells: cells.every((c, i) => c === t.rows[1].cells[i]),
      text: t.innerText.split('\n').map((l) => l.trim()),
      rowCount: t.rows.length,
      firstClass: t.rows[1].className,
      secondClass: t.rows[2].className,
      secondTitle: t.rows[2].title,
      clicks,
      // Nodes the second update removed: only the third row; none added.
      removed: records.flatMap((m) => Array.from(m.removedNodes)).map((n) => (n as Element).tagName ?? '#text'),
      added: records.flatMap((m) => Array.from(m.addedNodes)).filter((n) => n.nodeType === 1).length,
    };
  });
  assert.ok(r.sameRows, 'the header and the rows kept are the same elements');
  assert.ok(r.sameCells, 'the cells of a kept row are the same elements');
  assert.equal(r.rowCount, 3, 'header + two rows');
  assert.deepEqual(r.text, ['task\tMACs', 'a\t10', 'b\t2']);
  // `violated` dropped (not set any more), `link` kept while the row has a handler; the row that became a link says so.
  assert.equal(r.firstClass, 'link');
  assert.equal(r.secondClass, 'link');
  assert.equal(r.secondTitle, 'Reveal in the design');
  assert.deepEqual(r.clicks, ['a2', 'b2'], 'a click runs the handler of the latest update');
  assert.deepEqual(r.removed.filter((t) => t !== '#text'), ['TR'], `only the dropped row was removed: ${r.removed.join(',')}`);
  assert.equal(r.added, 0, 'no element was added');
});

test('an unchanged update and placeChildren with the children in place mutate nothing', async () => {
  const count = await page.evaluate(() => {
    const { patchTable, tableElement, placeChildren, setText } = (window as any).m3vPatch;
    const root = document.getElementById('root')!;
    const t = tableElement('u');
    const h = document.createElement('h2');
    const box = document.createElement('div');
    box.append(document.createElement('canvas'));
    const spec = [{ cells: ['x', { text: 'met', class: 'met' }], attrs: { 'data-x': '1' } }];
    placeChildren(root, [h, box, t]);
    setText(h, 'title');
    patchTable(t, ['k', 'v'], spec);
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((rs) => records.push(...rs));
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    placeChildren(root, [h, box, t]);
    setText(h, 'title');
    patchTable(t, ['k', 'v'], spec);
    records.push(...observer.takeRecords());
    observer.disconnect();
    return records.length;
  });
  assert.equal(count, 0);
});

test('placeChildren moves only what is out of place and removes the rest', async () => {
  const r = await page.evaluate(() => {
    const { placeChildren } = (window as any).m3vPatch;
    const root = document.createElement('div');
    const [a, b, c] = ['a', 'b', 'c'].map((id) => Object.assign(document.createElement('p'), { id }));
    placeChildren(root, [a, b, c]);
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((rs) => records.push(...rs));
    observer.observe(root, { childList: true });
    placeChildren(root, [a, c]);
    records.push(...observer.takeRecords());
    return { order: Array.from(root.children).map((e) => e.id), moved: records.flatMap((m) => Array.from(m.addedNodes)).map((n) => (n as Element).id) };
  });
  assert.deepEqual(r.order, ['a', 'c']);
  // c moved up one place (b was in the way); a was not touched.
  assert.ok(!r.moved.includes('a'), `a untouched: ${r.moved.join(',')}`);
});

test('AfterPaint runs only the latest job of a burst, after a frame', async () => {
  const r = await page.evaluate(async () => {
    const { AfterPaint } = (window as any).m3vPatch;
    const work = new AfterPaint();
    const ran: number[] = [];
    for (let i = 1; i <= 3; i++) work.schedule(() => ran.push(i));
    const syncRan = ran.length;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 0), 0)));
    return { syncRan, ran, pending: work.pending };
  });
  assert.equal(r.syncRan, 0, 'nothing runs synchronously');
  assert.deepEqual(r.ran, [3], 'one run, the last job');
  assert.equal(r.pending, false);
});
