/** Text of `m3v simulate`: per strategy the switch model, totals, energy and a frame table (no I/O). */
import { formatBytes, formatJoules } from '../../engine/units';
import type { ScenarioResult } from '../../engine/schedule/index';

export function scenarioText(r: ScenarioResult): string {
  return [...scenarioLines(r)].join('\n');
}

/**
 * The text line by line: a 999,999-frame scenario is ~3 M lines, too long for one string (V8 caps strings at
 * 2^29 characters), so `m3v simulate` writes it in batches.
 */
export function* scenarioLines(r: ScenarioResult): Generator<string> {
  const ms = (s: number): string => (s * 1e3).toFixed(3);
  yield `scenario ${r.scenario} on ${r.target}: ${r.runs[0]?.frames.length ?? 0} frames at ${r.fps} fps (deadline ${ms(1 / r.fps)} ms after each release), simulated`;
  for (const run of r.runs) {
    const t = run.totals;
    yield '';
    yield `${run.strategy}${run.declared ? ' (declared)' : ''}: ${t.missed} of ${t.frames} frames missed; worst latency ${ms(t.worstLatencySeconds)} ms; ` +
      `weights loaded ${formatBytes(t.loadBytes)}; energy ${formatJoules(run.energy.totalJ)} (frames ${formatJoules(run.energy.activeJ)}, idle ${formatJoules(run.energy.idleJ)}, switches ${formatJoules(run.energy.switchJ)})`;
    yield `  ${run.switchModel}`;
    yield '  frame  task          start ms  latency ms  overhead cycles  overhead bytes  deadline';
    for (const f of run.frames)
      yield `  ${String(f.index).padStart(5)}  ${f.task.padEnd(12)}  ${ms(f.start).padStart(8)}  ${ms(f.latency).padStart(10)}  ${String(f.switchOverheadCycles).padStart(15)}  ${String(f.switchOverheadBytes).padStart(14)}  ${f.met ? 'met' : 'MISSED'}`;
  }
  for (const note of r.routingNotes) yield `routing: ${note}`;
}

/**
 * The JSON of `m3v simulate --json` in pieces: the same document as `JSON.stringify({ clock_mhz, ...result })`, with
 * each frame on its own line, so no single string holds a million frames.
 */
export function* scenarioJsonChunks(r: ScenarioResult): Generator<string> {
  const { runs, ...rest } = r;
  const head = JSON.stringify({ clock_mhz: r.clockHz / 1e6, ...rest });
  yield `${head.slice(0, -1)},"runs":[`;
  for (let i = 0; i < runs.length; i++) {
    const { frames, ...runRest } = runs[i];
    const runHead = JSON.stringify(runRest);
    yield `${i > 0 ? ',' : ''}${runHead.slice(0, -1)},"frames":[`;
    for (let k = 0; k < frames.length; k++) yield `${k > 0 ? ',' : ''}${JSON.stringify(frames[k])}`;
    yield ']}';
  }
  yield ']}';
}

/** Writes pieces through `write` in batches of about 1 MB (one call per batch, bounded string sizes). */
export function writeBatched(pieces: Iterable<string>, write: (text: string) => void, separator: string): void {
  let batch: string[] = [];
  let size = 0;
  for (const p of pieces) {
    batch.push(p);
    size += p.length + 1;
    if (size >= 1 << 20) {
      write(batch.join(separator));
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) write(batch.join(separator));
}
