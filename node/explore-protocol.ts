/** Messages between the explore worker pool (explore-pool.ts) and its worker_threads (explore-worker.ts). */
import type { Design } from '../engine/design';
import type { RoutingTrace } from '../engine/routing-trace';
import type { ExploreTally, SearchSettings, SearchStats } from '../engine/explore/index';

export type ToExploreWorker =
  | {
      type: 'init';
      design: Design;
      name: string;
      traces: [string, RoutingTrace][];
      /** Int32Array over this buffer: [0] = 1 once the run is cancelled (checked between points). */
      cancel: SharedArrayBuffer;
    }
  /** Evaluate points [start, end); answered by `tally`. */
  | { type: 'range'; start: number; end: number }
  /** Run one search island; answered by `tally` with the search's stats. */
  | { type: 'search'; settings: SearchSettings }
  | { type: 'close' };

export type FromExploreWorker =
  /** Points visited (range) or evaluated (search) since the last progress message. */
  | { type: 'progress'; done: number }
  | { type: 'tally'; tally: ExploreTally; search?: SearchStats }
  | { type: 'error'; message: string };
