import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimate, panWindow, zoomWindow } from '../../../webviews/schedule/decimate';
import type { ScheduleEvent } from '../../../webviews/protocol';

const ev = (lane: number, start: number, end: number, kind = 'compute'): ScheduleEvent => ({ lane, start, end, kind, label: `${start}` });

test('wide events are drawn one by one; sub-pixel runs merge into one bar per pixel', () => {
  // 100 cycles over 10 px = 10 cycles per pixel.
  const events = [ev(0, 0, 50), ...Array.from({ length: 20 }, (_, i) => ev(0, 50 + i, 51 + i))];
  const bars = decimate(events, 0, 100, 10);
  assert.deepEqual(bars[0], { lane: 0, start: 0, end: 50, index: 0, count: 1, kind: 'compute' });
  // 20 one-cycle events (50..70) merge into bars of ≥ 10 cycles: [50,60] then [60,70].
  assert.deepEqual(bars.slice(1).map((b) => [b.start, b.end, b.count, b.index]), [[50, 60, 10, -1], [60, 70, 10, -1]]);
});

test('events outside the window are dropped; lanes stay separate; mixed kinds are marked', () => {
  const events = [ev(1, 0, 1, 'load'), ev(1, 1, 2, 'compute'), ev(0, 500, 900), ev(0, 2, 3)];
  const bars = decimate(events, 0, 100, 10);
  assert.deepEqual(bars.map((b) => [b.lane, b.start, b.end, b.kind]), [[0, 2, 3, 'compute'], [1, 0, 2, 'mixed']]);
});

test('property: bar count is bounded by lanes × (2·pixels + 1) and every busy cycle stays covered', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ lane: fc.integer({ min: 0, max: 3 }), start: fc.integer({ min: 0, max: 10_000 }), len: fc.integer({ min: 1, max: 300 }) }), { maxLength: 400 }),
      fc.integer({ min: 10, max: 200 }),
      (raw, pixels) => {
        const events = raw.map((r) => ev(r.lane, r.start, r.start + r.len));
        const bars = decimate(events, 0, 10_300, pixels);
        assert.ok(bars.length <= 4 * (2 * pixels + 1));
        const drawn = bars.reduce((n, b) => n + b.count, 0);
        assert.equal(drawn, events.length);
        for (const e of events) {
          assert.ok(bars.some((b) => b.lane === e.lane && b.start <= e.start && b.end >= e.end));
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('zoom keeps the anchor cycle under the cursor and clamps to the makespan', () => {
  const z = zoomWindow(0, 1000, 250, 0.5, 1000);
  assert.deepEqual(z, { start: 125, end: 625 });
  // anchor 250 sits at 25 % of both windows
  assert.equal((250 - z.start) / (z.end - z.start), 0.25);
  assert.deepEqual(zoomWindow(0, 1000, 500, 4, 1000), { start: 0, end: 1000 });
  assert.deepEqual(zoomWindow(0, 1000, 500, 0.0001, 1000), { start: 495, end: 505 });
});

test('pan clamps at both ends', () => {
  assert.deepEqual(panWindow(100, 200, -500, 1000), { start: 0, end: 100 });
  assert.deepEqual(panWindow(100, 200, 5000, 1000), { start: 900, end: 1000 });
  assert.deepEqual(panWindow(100, 200, 50, 1000), { start: 150, end: 250 });
});
