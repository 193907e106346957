/**
 * Lowering a syntax tree to the checked `Design`: dispatches each top-level block to its lowering, checks names
 * (one model, unique task/target/scenario names) and resolves every task/target reference. `design` is produced only
 * when no error was found.
 */
import type { Budget, Design, HardwareTarget, ModelSpec, Scenario, Span, TaskSpec } from '../../../engine/design';
import * as msg from '../messages';
import { keysOf, keyInfo, type BlockKind } from '../schema';
import type { Statement, SyntaxTree } from '../syntax/tree';
import type { BlockSymbol } from '../types';
import type { ExploreSpec } from '../../../engine/explore/spec';
import { lowerBudget } from './budget';
import { lowerExplore } from './explore';
import type { CheckContext } from './context';
import { lowerHardware } from './hardware';
import { lowerModel } from './model';
import { lowerScenario } from './scenario';
import { closest } from './suggest';
import { lowerTask } from './task';
import { atomText } from './words';

export interface LowerResult {
  design?: Design;
  symbols: BlockSymbol[];
}

export function lower(tree: SyntaxTree, ctx: CheckContext): LowerResult {
  const symbols: BlockSymbol[] = [];
  let model: ModelSpec | undefined;
  let modelStatement: Statement | undefined;
  let modelNameSpan: Span | undefined;
  // A broken or misspelled model keyword was already reported: do not also report the model as missing.
  let modelBroken = false;
  const tasks: TaskSpec[] = [];
  const targets: HardwareTarget[] = [];
  const budgets: Budget[] = [];
  const scenarios: Scenario[] = [];
  const clsHeads: Span[] = [];
  let taskCount = 0;
  const declared = { task: new Map<string, Span>(), hardware: new Map<string, Span>(), scenario: new Map<string, Span>(), explore: new Map<string, Span>() };
  // Explore blocks are lowered after the walk: they read the model as written and the declared targets.
  const exploreStatements: { stmt: Statement; name: string; nameSpan: Span }[] = [];
  const valid = keysOf('file');
  let orphanKind: BlockKind | undefined;

  for (const stmt of tree.statements) {
    const first = stmt.words[0];
    if (!first) {
      ctx.error(stmt.block!.open, msg.bareBlock());
      continue;
    }
    const keyword = first.kind === 'ident' ? first.text : atomText(first);
    const info = first.kind === 'ident' ? keyInfo('file', keyword) : undefined;
    if (!info) {
      // Keys of a block whose `{` is missing (already reported) land at the top level: skip them silently.
      if (orphanKind && first.kind === 'ident' && keyInfo(orphanKind, keyword)) continue;
      const suggestion = first.kind === 'ident' ? closest(keyword, valid) : undefined;
      if (suggestion === 'model') modelBroken = true;
      ctx.error(first.span, msg.unknownBlock(keyword, suggestion, valid));
      continue;
    }
    const second = stmt.words[1];
    const named = keyword !== 'budget';
    if (named && second?.kind !== 'ident') {
      ctx.error(second ? second.span : first.span, msg.missingName(keyword));
      if (keyword === 'model') modelBroken = true;
      continue;
    }
    const extra = stmt.words[2] ?? (!named && second && second.kind !== 'ident' ? second : undefined);
    // A header with extra words or without a block is reported once; its name is still declared so that its uses
    // are not reported as unknown too (one mistake, one diagnostic).
    const declareAnyway = (): void => {
      if (keyword === 'model') modelBroken = true;
      if (second?.kind === 'ident' && (keyword === 'task' || keyword === 'hardware' || keyword === 'scenario')) {
        if (keyword === 'task') taskCount++;
        if (!declared[keyword].has(second.text)) declared[keyword].set(second.text, second.span);
      }
    };
    if (extra) {
      const rest = stmt.words.slice(stmt.words.indexOf(extra));
      ctx.error({ start: extra.span.start, end: rest[rest.length - 1].span.end }, msg.extraWords(keyword, rest.map(atomText).join(' ')));
      declareAnyway();
      continue;
    }
    orphanKind = undefined;
    if (!stmt.block) {
      orphanKind = info.opens;
      ctx.error(spanOfWords(stmt), msg.missingBlock(keyword, info.forms[0]));
      declareAnyway();
      continue;
    }
    const name = second?.kind === 'ident' ? second.text : '';
    const nameSpan = second ? second.span : first.span;
    switch (keyword) {
      case 'model': {
        if (modelStatement) {
          ctx.error(nameSpan, msg.duplicateModel(ctx.line(modelStatement.span.start)));
          continue;
        }
        modelStatement = stmt;
        modelNameSpan = nameSpan;
        const r = lowerModel(ctx, stmt, name, nameSpan);
        symbols.push(r.symbol);
        model = r.model;
        break;
      }
      case 'task': {
        taskCount++;
        if (!checkUnique(ctx, declared.task, 'task', name, nameSpan)) continue;
        const r = lowerTask(ctx, stmt, name, nameSpan);
        symbols.push({ kind: 'task', name, span: stmt.span, nameSpan, children: [] });
        if (r.task) tasks.push(r.task);
        if (r.task?.head.kind === 'cls' && r.headSpan) clsHeads.push(r.headSpan);
        break;
      }
      case 'hardware': {
        if (!checkUnique(ctx, declared.hardware, 'hardware target', name, nameSpan)) continue;
        const t = lowerHardware(ctx, stmt, name, nameSpan);
        symbols.push({ kind: 'hardware', name, span: stmt.span, nameSpan, children: [] });
        if (t) targets.push(t);
        break;
      }
      case 'budget': {
        const target = second?.kind === 'ident' ? second.text : undefined;
        if (second?.kind === 'ident') ctx.references.push({ kind: 'hardware', name: second.text, span: second.span });
        budgets.push(...lowerBudget(ctx, stmt, target, nameSpan));
        symbols.push({ kind: 'budget', name, span: stmt.span, nameSpan, children: [] });
        break;
      }
      case 'scenario': {
        if (!checkUnique(ctx, declared.scenario, 'scenario', name, nameSpan)) continue;
        const s = lowerScenario(ctx, stmt, name, nameSpan);
        symbols.push({ kind: 'scenario', name, span: stmt.span, nameSpan, children: [] });
        if (s) scenarios.push(s);
        break;
      }
      case 'explore': {
        if (!checkUnique(ctx, declared.explore, 'explore', name, nameSpan)) continue;
        exploreStatements.push({ stmt, name, nameSpan });
        symbols.push({ kind: 'explore', name, span: stmt.span, nameSpan, children: [] });
        break;
      }
    }
  }

  const explores: ExploreSpec[] = [];
  for (const e of exploreStatements) {
    const spec = lowerExplore(ctx, e.stmt, e.name, e.nameSpan, { model: modelStatement, targets: [...declared.hardware.keys()] });
    if (spec) explores.push(spec);
  }

  if (!modelStatement && !modelBroken) ctx.error({ start: 0, end: 0 }, msg.missingModel());
  if (modelStatement && taskCount === 0) ctx.error(modelNameSpan!, msg.noTasks());
  if (model && !model.cls) for (const span of clsHeads) ctx.error(span, msg.clsHeadWithoutCls());
  resolveReferences(ctx, declared.task, declared.hardware);

  if (ctx.hasErrors || !model) return { symbols };
  const design: Design = { model, tasks, targets, budgets, scenarios };
  if (explores.length > 0) design.explores = explores;
  return { design, symbols };
}

function spanOfWords(stmt: Statement): Span {
  return { start: stmt.words[0].span.start, end: stmt.words[stmt.words.length - 1].span.end };
}

/** Names are unique per kind: the second declaration is the error, pointing back at the first's line. */
function checkUnique(ctx: CheckContext, seen: Map<string, Span>, kind: string, name: string, span: Span): boolean {
  const first = seen.get(name);
  if (first) {
    ctx.error(span, msg.duplicateName(kind, name, ctx.line(first.start)));
    return false;
  }
  seen.set(name, span);
  return true;
}

function resolveReferences(ctx: CheckContext, tasks: Map<string, Span>, targets: Map<string, Span>): void {
  const taskNames = [...tasks.keys()];
  const targetNames = [...targets.keys()];
  for (const ref of ctx.references) {
    if (ref.kind === 'task' && !tasks.has(ref.name)) ctx.error(ref.span, msg.unknownTask(ref.name, closest(ref.name, taskNames), taskNames));
    if (ref.kind === 'hardware' && !targets.has(ref.name)) ctx.error(ref.span, msg.unknownTarget(ref.name, closest(ref.name, targetNames), targetNames));
  }
}
