/**
 * The smallest line-aligned edits that turn one text into another, for formatting: a client applies a few ranged
 * edits (keeping the cursor, folds, marks and undo granularity of the untouched lines) instead of replacing the whole
 * document. A line here includes its terminator, so a changed line ending is a changed line.
 *
 * Myers' O((N+M)·D) difference algorithm on lines, after trimming the common head and tail. A pathological pair with
 * more than MAX_DIFFERENCES changed lines falls back to one edit over the trimmed middle: still correct, bounded time.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndex } from '../lineIndex';

const MAX_DIFFERENCES = 4000;

/** Splits a text into lines that keep their terminators (LF, CRLF or CR); "" gives []. */
export function linesWithEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

interface Hunk {
  /** Old lines [oldStart, oldEnd) are replaced by new lines [newStart, newEnd). */
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Edits from `oldText` (indexed by `index`) to `newText`; [] when they are equal. */
export function minimalEdits(index: LineIndex, oldText: string, newText: string): TextEdit[] {
  if (oldText === newText) return [];
  const a = linesWithEnds(oldText);
  const b = linesWithEnds(newText);
  const offsets = [0];
  for (const line of a) offsets.push(offsets[offsets.length - 1] + line.length);
  return diffLines(a, b).map((h) => ({
    range: { start: index.positionAt(offsets[h.oldStart]), end: index.positionAt(offsets[h.oldEnd]) },
    newText: b.slice(h.newStart, h.newEnd).join(''),
  }));
}

export function diffLines(a: string[], b: string[]): Hunk[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const a1 = a.slice(head, a.length - tail);
  const b1 = b.slice(head, b.length - tail);
  if (a1.length === 0 && b1.length === 0) return [];
  const whole: Hunk = { oldStart: head, oldEnd: a.length - tail, newStart: head, newEnd: b.length - tail };
  if (a1.length === 0 || b1.length === 0) return [whole];
  const matches = myersMatches(a1, b1);
  if (!matches) return [whole];
  // Turn the matched pairs into the gaps between them.
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  for (const [mi, mj] of [...matches, [a1.length, b1.length] as [number, number]]) {
    if (mi > i || mj > j) hunks.push({ oldStart: head + i, oldEnd: head + mi, newStart: head + j, newEnd: head + mj });
    i = mi + 1;
    j = mj + 1;
  }
  return hunks;
}

/** Index pairs (i, j) with a[i] === b[j] on a shortest edit script, in order; undefined past MAX_DIFFERENCES. */
function myersMatches(a: string[], b: string[]): [number, number][] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_DIFFERENCES);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, next, d, k, offset);
    }
    v = next;
  }
  return undefined;
}

function backtrack(trace: Int32Array[], last: Int32Array, d: number, k: number, offset: number): [number, number][] {
  const pairs: [number, number][] = [];
  let x = last[offset + k];
  let y = x - k;
  for (let step = d; step > 0; step--) {
    const v = trace[step];
    const down = k === -step || (k !== step && v[offset + k - 1] < v[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    const startY = startX - k;
    while (x > startX && y > startY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
    k = prevK;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    pairs.push([x, y]);
  }
  return pairs.reverse();
}
