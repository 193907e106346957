/**
 * Hover on a value (not a key): what the number or word written there implies for the design. `experts 16` → bytes
 * of one expert and of one MoE layer's experts at each target's weight format; `clock 300 MHz` → the cycle time and,
 * with the bandwidth, bytes per cycle; `linear 16 x 16` → MACs per cycle and the peak rate; an enumerated value
 * (`expert_by_expert`, `per_task`, `skewed`, …) → what it does. Every figure comes from engine helpers and is
 * formatted by engine/units.ts, so hover agrees with code lens, panels and the CLI.
 */
import { expertBytes } from '../../../engine/memory/traffic';
import { formatBits, type Design, type HardwareTarget, type NumberFormat } from '../../../engine/design';
import { UNITS, formatBandwidth, formatBytes, formatCount, formatHz, formatPercent, formatSeconds, sig3 } from '../../../engine/units';
import type { BlockKind } from '../schema';
import type { Atom, Statement } from '../syntax/tree';

/** What each enumerated value does, keyed `block.key` then value. Strategy texts follow docs/schedule.md "Strategies". */
export const VALUE_MEANINGS: Record<string, Record<string, string>> = {
  'hardware.schedule': {
    expert_by_expert:
      'Edge-MoE `compute_moe`: the gate fills one token queue per expert; each used expert is loaded once per layer (FC1 into ping, FC2 into pong, double-buffered) and runs over its whole queue. On-chip: two expert buffers. No task state persists, so task switches are free.',
    token_by_token:
      'k expert slots, each holding one whole expert; tokens are walked in order and a missing expert is loaded into a free slot. Least on-chip memory, but an expert may be loaded many times per layer.',
    all_resident:
      "All E experts of a layer are loaded in one bulk load into one bank, then computed per queue with no weight stalls. Most on-chip memory; routers and the current task's head stay on chip across frames, so a task switch reloads them.",
  },
  'moe.gate': {
    per_task: 'One router per task and MoE layer (M3ViT multi-gate): a task switch changes which router is read.',
    shared: 'One task-conditioned router per MoE layer; the task enters as an embedding of width `embed D`.',
  },
  'moe.routing': {
    balanced: 'Every expert receives the same share of tokens (the estimates’ default).',
    worst: 'Every token on experts 0…k−1: the fewest experts, each with the longest queue (all N tokens) — engine/schedule/routing.ts.',
    trace: 'The token-to-expert counts of a real model run, read from a routing-trace JSON file.',
    skewed: 'Expert popularity ∝ 1/(rank+1)^alpha (Zipf), tokens drawn with a seeded PRNG: reproducible imbalance.',
  },
  'moe.layers': {
    odd: 'Blocks 1, 3, 5, … (0-based) are MoE layers, as in M3ViT and Edge-MoE.',
    even: 'Blocks 0, 2, 4, … (0-based) are MoE layers.',
    all: 'Every block is a MoE layer.',
    every: '`every N from S`: blocks S, S+N, S+2N, … are MoE layers.',
  },
  'task.head': {
    linear: 'Per-patch linear classifier or regressor, upsampled to the input size.',
    pup: 'Progressive upsampling head of the M3ViT code (`VisionTransformerUpHead`): convolutions of `width` channels.',
    cls: 'A classifier on the cls token.',
  },
  'model.cls': {
    on: 'A cls token is prepended: tokens = patches + 1.',
    off: 'No cls token: tokens = patches.',
  },
};

function formatName(f: NumberFormat): string {
  return f.kind === 'fixed' ? `fixed<${f.width},${f.integer}>` : f.kind;
}

/** The number a value word belongs to (the word itself, or the number before a unit word) with its SI value. */
function quantityAt(words: Atom[], index: number): { value: number; si: number } | undefined {
  let n = words[index];
  if (n?.kind === 'ident' && UNITS.has(n.text) && words[index - 1]?.kind === 'number') n = words[index - 1];
  if (n?.kind !== 'number') return undefined;
  const next = words[words.indexOf(n) + 1];
  const unit = n.suffix?.text ?? (next?.kind === 'ident' && UNITS.has(next.text) ? next.text : undefined);
  return { value: n.value, si: n.value * (unit ? (UNITS.get(unit)?.factor ?? 1) : 1) };
}

/** The checked target whose block contains `offset`. */
function targetAt(design: Design | undefined, offset: number): HardwareTarget | undefined {
  return design?.targets.find((t) => offset >= t.span.start && offset <= t.span.end);
}

/** Lines describing the value word `index` of `statement` (key `key` in a `kind` block); [] when there is nothing. */
export function valueFacts(design: Design | undefined, kind: BlockKind, key: string, statement: Statement, index: number): string[] {
  const word = statement.words[index];
  if (word.kind === 'ident') {
    const meaning = VALUE_MEANINGS[`${kind}.${key}`]?.[word.text];
    if (meaning) return [`**${word.text}** — ${meaning}`];
  }
  const q = quantityAt(statement.words, index);
  if (!q) return [];
  const target = targetAt(design, statement.span.start);
  switch (`${kind}.${key}`) {
    case 'hardware.clock': {
      if (q.si <= 0) return [];
      const lines = [`${formatHz(q.si)} → one cycle = **${formatSeconds(1 / q.si)}**`];
      if (target)
        lines.push(
          `off-chip ${formatBandwidth(target.bandwidthBytesPerSec)} = **${sig3(target.bandwidthBytesPerSec / q.si)} B per cycle** at this clock`,
        );
      return lines;
    }
    case 'hardware.bandwidth':
      if (!target || q.si <= 0) return [`${formatBandwidth(q.si)}`];
      return [`${formatBandwidth(q.si)} at ${formatHz(target.clockHz)} = **${sig3(q.si / target.clockHz)} B per cycle**`];
    case 'hardware.linear': {
      if (!target) return [];
      const macs = target.linear.inputs * target.linear.outputs;
      return [
        `${target.linear.inputs} × ${target.linear.outputs} = **${macs} MACs per cycle**; at ${formatHz(target.clockHz)}: peak ${formatCount(macs * target.clockHz)}MAC/s`,
      ];
    }
    case 'moe.experts':
    case 'moe.hidden':
    case 'moe.top_k': {
      const moe = design?.model.moe;
      if (!moe || !design) return [];
      const lines: string[] = [];
      if (key === 'top_k')
        lines.push(
          `each token runs ${moe.topK} of ${moe.experts} experts per MoE layer (${formatPercent((100 * moe.topK) / moe.experts)} of the expert MLPs)`,
        );
      for (const t of design.targets) {
        const one = expertBytes(design, t);
        lines.push(
          `on **${t.name}** (weights ${formatName(t.weights)}, ${formatBits(t.weights)} bit): ${formatBytes(one)} per expert · ` +
            `${formatBytes(one * moe.experts)} per MoE layer (${moe.experts} experts) · ${formatBytes(one * moe.experts * moe.layers.length)} for all ${moe.layers.length} MoE layers`,
        );
      }
      if (design.targets.length === 0) lines.push('_add a `hardware` block to see bytes per expert at its weight format_');
      return lines;
    }
    default:
      return [];
  }
}
