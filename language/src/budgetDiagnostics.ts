/**
 * Budget lines as diagnostics: the engine evaluates each budget for each target it applies to; a violated budget is an
 * error at the budget line (`budget-impossible` when even the lower bound misses it), one met within 10 % of its limit a warning, one the engine cannot estimate (LUT) an info.
 * Kept apart from `analyzeDocument` because it needs the full engine analysis, which faces run after a clean parse
 * (and with routing traces a Node-side face has loaded).
 */
import type { BudgetResult } from '../../engine/budgets';
import type { M3vDiagnostic } from './types';
import { budgetImpossible, budgetNearLimit, budgetNotEstimated, budgetViolated } from './messages';

export function budgetDiagnostics(results: readonly BudgetResult[]): M3vDiagnostic[] {
  const multiTarget = new Set(results.map((r) => r.target)).size > 1;
  const diagnostics: M3vDiagnostic[] = [];
  for (const r of results) {
    if (r.ok === undefined) {
      const msg = budgetNotEstimated(r.summary, r.target, multiTarget);
      diagnostics.push({ span: r.budget.span, severity: 'info', ...msg });
    } else if (!r.ok) {
      // Below the lower bound: no schedule, array or overlap can meet it (its own code, so a quick fix can tell).
      const msg = (r.impossible ? budgetImpossible : budgetViolated)(r.summary, r.target, multiTarget);
      diagnostics.push({ span: r.budget.span, severity: 'error', ...msg });
    } else if (r.warning) {
      const msg = budgetNearLimit(r.summary, r.target, multiTarget);
      diagnostics.push({ span: r.budget.span, severity: 'warning', ...msg });
    }
  }
  return diagnostics;
}
