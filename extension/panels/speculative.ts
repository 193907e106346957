/**
 * A panel's view request sent ahead of the design summary it depends on. After an edit the extension asks the
 * server for the summary, and only then for the panel's view of the task and target the summary resolves; both wait
 * for the same engine report on the server, so asking for the view at once — with the selection the previous summary
 * gave, which an edit rarely changes — saves one round trip to the server per keystroke. The guess is used only when
 * the update that arrives asks for exactly the same document version, task and target; otherwise it is cancelled and
 * the panel asks again.
 */

/** What a guessed request is for: equal keys ask the server the same question. */
export interface ViewKey {
  uri: string;
  version: number;
  task: string;
  target: string;
}

const sameKey = (a: ViewKey, b: ViewKey) => a.uri === b.uri && a.version === b.version && a.task === b.task && a.target === b.target;

export class SpeculativeAnswer<V> {
  private pending: { key: ViewKey; answer: Promise<V>; cancel: () => void } | undefined;

  /** Sends the guessed request now (cancelling an earlier guess nobody took). */
  start(key: ViewKey, ask: () => { answer: Promise<V>; cancel: () => void }): void {
    this.drop();
    const { answer, cancel } = ask();
    // A guess nobody takes must not surface as an unhandled rejection; a taker sees the rejection itself.
    answer.catch(() => undefined);
    this.pending = { key, answer, cancel };
  }

  /**
   * The guessed request if it was for `key` (each guess is taken once; the taker may still cancel it); a guess for
   * anything else is cancelled.
   */
  take(key: ViewKey): { answer: Promise<V>; cancel: () => void } | undefined {
    const pending = this.pending;
    if (!pending) return undefined;
    this.pending = undefined;
    if (sameKey(pending.key, key)) return { answer: pending.answer, cancel: pending.cancel };
    pending.cancel();
    return undefined;
  }

  /** Cancels the guess still waiting to be taken. */
  drop(): void {
    this.pending?.cancel();
    this.pending = undefined;
  }
}
