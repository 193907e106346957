/**
 * The schedule events' wire form (language/src/server/protocol.ts encodeEvents/decodeEvents): columns with string
 * tables. Every field a panel reads must cross it — the expert id the Gantt chart writes on expert bars and the count
 * of an aggregate were once dropped, so VS Code and the designer drew expert bars without their ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvents, encodeEvents, EVENT_COLUMNS } from '../../language/src/server/protocol';
import type { ScheduleEvent } from '../../webviews/protocol';

const uri = 'file:///w/design.m3v';

test('encode → decode gives back every field of every event (expert ids and aggregate counts included)', () => {
  const events: ScheduleEvent[] = [
    { lane: 0, start: 0, end: 416, label: 'load gate', kind: 'load', task: 'semseg', layer: 1, link: { uri, start: 10, end: 20 } },
    {
      lane: 3,
      start: 1380712,
      end: 1385640,
      label: 'expert 0 fc1 192→384 + GELU',
      kind: 'linear',
      task: 'semseg',
      layer: 1,
      buffer: 'ping',
      expert: 0,
      link: { uri, start: 10, end: 20 },
    },
    { lane: 1, start: 1385640, end: 1394912, label: 'load fc2', kind: 'load', task: 'semseg', layer: 1, buffer: 'pong', expert: 15 },
    { lane: 4, start: 5, end: 900, label: '1,234 events (vector)', kind: 'vector', task: 'semseg', count: 1234 },
  ];
  const encoded = encodeEvents(events, uri);
  assert.equal(encoded.rows.length, events.length * EVENT_COLUMNS);
  assert.deepEqual(decodeEvents(encoded), events);
});

test('string tables: a label used twice is stored once', () => {
  const e: ScheduleEvent = { lane: 0, start: 0, end: 1, label: 'add1', kind: 'vector', task: 't' };
  const encoded = encodeEvents([e, { ...e, start: 1, end: 2 }], uri);
  assert.deepEqual(encoded.labels, ['add1']);
});
