/** Text of `m3v simulate`: per strategy the switch model, totals, energy and a frame table (no I/O). */
import { formatBytes, formatJoules } from '../../engine/units';
import type { ScenarioResult } from '../../engine/schedule/index';

export function scenarioText(r: ScenarioResult): string {
  const ms = (s: number): string => (s * 1e3).toFixed(3);
  const lines = [`scenario ${r.scenario} on ${r.target}: ${r.runs[0]?.frames.length ?? 0} frames at ${r.fps} fps (deadline ${ms(1 / r.fps)} ms after each release), simulated`];
  for (const run of r.runs) {
    const t = run.totals;
    lines.push(
      '',
      `${run.strategy}${run.declared ? ' (declared)' : ''}: ${t.missed} of ${t.frames} frames missed; worst latency ${ms(t.worstLatencySeconds)} ms; ` +
        `weights loaded ${formatBytes(t.loadBytes)}; energy ${formatJoules(run.energy.totalJ)} (frames ${formatJoules(run.energy.activeJ)}, idle ${formatJoules(run.energy.idleJ)}, switches ${formatJoules(run.energy.switchJ)})`,
      `  ${run.switchModel}`,
      '  frame  task          start ms  latency ms  overhead cycles  overhead bytes  deadline',
    );
    for (const f of run.frames)
      lines.push(
        `  ${String(f.index).padStart(5)}  ${f.task.padEnd(12)}  ${ms(f.start).padStart(8)}  ${ms(f.latency).padStart(10)}  ${String(f.switchOverheadCycles).padStart(15)}  ${String(f.switchOverheadBytes).padStart(14)}  ${f.met ? 'met' : 'MISSED'}`,
      );
  }
  for (const note of r.routingNotes) lines.push(`routing: ${note}`);
  return lines.join('\n');
}

