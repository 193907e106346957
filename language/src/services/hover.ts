/**
 * Hover: what a key means (unit, default, forms, from the schema), the derived values a designer checks by hand (head
 * dim, tokens, experts × layers, device resources), what a task/target name refers to, a budget's evaluated value, and
 * what a value implies (valueHover.ts: bytes per expert, cycle time, what a strategy does).
 * Every number comes from engine/ helpers or the engine report, so hover agrees with code lens, panels and CLI.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { findDevice } from '../../../engine/catalog';
import { headDim, patchCount, tokenCount, type Design, type Span } from '../../../engine/design';
import { exploreLensText } from '../../../engine/explore/lens';
import { formatBandwidth, formatBytes, formatCount, formatPercent, formatSeconds, formatJoules, DIMENSION_NOUN } from '../../../engine/units';
import { keyInfo } from '../schema';
import { locate } from './locate';
import type { AnalyzedDocument } from './document';
import { contains, toRange } from './convert';
import { nameAt } from './navigation';
import { valueFacts } from './valueHover';

function markdown(lines: string[]): Hover['contents'] {
  return { kind: MarkupKind.Markdown, value: lines.filter((l) => l !== undefined).join('\n\n') };
}

export function deviceFacts(name: string): string[] | undefined {
  const d = findDevice(name);
  if (!d) return undefined;
  const r = d.resources;
  return [
    `**${d.part}** on ${d.board}`,
    `LUT ${r.lut.toLocaleString('en-US')} · FF ${r.ff.toLocaleString('en-US')} · DSP ${r.dsp.toLocaleString('en-US')} · BRAM36 ${r.bram36} · URAM ${r.uram} · off-chip ${formatBandwidth(d.bandwidthBytesPerSec)}`,
    `Sources: ${d.sources.resources}; ${d.sources.bandwidth}`,
  ];
}

function derivedFacts(design: Design | undefined, block: string, key: string): string[] {
  if (!design) return [];
  const m = design.model;
  switch (`${block}.${key}`) {
    case 'model.dim':
    case 'model.heads':
      return [`head dim = ${m.dim} / ${m.heads} = **${headDim(m)}**`];
    case 'model.input':
    case 'model.patch':
    case 'model.cls':
      return [
        `${patchCount(m)} patches (${m.input.height / m.patch.height} × ${m.input.width / m.patch.width})${m.cls ? ' + cls' : ''} = **${tokenCount(m)} tokens**`,
      ];
    case 'model.mlp':
      return [`dense MLP hidden = **${m.mlpHidden}**`];
    case 'model.depth':
      return [`${m.depth} blocks: ${m.moe ? `${m.moe.layers.length} MoE, ${m.depth - m.moe.layers.length} dense` : 'all dense'}`];
    case 'moe.experts':
    case 'moe.layers':
    case 'moe.top_k':
    case 'moe.hidden':
      return m.moe
        ? [
            `${m.moe.experts} experts × ${m.moe.layers.length} MoE layers (${m.moe.layers.join(', ')}) = **${m.moe.experts * m.moe.layers.length} experts**; top-${m.moe.topK}, expert hidden ${m.moe.hidden}`,
          ]
        : [];
    default:
      return [];
  }
}

/** Hover on the key of `vary KEY …`: what the key means in its own block, and the values of this space. */
function varyHover(doc: AnalyzedDocument, key: string, span: Span, offset: number): Hover | null {
  const info = keyInfo('hardware', key) ?? keyInfo('moe', key) ?? keyInfo('model', key);
  if (!info) return null;
  const lines = [`**${key}** — ${info.meaning}`, `\`${info.forms.join('` | `')}\``];
  const axis = doc.analysis.design?.explores?.flatMap((e) => e.axes).find((a) => a.key === key && contains(a.span, offset));
  if (axis) lines.push(`${axis.choices.length} value${axis.choices.length === 1 ? '' : 's'}: ${axis.choices.map((c) => `\`${c.text}\``).join(', ')}`);
  return { contents: markdown(lines), range: toRange(doc.index, span) };
}

/** Hover on an explore block's name: the size of its space and how it runs. */
function exploreHover(doc: AnalyzedDocument, span: Span): Hover | null {
  const spec = doc.analysis.design?.explores?.find((e) => e.nameSpan.start === span.start);
  if (!spec) return null;
  const budgets = doc.analysis.design!.budgets.filter((b) => b.target === undefined || b.target === spec.target);
  const lines = [
    `**explore ${spec.name}** — ${exploreLensText(spec)}`,
    `Objectives: ${spec.objectives.map((o) => `${o.sense} ${o.label}`).join(', ')}`,
    budgets.length > 0
      ? `Constraints: ${budgets.map((b) => `\`${b.text}\``).join(', ')}`
      : `No budget on ${spec.target}: the front is over every point`,
    'Run it: `m3v explore FILE --explore ' + spec.name + '`',
  ];
  return { contents: markdown(lines), range: toRange(doc.index, span) };
}

export function hover(doc: AnalyzedDocument, offset: number): Hover | null {
  const { analysis, report } = doc;
  const design = analysis.design;

  // A task or target name (declaration or reference).
  const name = nameAt(doc, offset);
  if (name) {
    const lines: string[] = [];
    if (name.kind === 'task') {
      const task = design?.tasks.find((t) => t.name === name.name);
      lines.push(`**task ${name.name}**${task ? ` — head ${task.head.kind} ${task.head.output} ${task.head.count}` : ''}`);
      const counts = report?.counts.tasks.find((t) => t.task === name.name);
      if (counts) lines.push(`${formatCount(counts.count.macs)}MACs (${formatCount(counts.count.flops)}FLOPs) per frame, single-task inference`);
    } else {
      const target = design?.targets.find((t) => t.name === name.name);
      lines.push(`**hardware ${name.name}**`);
      if (target) lines.push(...(deviceFacts(target.device) ?? []));
      const use = report?.targets.find((t) => t.name === name.name)?.resources;
      if (use) lines.push(`DSP ${formatPercent(use.dspPercent)} · on-chip ${formatPercent(use.onchipPercent)} of BRAM+URAM`);
    }
    if (lines.length === 1 && !design) lines.push('_the design has errors; details appear once it checks clean_');
    return { contents: markdown(lines), range: toRange(doc.index, name.span) };
  }

  // A budget line: its evaluated value on each target.
  const budgetResults = report?.budgets.filter((b) => contains(b.budget.span, offset)) ?? [];
  const loc = locate(analysis.tree, offset);
  const statement = loc.statement;
  if (budgetResults.length > 0) {
    const lines = [`**budget** \`${budgetResults[0].text}\``, ...budgetResults.map((b) => `${b.target}: ${b.summary}`)];
    return { contents: markdown(lines), range: toRange(doc.index, budgetResults[0].budget.span) };
  }

  if (!statement || loc.blockKind === undefined || loc.wordIndex < 0) return null;
  const word = statement.words[loc.wordIndex];
  const key = statement.words[0]?.kind === 'ident' ? statement.words[0].text : '';

  // The device's value: catalog facts.
  if (loc.blockKind === 'hardware' && key === 'device' && loc.wordIndex > 0 && word.kind === 'ident') {
    const facts =
      deviceFacts(
        statement.words
          .slice(1)
          .map((w) => (w.kind === 'ident' ? w.text : ''))
          .join('_'),
      ) ?? deviceFacts(word.text);
    if (facts) return { contents: markdown(facts), range: toRange(doc.index, word.span) };
  }

  if (loc.blockKind === 'explore' && key === 'vary' && loc.wordIndex === 1 && word.kind === 'ident')
    return varyHover(doc, word.text, word.span, offset);
  if (loc.blockKind === 'file' && key === 'explore' && loc.wordIndex === 1) return exploreHover(doc, word.span);
  const info = keyInfo(loc.blockKind, key);
  if (loc.wordIndex > 0) {
    // A value: what it implies (bytes per expert, cycle time, what a strategy does), then what its key means.
    const facts = valueFacts(design, loc.blockKind, key, statement, loc.wordIndex);
    // An enumerated value without its own explanation: at least name the choices and the default.
    if (facts.length === 0 && info?.values && word.kind === 'ident' && info.values.includes(word.text) && key !== 'device') {
      facts.push(
        `**${word.text}** — one of ${info.values.map((v) => `\`${v}\``).join(', ')}${info.defaultText ? `; default ${info.defaultText}` : ''}`,
      );
    }
    if (facts.length === 0) return null;
    return { contents: markdown([...facts, ...(info ? [`\`${key}\` — ${info.meaning}`] : [])]), range: toRange(doc.index, word.span) };
  }
  if (!info) return null;
  const lines = [`**${key}** — ${info.meaning}`, `\`${info.forms.join('` | `')}\``];
  if (info.dimension) lines.push(`Unit: ${DIMENSION_NOUN[info.dimension]}`);
  if (info.defaultText) lines.push(`Default: ${info.defaultText}`);
  lines.push(...derivedFacts(design, loc.blockKind, key));
  if (loc.blockKind === 'hardware' && design && report) {
    const target = report.targets.find((t) => contains(t.target.span, offset));
    if (target && key === 'schedule') {
      const own = target.strategies.find((s) => s.strategy === target.target.schedule);
      if (own) {
        lines.push(
          `on-chip ${formatBytes(own.onchip.bytes)} · ` +
            own.tasks.map((t) => `${t.task} ${formatSeconds(t.latency.seconds)}, ${formatJoules(t.energy.totalJ)}`).join(' · '),
        );
      }
    }
  }
  return { contents: markdown(lines), range: toRange(doc.index, word.span) };
}
