/**
 * Budget lines evaluated against the analysed numbers: one result per (budget, target it applies to). A budget on
 * latency/energy without a task is checked against the worst task; `fps` is the frame rate of the slowest task.
 * Values come from the target's own `schedule` strategy. The result carries every number a message needs
 * ("on-chip 81.2 % of BRAM+URAM exceeds the 75 % budget"); the language server words diagnostics from them.
 */
import type { Budget, BudgetMetric, Comparison, Strategy } from './design';
import { formatJoules, formatPercent, formatSeconds, sig3 } from './units';

export interface TaskFacts {
  task: string;
  seconds: number;
  energyJ: number;
  trafficBytes: number;
  /** The task's lower bound on this target (engine/bounds.ts), when known. */
  boundSeconds?: number;
  boundKind?: 'compute' | 'memory';
}

/** What budgets are checked against, for one target (at its own schedule strategy). */
export interface TargetFacts {
  target: string;
  strategy: Strategy;
  onchipPercent: number;
  onchipBytes: number;
  dspPercent: number;
  bramPercent: number;
  uramPercent: number;
  tasks: TaskFacts[];
}

export type BudgetUnit = 'seconds' | 'fps' | 'joules' | 'bytes' | 'percent';

export interface BudgetResult {
  budget: Budget;
  /** Source text of the budget line. */
  text: string;
  target: string;
  metric: BudgetMetric;
  /** The task the value concerns (the named one, or the worst one). */
  task?: string;
  /** Undefined when the engine does not estimate the metric (LUT). */
  value?: number;
  limit: number;
  unit: BudgetUnit;
  /** Undefined when not estimated. */
  ok?: boolean;
  /** Met, but within 10 % of the limit. */
  warning: boolean;
  /** "on-chip", "latency of semseg", … */
  quantity: string;
  /** "81.2 %", "45.2 ms", … */
  valueText?: string;
  limitText: string;
  /** "of BRAM+URAM", "of DSP", or ''. */
  ofWhat: string;
  /** One-line summary: "on-chip 81.2 % of BRAM+URAM exceeds the 75 % budget". */
  summary: string;
  /** A latency or fps budget no schedule can meet: the lower bound and how far it is from the limit. */
  impossible?: { boundSeconds: number; kind: 'compute' | 'memory'; factor: number };
}

function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

function formatIn(unit: BudgetUnit, v: number): string {
  switch (unit) {
    case 'seconds':
      return formatSeconds(v);
    case 'fps':
      return `${sig3(v)} FPS`;
    case 'joules':
      return formatJoules(v);
    case 'bytes':
      // Budgets are written in decimal units (`traffic < 64 MB`), so they are reported in decimal units too.
      return decimalBytes(v);
    case 'percent':
      return formatPercent(v);
  }
}

