/**
 * Trailing-edge debounce with an explicit flush, so a panel opened mid-typing gets the latest text at once;
 * optionally leading-edge too (see DebounceOptions). Pure (timers injectable) so it is unit-tested without VS Code.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  /** Milliseconds on a monotonic clock (only the leading edge reads it). */
  now?(): number;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export interface DebounceOptions {
  /**
   * Run a call at once when its key has been quiet for the whole delay (no call scheduled within it), and debounce
   * the rest of the burst on the trailing edge as before: one edit after a pause shows without waiting the delay
   * (issue 12: keystroke → panel < 200 ms, of which the delay was 100 ms), while fast typing still costs one run
   * at its start and one after it.
   */
  leading?: boolean;
}

export class Debouncer<K> {
  private readonly pending = new Map<K, { handle: unknown; fn: () => void }>();
  /** When `schedule` was last called per key (leading edge only). */
  private readonly lastCall = new Map<K, number>();

  constructor(
    private delayMs: () => number,
    private readonly timers: Timers = realTimers,
    private readonly options: DebounceOptions = {},
  ) {}

  /** (Re)schedule `fn` for `key`; an earlier pending call for the same key is dropped. */
  schedule(key: K, fn: () => void): void {
    const delay = this.delayMs();
    let quiet = false;
    if (this.options.leading) {
      const now = (this.timers.now ?? realTimers.now!)();
      const last = this.lastCall.get(key);
      quiet = !this.pending.has(key) && (last === undefined || now - last >= delay);
      this.lastCall.set(key, now);
    }
    this.cancel(key);
    if (delay <= 0 || quiet) {
      fn();
      return;
    }
    const handle = this.timers.set(() => {
      this.pending.delete(key);
      fn();
    }, delay);
    this.pending.set(key, { handle, fn });
  }

  /** Run the pending call for `key` now, if any. */
  flush(key: K): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.cancel(key);
    p.fn();
  }

  cancel(key: K): void {
    const p = this.pending.get(key);
    if (p) {
      this.timers.clear(p.handle);
      this.pending.delete(key);
    }
  }

  isPending(key: K): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
    this.lastCall.clear();
  }
}
