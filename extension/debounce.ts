/**
 * Trailing-edge debounce with an explicit flush, so a panel opened mid-typing gets the latest text at once.
 * Pure (timers injectable) so it is unit-tested without VS Code.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Debouncer<K> {
  private readonly pending = new Map<K, { handle: unknown; fn: () => void }>();

  constructor(
    private delayMs: () => number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** (Re)schedule `fn` for `key`; an earlier pending call for the same key is dropped. */
  schedule(key: K, fn: () => void): void {
    this.cancel(key);
    const delay = this.delayMs();
    if (delay <= 0) {
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
  }
}
