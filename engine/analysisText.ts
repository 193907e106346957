/**
 * Readable tables of an analysis (`m3v analyze` without --json). Plain text, fixed-width columns; every number is
 * formatted by engine/units.ts so the CLI and the editor print the same digits.
 */
import type { AnalysisReport } from './analyze';
import { formatBandwidth, formatBytes, formatCount, formatHz, formatJoules, formatPercent, formatSeconds, sig3 } from './units';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A reduction as words: "67.1 % fewer", or "0.301 % more" when the design does more MACs than the baseline. */
const macsChange = (reduction: number) => `${sig3(100 * Math.abs(reduction))} % ${reduction >= 0 ? 'fewer' : 'more'}`;

const pct = (v: number) => (Number.isFinite(v) ? formatPercent(v) : 'n/a');

export function analysisToText(report: AnalysisReport): string {
  const out: string[] = [];
  const p = report.params;
  out.push(`model ${report.model}: ${formatCount(p.total)} parameters (${formatCount(p.experts)} in experts, ${formatCount(p.perExpert)} per expert)`);
  out.push('');
  out.push('Per task (single-task inference; MACs exact, FLOPs = 2 x MACs)');
  out.push(
    table(
      ['task', 'MACs', 'FLOPs', 'active params', 'dense MTL MACs', 'all-experts MACs', 'MACs vs dense MTL', 'MACs vs all-experts'],
      report.counts.tasks.map((t) => [
        t.task,
        formatCount(t.count.macs),
        formatCount(t.count.flops),
        formatCount(t.paramsActive),
        formatCount(t.denseMtl.macs),
        formatCount(t.allExperts.macs),
        macsChange(t.reductionVsDenseMtl),
        macsChange(t.reductionVsAllExperts),
      ]),
    ),
  );
  const t0 = report.counts.tasks[0];
  if (t0) {
    out.push('');
    out.push(`MACs by operation (${t0.task})`);
    out.push(table(['op', 'MACs', 'share'], Object.entries(t0.count.byOp).filter(([, v]) => v > 0).map(([op, v]) => [op, formatCount(v), `${sig3((100 * v) / t0.count.macs)} %`])));
    out.push('');
    out.push(`Element-wise operations (${t0.task}, elements processed; not in MACs)`);
    out.push(table(['kind', 'elements'], Object.entries(t0.count.elementwise).filter(([, v]) => v > 0).map(([k, v]) => [k, formatCount(v)])));
  }
  for (const t of report.targets) {
    const c = t.target;
    const r = t.resources;
    out.push('');
    out.push(
      `Target ${t.name} (${t.device}, ${formatHz(c.clockHz)}, ${formatBandwidth(c.bandwidthBytesPerSec)}, schedule ${c.schedule}): ` +
        `DSP ${r.dsp} (${pct(r.dspPercent)}), BRAM36 ${r.bram36} (${pct(r.bramPercent)}), URAM ${r.uram} (${pct(r.uramPercent)}), on-chip ${pct(r.onchipPercent)} of BRAM+URAM`,
    );
    // The part's resources are separate: a design fits only when each kind fits, not their sum.
    const over = [['DSP', r.dspPercent], ['BRAM36', r.bramPercent], ['URAM', r.uramPercent]].filter(([, p]) => (p as number) > 100);
    out.push(
      over.length === 0
        ? `Fits the ${t.device} under ${c.schedule}: DSP, BRAM36 and URAM each within the part`
        : `DOES NOT FIT the ${t.device} under ${c.schedule}: ${over.map(([k, p]) => `${k} ${pct(p as number)}`).join(', ')} of the part`,
    );
    const m = c.memory;
    out.push(
      `Memory system: weights port ${m.weightPortBits} bit, activations ${m.actPorts} x ${m.actPortBits} bit, DDR ${formatBandwidth(c.bandwidthBytesPerSec)} sustained, ` +
        `prefetch ${m.prefetch ? 'on' : 'off'}, weight buffer ${c.weightBuffer.kind === 'whole' ? 'whole' : formatBytes(c.weightBuffer.bytes)}, queues ${c.queues}, ` +
        `router ${c.gateUnit ? `gate unit ${c.gateUnit.experts} x ${c.gateUnit.width}` : 'on the linear arrays'}` +
        (c.facts.ports.declared ? '' : ' (ports: the catalog default for the device, PG201 / UG1393)'),
    );
    out.push('DSPs by unit');
    out.push(table(['unit', 'multipliers', 'operands', 'DSP each', 'DSP'], r.dspByUnit.map((u) => [u.unit, String(u.count), u.operands, String(u.dspEach), String(u.dsp)])));
    out.push('Lower bounds (no schedule can run faster)');
    out.push(
      table(
        ['task', 'compute bound', 'memory bound', 'bound', 'estimate', 'estimate / bound'],
        t.bounds.map(({ task, bound }) => {
          const est = (t.strategies.find((s) => s.strategy === c.schedule) ?? t.strategies[0])?.tasks.find((x) => x.task === task)?.latency.seconds ?? NaN;
          return [task, formatSeconds(bound.computeSeconds), formatSeconds(bound.memorySeconds), bound.bound, formatSeconds(est), `${sig3(est / bound.seconds)}x`];
        }),
      ),
    );
    out.push(
      table(
        ['strategy', 'task', 'latency', 'FPS', 'energy', 'power', 'traffic', 'expert loads', 'on-chip', 'BRAM36', 'URAM', 'switch'],
        t.strategies.flatMap((s) =>
          s.tasks.map((x) => [
            s.strategy,
            x.task,
            formatSeconds(x.latency.seconds),
            sig3(x.fps),
            formatJoules(x.energy.totalJ),
            `${sig3(x.energy.powerW)} W`,
            formatBytes(x.traffic.total),
            String(x.traffic.expertLoads),
            formatBytes(s.onchip.bytes),
            String(s.onchip.bram36),
            String(s.onchip.uram),
            s.switchCost.bytes > 0 ? `${formatBytes(s.switchCost.bytes)}, ${formatSeconds(s.switchCost.seconds)}` : '0 B',
          ]),
        ),
      ),
    );
    for (const s of t.strategies)
      if (s.growsWithExperts.length > 0) out.push(`${s.strategy}: on-chip buffers that grow with the experts: ${s.growsWithExperts.join(', ')}`);
    const e = t.strategies[0]?.tasks[0]?.energy.coefficients;
    if (e) {
      out.push(
        `energy = (${e.staticPowerW} W static + ${sig3(e.boardPowerW)} W board) x latency + ${sig3(e.macJ * 1e12)} pJ/MAC + ${sig3(e.onchipJPerByte * 1e12)} pJ/B on-chip + ${sig3(e.offchipJPerByte * 1e12)} pJ/B off-chip (analytical)`,
      );
      out.push(`board power: ${t.strategies[0].tasks[0].energy.boardPowerSource}`);
    }
  }
  if (report.budgets.length > 0) {
    out.push('');
    out.push('Budgets');
    out.push(table(['target', 'budget', 'result'], report.budgets.map((b) => [b.target, b.text, `${b.ok === undefined ? 'n/a' : b.ok ? (b.warning ? 'near' : 'ok') : 'FAIL'}: ${b.summary}`])));
  }
  out.push('');
  const routingNotes = [...new Set(report.targets.flatMap((t) => t.strategies.flatMap((s) => s.tasks.flatMap((x) => x.latency.routingNotes))))];
  if (routingNotes.length > 0) out.push('Routing:', ...routingNotes.map((n) => `  - ${n}`));
  out.push(`Models: counts ${report.provenance.counts}, memory ${report.provenance.memory}, latency ${report.provenance.latency}, energy ${report.provenance.energy}.`);
  out.push('Not costed:');
  for (const n of report.notCosted) out.push(`  - ${n}`);
  return out.join('\n');
}