function decimalBytes(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${sig3(v / 1e9)} GB`;
  if (abs >= 1e6) return `${sig3(v / 1e6)} MB`;
  if (abs >= 1e3) return `${sig3(v / 1e3)} KB`;
  return `${Math.round(v)} B`;
}

function limitText(unit: BudgetUnit, limit: number): string {
  return unit === 'percent' ? `${Number(limit.toFixed(1))} %` : formatIn(unit, limit);
}

function worst(tasks: TaskFacts[], key: 'seconds' | 'energyJ' | 'trafficBytes', named?: string): TaskFacts | undefined {
  if (named !== undefined) return tasks.find((t) => t.task === named);
  let w: TaskFacts | undefined;
  for (const t of tasks) if (!w || t[key] > w[key]) w = t;
  return w;
}

/** What a budget measures on a target: its value (undefined when not estimated or its task is missing) and whose. */
function measure(budget: Budget, facts: TargetFacts): { value: number | undefined; task: string | undefined } {
  switch (budget.metric) {
    case 'latency': {
      const t = worst(facts.tasks, 'seconds', budget.task);
      return { value: t?.seconds, task: t?.task ?? budget.task };
    }
    case 'fps': {
      const t = worst(facts.tasks, 'seconds');
      return { value: t ? 1 / t.seconds : undefined, task: t?.task };
    }
    case 'energy': {
      const t = worst(facts.tasks, 'energyJ', budget.task);
      return { value: t?.energyJ, task: t?.task ?? budget.task };
    }
    case 'traffic': {
      const t = worst(facts.tasks, 'trafficBytes');
      return { value: t?.trafficBytes, task: t?.task };
    }
    case 'onchip':
      return { value: budget.limit.kind === 'bytes' ? facts.onchipBytes : facts.onchipPercent, task: undefined };
    case 'dsp':
      return { value: facts.dspPercent, task: undefined };
    case 'bram':
      return { value: facts.bramPercent, task: undefined };
    case 'uram':
      return { value: facts.uramPercent, task: undefined };
    case 'lut':
      return { value: undefined, task: undefined };
  }
}

/** How a report names what a budget measures ("latency of semseg", "DSP" … "of DSP"). */
function describe(budget: Budget, task: string | undefined): { quantity: string; ofWhat: string } {
  switch (budget.metric) {
    case 'latency':
      return { quantity: `latency of ${task}`, ofWhat: '' };
    case 'fps':
      return { quantity: `frame rate (${task})`, ofWhat: '' };
    case 'energy':
      return { quantity: `energy per frame of ${task}`, ofWhat: '' };
    case 'traffic':
      return { quantity: `off-chip traffic per frame (${task})`, ofWhat: '' };
    case 'onchip':
      return { quantity: 'on-chip', ofWhat: budget.limit.kind === 'bytes' ? '' : 'of BRAM+URAM' };
    case 'dsp':
      return { quantity: 'DSP', ofWhat: 'of DSP' };
    case 'bram':
      return { quantity: 'BRAM', ofWhat: 'of BRAM36' };
    case 'uram':
      return { quantity: 'URAM', ofWhat: 'of URAM' };
    case 'lut':
      return { quantity: 'LUT', ofWhat: 'of LUT' };
  }
}

/**
 * A budget's verdict without its report text: what an exploration needs of each budget at each of thousands of points
 * a second (formatting the summaries was a fifth of a point's cost). `ok` is undefined when the value is not
 * estimated, exactly where `evaluateBudget` leaves it out; test/engine/budgets.test.ts pins the two equal.
 */
export function budgetVerdict(budget: Budget, facts: TargetFacts): { ok: boolean | undefined; value: number | undefined } {
  const { value, task } = measure(budget, facts);
  if (value === undefined || Number.isNaN(value)) return { ok: undefined, value: undefined };
  if (impossibleBy(budget, facts, task)) return { ok: false, value };
  return { ok: compare(value, budget.op, budget.limit.value), value };
}

/** Whether `budget` constrains `target` (a budget without a target constrains every target). */
export function appliesTo(budget: Budget, target: string): boolean {
  return budget.target === undefined || budget.target === target;
}

export function evaluateBudget(budget: Budget, facts: TargetFacts): BudgetResult {
  const { value, task } = measure(budget, facts);
  const { quantity, ofWhat } = describe(budget, task);
  const unit: BudgetUnit = budget.limit.kind;
  const limit = budget.limit.value;
  const lt = limitText(unit, limit);
  if (value === undefined || Number.isNaN(value)) {
    return {
      budget, text: budget.text, target: facts.target, metric: budget.metric, task, limit, unit, warning: false, quantity, limitText: lt, ofWhat,
      summary: budget.metric === 'lut' ? 'LUT use is not estimated (it needs synthesis)' : `${quantity}: no value (task ${budget.task ?? '?'} not found)`,
    };
  }
  const impossible = impossibleBy(budget, facts, task);
  if (impossible) {
    const boundText = formatSeconds(impossible.boundSeconds);
    const summary =
      `no schedule can meet this on ${facts.target}: the ${impossible.kind} lower bound of ${task} is ${boundText}, ` +
      `${sig3(impossible.factor)}× the ${lt} budget (the estimate is ${formatIn(unit, value)})`;
    return { budget, text: budget.text, target: facts.target, metric: budget.metric, task, value, limit, unit, ok: false, warning: false, quantity, valueText: formatIn(unit, value), limitText: lt, ofWhat, summary, impossible };
  }
  const ok = compare(value, budget.op, limit);
  const upper = budget.op === '<' || budget.op === '<=';
  const warning = ok && (upper ? value >= 0.9 * limit : value <= 1.1 * limit);
  const valueText = formatIn(unit, value);
  const verb = ok ? (warning ? 'is within 10 % of' : 'meets') : upper ? 'exceeds' : 'is below';
  const summary = `${quantity} ${valueText}${ofWhat ? ' ' + ofWhat : ''} ${verb} the ${lt} budget`;
  return { budget, text: budget.text, target: facts.target, metric: budget.metric, task, value, limit, unit, ok, warning, quantity, valueText, limitText: lt, ofWhat, summary };
}

/** A latency (upper) or fps (lower) limit that even the task's lower bound misses. */
function impossibleBy(budget: Budget, facts: TargetFacts, task: string | undefined): BudgetResult['impossible'] {
  const t = facts.tasks.find((x) => x.task === task);
  if (!t?.boundSeconds || !t.boundKind || !Number.isFinite(t.boundSeconds)) return undefined;
  const limit = budget.limit.value;
  if (budget.metric === 'latency' && (budget.op === '<' || budget.op === '<=') && budget.limit.kind === 'seconds') {
    const miss = budget.op === '<' ? t.boundSeconds >= limit : t.boundSeconds > limit;
    return miss ? { boundSeconds: t.boundSeconds, kind: t.boundKind, factor: t.boundSeconds / limit } : undefined;
  }
  if (budget.metric === 'fps' && (budget.op === '>' || budget.op === '>=') && limit > 0) {
    const bestFps = 1 / t.boundSeconds;
    const miss = budget.op === '>' ? bestFps <= limit : bestFps < limit;
    return miss ? { boundSeconds: t.boundSeconds, kind: t.boundKind, factor: limit / bestFps } : undefined;
  }
  return undefined;
}

/** Every budget line against every target it applies to (a budget naming an unknown target yields nothing). */
export function evaluateBudgets(budgets: readonly Budget[], targets: readonly TargetFacts[]): BudgetResult[] {
  const out: BudgetResult[] = [];
  for (const b of budgets) for (const t of targets) if (appliesTo(b, t.target)) out.push(evaluateBudget(b, t));
  return out;
}
