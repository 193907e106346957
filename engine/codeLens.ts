/**
 * The facts the editor shows above blocks (code lens) and in hovers, derived from one analysis so that lens, hover,
 * panel and CLI agree to the digit. Latency and energy on a task lens are those of the first target at its own
 * schedule strategy (the one a reader of the file sees first). Each fact carries the span to place it and a short
 * text; the language server decides wording beyond that.
 */
import { STRATEGIES, type Design, type Span, type Strategy } from './design';
import type { AnalysisReport } from './analyze';
import { formatBytes, formatCount, formatJoules, formatPercent, formatSeconds, sig3 } from './units';

export interface TaskLens {
  task: string;
  span: Span;
  macs: number;
  flops: number;
  latencySeconds?: number;
  /** The fastest any schedule could run the task on that target (engine/bounds.ts). */
  boundSeconds?: number;
  energyJ?: number;
  /** Target the latency/energy belong to. */
  target?: string;
  reductionVsDenseMtl: number;
  text: string;
}

export interface MoeLens {
  span: Span;
  bytesPerExpert: number;
  /** On-chip bytes per strategy on the first target. */
  onchipBytes: Partial<Record<Strategy, number>>;
  text: string;
}

export interface HardwareLens {
  target: string;
  span: Span;
  dspPercent: number;
  onchipPercent: number;
  bramPercent: number;
  uramPercent: number;
  fps: Record<string, number>;
  text: string;
}

export interface BudgetLens {
  span: Span;
  target: string;
  value?: number;
  limit: number;
  ok?: boolean;
  warning: boolean;
  text: string;
}

export interface CodeLensFacts {
  tasks: TaskLens[];
  moe?: MoeLens;
  hardware: HardwareLens[];
  budgets: BudgetLens[];
}

export function codeLensFacts(design: Design, report: AnalysisReport): CodeLensFacts {
  const first = report.targets[0];
  const own = first?.strategies.find((s) => s.strategy === first.target.schedule) ?? first?.strategies[0];
  const tasks = design.tasks.map((t, i): TaskLens => {
    const c = report.counts.tasks[i];
    const run = own?.tasks.find((x) => x.task === t.name);
    const bound = first?.bounds.find((b) => b.task === t.name)?.bound;
    const parts = [`${formatCount(c.count.macs)}MAC (${formatCount(c.count.flops)}FLOP)`];
    if (run) parts.push(`${formatSeconds(run.latency.seconds)} on ${first.name}${bound ? ` (bound ${formatSeconds(bound.seconds)}, ${bound.bound})` : ''}`, formatJoules(run.energy.totalJ));
    // A negative reduction is an increase: say "0.301 % more", never "-0.301 % fewer".
    const change = c.reductionVsDenseMtl >= 0 ? 'fewer' : 'more';
    parts.push(`${sig3(100 * Math.abs(c.reductionVsDenseMtl))} % ${change} MACs than dense MTL`);
    return {
      task: t.name,
      span: t.span,
      macs: c.count.macs,
      flops: c.count.flops,
      latencySeconds: run?.latency.seconds,
      boundSeconds: run ? bound?.seconds : undefined,
      energyJ: run?.energy.totalJ,
      target: run ? first.name : undefined,
      reductionVsDenseMtl: c.reductionVsDenseMtl,
      text: parts.join(' · '),
    };
  });
  let moe: MoeLens | undefined;
  if (design.model.moe && first) {
    const onchipBytes: Partial<Record<Strategy, number>> = {};
    for (const s of first.strategies) onchipBytes[s.strategy] = s.onchip.bytes;
    const per = STRATEGIES.filter((s) => onchipBytes[s] !== undefined).map((s) => `${s} ${formatBytes(onchipBytes[s]!)}`);
    moe = {
      span: design.model.moe.span,
      bytesPerExpert: first.expertBytes,
      onchipBytes,
      text: `${formatBytes(first.expertBytes)} per expert · on-chip: ${per.join(', ')}`,
    };
  }
  const hardware = report.targets.map((t): HardwareLens => {
    const s = t.strategies.find((x) => x.strategy === t.target.schedule) ?? t.strategies[0];
    const fps: Record<string, number> = {};
    for (const x of s?.tasks ?? []) fps[x.task] = x.fps;
    const r = t.resources;
    const fpsText = Object.entries(fps).map(([k, v]) => `${k} ${sig3(v)} FPS`).join(', ');
    return {
      target: t.name,
      span: t.target.span,
      dspPercent: r.dspPercent,
      onchipPercent: r.onchipPercent,
      bramPercent: r.bramPercent,
      uramPercent: r.uramPercent,
      fps,
      text: `DSP ${formatPercent(r.dspPercent)} · on-chip ${formatPercent(r.onchipPercent)} of BRAM+URAM · ${fpsText}`,
    };
  });
  const budgets = report.budgets.map((b): BudgetLens => ({
    span: b.budget.span,
    target: b.target,
    value: b.value,
    limit: b.limit,
    ok: b.ok,
    warning: b.warning,
    text: `${b.target}: ${b.summary}`,
  }));
  return { tasks, moe, hardware, budgets };
}
