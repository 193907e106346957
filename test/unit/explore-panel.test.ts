/** The Design Space panel's pure view model (webviews/explore/model.ts): decoding, scatter layout, table, CSV. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExploreRunView } from '../../webviews/protocol';
import { csvField, decodePoints, formatObjective, frontCsv, frontRows, nearestDot, pointValues, rampColour, scatter } from '../../webviews/explore/model';

/** Four points by hand: two on the front, one dominated, one failing the second budget. */
function view(): ExploreRunView {
  return {
    designName: 'd',
    result: {
      explore: 'e',
      target: 't',
      axes: [
        { key: 'linear', values: ['8 x 8', '16 x 16'] },
        { key: 'clock', values: ['200 MHz', '300 MHz'] },
      ],
      objectives: [
        { label: 'dsp', sense: 'minimize', unit: 'DSP slices' },
        { label: 'fps', sense: 'maximize', unit: 'frames per second' },
      ],
      budgets: [
        { text: 'fps >= 25', failed: 0 },
        { text: 'dsp < 90 %, "tight"', failed: 1 },
      ],
      front: [],
    } as unknown as ExploreRunView['result'],
    points: {
      stride: 6,
      // index, status, linear, clock, dsp, fps
      rows: [1, 0, 0, 1, 100, 30, 2, 0, 1, 0, 400, 45, 0, 1, 0, 0, 120, 20, 3, 2, 1, 1, 900, 60],
      failed: { 3: [1] },
      shown: 4,
      evaluated: 4,
    },
  };
}

test('decodePoints reads the columns back: status, choices, objectives, failed budgets by text', () => {
  const points = decodePoints(view());
  assert.equal(points.length, 4);
  assert.deepEqual(points[0], { index: 1, status: 'front', choices: [0, 1], objectives: [100, 30], failed: [] });
  assert.equal(points[2].status, 'dominated');
  assert.deepEqual(points[3].failed, ['dsp < 90 %, "tight"']);
  assert.deepEqual(pointValues(view(), points[3]), { linear: '16 x 16', clock: '300 MHz' });
});

test('scatter: ranges over the dots drawn, the front drawn last, failing points only when asked', () => {
  const points = decodePoints(view());
  const hidden = scatter(points, { x: 0, y: 1, colour: -1, showFailing: false });
  assert.equal(hidden.dots.length, 3);
  assert.deepEqual(hidden.x, { min: 100, max: 400 }, 'the failing point (900 DSP) does not stretch the axis');
  assert.deepEqual(hidden.dots.map((d) => d.status), ['dominated', 'front', 'front']);
  const dsp100 = hidden.dots.find((d) => points[d.point].index === 1)!;
  assert.equal(dsp100.x, 0);
  assert.equal(dsp100.y, (30 - 20) / (45 - 20));
  assert.equal(dsp100.c, undefined);
  const shown = scatter(points, { x: 0, y: 1, colour: 1, showFailing: true });
  assert.equal(shown.dots.length, 4);
  assert.equal(shown.dots[0].status, 'failing', 'failing points under the others');
  assert.deepEqual(shown.c, { min: 20, max: 60 });
  // A flat objective: every dot in the middle, not on an edge.
  const flat = scatter(points, { x: 0, y: 0, colour: -1, showFailing: false }).dots.map((d) => d.y);
  assert.ok(flat.every((y) => y >= 0 && y <= 1));
  const single = scatter([points[0]], { x: 0, y: 1, colour: -1, showFailing: false });
  assert.equal(single.dots[0].x, 0.5);
});

test('nearestDot finds the dot under the pointer within the radius, else nothing', () => {
  const s = scatter(decodePoints(view()), { x: 0, y: 1, colour: -1, showFailing: false });
  const hit = nearestDot(s, 0.01, 0.4, 0.05);
  assert.equal(hit && decodePoints(view())[hit.point].index, 1);
  assert.equal(nearestDot(s, 0.5, 0.5, 0.05), undefined);
  // A failing point nearer the pointer than a front point still in reach: the front point is the one under it.
  const failingNear = scatter(decodePoints(view()), { x: 0, y: 1, colour: -1, showFailing: true });
  const frontDot = failingNear.dots.find((d) => d.status === 'front')!;
  const failingDot = failingNear.dots.find((d) => d.status === 'failing')!;
  const picked = nearestDot({ ...failingNear, dots: [{ ...failingDot, x: frontDot.x + 0.001, y: frontDot.y }, frontDot] }, frontDot.x + 0.002, frontDot.y, 0.05);
  assert.equal(picked?.status, 'front');
});

test('frontRows sorts the front by an objective or by a key in its written order', () => {
  const v = view();
  const points = decodePoints(v);
  assert.deepEqual(frontRows(v, points, { column: 'objective:1', descending: true }).map((r) => r.index), [2, 1]);
  assert.deepEqual(frontRows(v, points, { column: 'objective:0', descending: false }).map((r) => r.index), [1, 2]);
  assert.deepEqual(frontRows(v, points, { column: 'axis:1', descending: false }).map((r) => r.values[1]), ['200 MHz', '300 MHz']);
});

test('CSV: RFC 4180 quoting, one header with units, exact numbers', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  const v = view();
  const csv = frontCsv(v, frontRows(v, decodePoints(v), { column: 'objective:0', descending: false }));
  assert.equal(csv, 'point,linear,clock,dsp (DSP slices),fps (frames per second)\r\n1,8 x 8,300 MHz,100,30\r\n2,16 x 16,200 MHz,400,45\r\n');
});

test('objective formatting and the colour ramp', () => {
  assert.equal(formatObjective(0.0123, 'seconds'), '12.3 ms');
  assert.equal(formatObjective(1656.4, 'DSP slices'), '1656 DSP');
  assert.equal(formatObjective(31.94, 'frames per second'), '31.9 FPS');
  assert.equal(rampColour(0), 'rgb(68, 1, 84)');
  assert.equal(rampColour(1), 'rgb(253, 231, 37)');
  assert.equal(rampColour(2), rampColour(1), 'clamped');
});
