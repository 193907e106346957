/**
 * A worker_thread of the explore pool: builds one ExploreRun for the design it is given, then evaluates the ranges or
 * search islands it is sent, each answered with a tally (engine/explore/tally.ts) that the pool merges. Cancel is a
 * shared Int32 flag read between points, so a cancel lands within one point's evaluation (well under 100 ms).
 */
import { parentPort } from 'node:worker_threads';
import { ExploreRun, findExplore } from '../engine/explore/index';
import type { FromExploreWorker, ToExploreWorker } from './explore-protocol';

let run: ExploreRun | undefined;
let cancelled: Int32Array | undefined;
const port = parentPort!;
const post = (m: FromExploreWorker) => port.postMessage(m);
const stop = () => cancelled !== undefined && Atomics.load(cancelled, 0) === 1;

port.on('message', (m: ToExploreWorker) => {
  try {
    switch (m.type) {
      case 'init':
        cancelled = new Int32Array(m.cancel);
        run = new ExploreRun(m.design, findExplore(m.design, m.name), new Map(m.traces));
        return;
      case 'range': {
        // A fresh tally per chunk keeps the tallies disjoint; the evaluator's caches carry over.
        const fresh = run!;
        fresh.resetTally();
        let i = m.start;
        let last = Date.now();
        let reported = m.start;
        while (i < m.end && !stop()) {
          i = fresh.step(i, Math.min(m.end, i + 64), stop);
          if (Date.now() - last >= 50) {
            post({ type: 'progress', done: i - reported });
            reported = i;
            last = Date.now();
          }
        }
        if (stop()) fresh.cancel();
        post({ type: 'progress', done: i - reported });
        post({ type: 'tally', tally: fresh.tally });
        return;
      }
      case 'search': {
        const fresh = run!;
        fresh.resetTally();
        const steps = fresh.searchSteps(m.settings, stop);
        let reported = 0;
        for (;;) {
          const r = steps.next();
          post({ type: 'progress', done: r.value.evaluated - reported });
          reported = r.value.evaluated;
          if (r.done) {
            post({ type: 'tally', tally: fresh.tally, search: r.value });
            return;
          }
        }
      }
      case 'close':
        port.close();
        return;
    }
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
