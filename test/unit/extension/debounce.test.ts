import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Debouncer, type Timers } from '../../../extension/debounce';

/** Manual clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => {
      pending.set(++next, { at: now + ms, fn });
      return next;
    },
    clear: (h) => pending.delete(h as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [h, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= now) {
        pending.delete(h);
        t.fn();
      }
    }
  };
  return { timers, advance };
}

test('only the last call within the delay runs, after the delay', () => {
  const { timers, advance } = fakeTimers();
  const d = new Debouncer<string>(() => 100, timers);
  const calls: number[] = [];
  d.schedule('a', () => calls.push(1));
  advance(60);
  d.schedule('a', () => calls.push(2));
  advance(60);
  assert.deepEqual(calls, []);
  advance(40);
  assert.deepEqual(calls, [2]);
  assert.equal(d.isPending('a'), false);
});

test('keys are independent; flush runs now; cancel drops; zero delay is synchronous', () => {
  const { timers, advance } = fakeTimers();
  let delay = 100;
  const d = new Debouncer<string>(() => delay, timers);
  const calls: string[] = [];
  d.schedule('a', () => calls.push('a'));
  d.schedule('b', () => calls.push('b'));
  d.flush('b');
  assert.deepEqual(calls, ['b']);
  d.cancel('a');
  advance(500);
  assert.deepEqual(calls, ['b']);
  delay = 0;
  d.schedule('c', () => calls.push('c'));
  assert.deepEqual(calls, ['b', 'c']);
  d.flush('zzz');
  assert.deepEqual(calls, ['b', 'c']);
});

test('leading edge: a call after a quiet delay runs at once; the rest of a burst runs once, after the delay', () => {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 0;
  const timers: Timers = {
    set: (fn, ms) => {
      pending.set(++next, { at: now + ms, fn });
      return next;
    },
    clear: (h) => pending.delete(h as number),
    now: () => now,
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [h, t] of [...pending].sort((a, b) => a[1].at - b[1].at))
      if (t.at <= now) {
        pending.delete(h);
        t.fn();
      }
  };
  const d = new Debouncer<string>(() => 100, timers, { leading: true });
  const calls: number[] = [];
  // First keystroke of a burst (nothing before): at once.
  d.schedule('a', () => calls.push(1));
  assert.deepEqual(calls, [1]);
  assert.equal(d.isPending('a'), false);
  // 40 ms later: inside the burst, trailing; another at +40 restarts the wait.
  advance(40);
  d.schedule('a', () => calls.push(2));
  advance(40);
  d.schedule('a', () => calls.push(3));
  advance(99);
  assert.deepEqual(calls, [1], 'the burst waits for 100 ms of quiet');
  advance(1);
  assert.deepEqual(calls, [1, 3], 'only the last of the burst, 100 ms after it');
  // 100 ms after the last call: quiet again, so the next one runs at once; 99 ms would not be.
  advance(100);
  d.schedule('a', () => calls.push(4));
  assert.deepEqual(calls, [1, 3, 4]);
  advance(99);
  d.schedule('a', () => calls.push(5));
  assert.deepEqual(calls, [1, 3, 4]);
  assert.equal(d.isPending('a'), true);
  // Keys are independent: another key's first call runs at once.
  d.schedule('b', () => calls.push(6));
  assert.deepEqual(calls, [1, 3, 4, 6]);
  advance(100);
  assert.deepEqual(calls, [1, 3, 4, 6, 5]);
});

test('without the leading option nothing runs before the delay (the default is trailing only)', () => {
  const { timers, advance } = fakeTimers();
  const d = new Debouncer<string>(() => 100, timers);
  const calls: number[] = [];
  d.schedule('a', () => calls.push(1));
  assert.deepEqual(calls, []);
  advance(100);
  assert.deepEqual(calls, [1]);
});
