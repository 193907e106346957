/**
 * The Resources view asked for with the summary (extension/panels/speculative.ts): used only by the update that asks
 * the very same question, each guess taken once, any other guess cancelled, and a rejected guess nobody takes is
 * not an unhandled rejection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpeculativeAnswer, type ViewKey } from '../../../extension/panels/speculative';

const key: ViewKey = { uri: 'file:///d.m3v', version: 7, task: 'semseg', target: 'zcu102' };

function asked(value: string) {
  const log = { cancelled: 0 };
  return { log, ask: () => ({ answer: Promise.resolve(value), cancel: () => void log.cancelled++ }) };
}

test('the update asking the same version, task and target takes the guess, once', async () => {
  const s = new SpeculativeAnswer<string>();
  const a = asked('view 7');
  s.start(key, a.ask);
  const taken = s.take({ ...key });
  assert.ok(taken);
  assert.equal(await taken.answer, 'view 7');
  assert.equal(s.take(key), undefined, 'a guess is taken once');
  assert.equal(a.log.cancelled, 0);
  // The taker can still cancel it (a newer update overtook the one that took it).
  taken.cancel();
  assert.equal(a.log.cancelled, 1);
});

test('an update for another version, task or target does not take the guess, and the guess is cancelled', () => {
  for (const other of [{ version: 8 }, { task: 'depth' }, { target: 'zcu104' }, { uri: 'file:///e.m3v' }]) {
    const s = new SpeculativeAnswer<string>();
    const a = asked('view 7');
    s.start(key, a.ask);
    assert.equal(s.take({ ...key, ...other }), undefined, JSON.stringify(other));
    assert.equal(a.log.cancelled, 1, JSON.stringify(other));
  }
});

test('a newer guess cancels the one nobody took; drop cancels the last', () => {
  const s = new SpeculativeAnswer<string>();
  const first = asked('view 7');
  const second = asked('view 8');
  s.start(key, first.ask);
  s.start({ ...key, version: 8 }, second.ask);
  assert.equal(first.log.cancelled, 1);
  s.drop();
  assert.equal(second.log.cancelled, 1);
  assert.equal(s.take({ ...key, version: 8 }), undefined);
});

test('a guess that fails reaches its taker as the failure, and untaken it raises no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const s = new SpeculativeAnswer<string>();
    s.start(key, () => ({ answer: Promise.reject(new Error('server down')), cancel: () => undefined }));
    await assert.rejects(s.take(key)!.answer, /server down/);
    s.start(key, () => ({ answer: Promise.reject(new Error('nobody asks')), cancel: () => undefined }));
    s.drop();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
