import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWebviewMessage, PROTOCOL_VERSION } from '../../../webviews/protocol';

test('accepts each well-formed webview message', () => {
  const ok = [
    { v: PROTOCOL_VERSION, type: 'ready', panel: 'resources' },
    { v: PROTOCOL_VERSION, type: 'reveal', link: { uri: 'file:///a.m3v', start: 3, end: 9 } },
    { v: PROTOCOL_VERSION, type: 'selectTask', task: 'semseg' },
    { v: PROTOCOL_VERSION, type: 'selectTarget', target: 'zcu102' },
    { v: PROTOCOL_VERSION, type: 'useTraceAsRouting' },
    { v: PROTOCOL_VERSION, type: 'rendered', panel: 'schedule', seq: 4 },
  ];
  for (const m of ok) assert.equal(isWebviewMessage(m), true, JSON.stringify(m));
});

test('rejects other versions, unknown types and malformed fields', () => {
  const bad: unknown[] = [
    null,
    'ready',
    { type: 'ready', panel: 'resources' },
    { v: PROTOCOL_VERSION + 1, type: 'ready', panel: 'resources' },
    { v: PROTOCOL_VERSION, type: 'ready', panel: 'designer' },
    { v: PROTOCOL_VERSION, type: 'reveal', link: { uri: 'x', start: 1.5, end: 2 } },
    { v: PROTOCOL_VERSION, type: 'reveal' },
    { v: PROTOCOL_VERSION, type: 'selectTask', task: 3 },
    { v: PROTOCOL_VERSION, type: 'rendered', panel: 'run' },
    { v: PROTOCOL_VERSION, type: 'deleteFile' },
  ];
  for (const m of bad) assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
});
