/** Text of `m3v schedule`: a compact per-layer table of one simulated frame (no I/O, testable without a file). */
import { formatBytes, formatSeconds } from '../../engine/units';
import { EMBED_LAYER } from '../../engine/schedule/index';
import type { FrameSchedule } from '../../engine/schedule/index';

function layerName(layer: number, depth: number): string {
  return layer === EMBED_LAYER ? 'embed' : layer === depth ? 'head' : String(layer);
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function scheduleText(s: FrameSchedule, depth: number): string {
  const sum = s.summary;
  const ms = (cycles: number): string => ((cycles / s.clock_hz) * 1e3).toFixed(3);
  const lines = [
    `${sum.task} on ${sum.target}, ${sum.strategy}, ${s.clock_hz / 1e6} MHz (simulated)`,
    `makespan ${int(s.makespan_cycles)} cycles = ${formatSeconds(sum.seconds)}; weight loads ${formatBytes(sum.loadBytes)} in ${sum.loads} loads; compute waited ${int(sum.stallCycles)} cycles for weights`,
    '',
  ];
  const header = ['layer', 'kind', 'cycles', 'ms', 'stall', 'loads', 'load bytes', 'experts used', 'expert loads'];
  const rows = sum.layers.map((l) => [
    layerName(l.layer, depth),
    l.kind,
    int(l.cycles),
    ms(l.cycles),
    int(l.stallCycles),
    String(l.loads),
    formatBytes(l.loadBytes),
    l.expertsUsed === undefined ? '' : String(l.expertsUsed),
    l.expertLoads === undefined ? '' : String(l.expertLoads),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  lines.push(fmt(header), ...rows.map(fmt), '');
  lines.push(`lanes busy: ${s.lanes.map((l) => `${l.lane} ${((100 * l.busyCycles) / Math.max(1, s.makespan_cycles)).toFixed(1)} %`).join(', ')}`);
  for (const note of sum.routingNotes) lines.push(`routing: ${note}`);
  lines.push(`not costed: ${sum.notCosted.join('; ')}`);
  return lines.join('\n');
}

