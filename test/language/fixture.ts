/**
 * Inline fixtures with markers: `⟦…⟧` marks a span in the text. `marked(text)` strips the markers and returns the
 * clean text and the marked spans (offsets in the clean text), so tests assert exact diagnostic ranges.
 */
import { analyzeDocument } from '../../language/src/analyze';
import type { DocumentAnalysis } from '../../language/src/types';

export interface Marked {
  text: string;
  spans: { start: number; end: number }[];
}

export function marked(source: string): Marked {
  let text = '';
  const spans: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (const ch of source) {
    if (ch === '⟦') open.push(text.length);
    else if (ch === '⟧') spans.push({ start: open.pop()!, end: text.length });
    else text += ch;
  }
  spans.sort((a, b) => a.start - b.start);
  return { text, spans };
}

/** A complete valid design; tests replace parts of it to produce one error at a time. */
export const BASE = `model tiny {
  input 3 x 128 x 256
  patch 16
  dim 192
  heads 3
  depth 12
  mlp 4x
  moe {
    layers odd
    experts 16
    top_k 2
    hidden 384
  }
}
task semseg { head linear classes 7 }
task depth { head linear channels 1 }
hardware zcu102 {
  device xczu9eg
  clock 300 MHz
}
budget zcu102 {
  latency semseg < 40 ms
}
scenario drive {
  frames repeat 2 { semseg depth }
  fps 30
}
`;

export function analyzeMarked(source: string): { analysis: DocumentAnalysis; spans: Marked['spans']; text: string } {
  const { text, spans } = marked(source);
  return { analysis: analyzeDocument(text), spans, text };
}
