/**
 * Inline fixtures for language-feature tests: `|` marks the cursor, `⟦…⟧` mark expected ranges. Returns the clean text,
 * the cursor position and the expected ranges as LSP positions.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../language/src/lineIndex';
import { createLanguageServices, type LanguageServices } from '../../language/src/services/index';

export interface Fixture {
  text: string;
  cursor: Position;
  ranges: Range[];
  services: LanguageServices;
  uri: string;
}

export function fixture(marked: string): Fixture {
  let text = '';
  let cursorOffset = -1;
  const starts: number[] = [];
  const spans: { start: number; end: number }[] = [];
  for (const ch of marked) {
    if (ch === '|') cursorOffset = text.length;
    else if (ch === '⟦') starts.push(text.length);
    else if (ch === '⟧') spans.push({ start: starts.pop()!, end: text.length });
    else text += ch;
  }
  const index = new LineIndex(text);
  const services = createLanguageServices();
  const uri = 'file:///test/design.m3v';
  services.update(uri, 1, text);
  return {
    text,
    cursor: index.positionAt(Math.max(0, cursorOffset)),
    ranges: spans.sort((a, b) => a.start - b.start).map((s) => ({ start: index.positionAt(s.start), end: index.positionAt(s.end) })),
    services,
    uri,
  };
}

/** A small valid design to splice fixtures into. */
export const DESIGN = `model tiny {
  input 3 x 64 x 64
  patch 16
  dim   64
  heads 4
  depth 4
  moe {
    layers  odd
    experts 8
    top_k   2
    hidden  2x
  }
}
task semseg { head linear classes 5 }
task depth { head linear channels 1 }
hardware board {
  device xczu9eg
  clock  200 MHz
}
budget board {
  latency semseg < 40 ms
}
scenario drive {
  frames repeat 2 { semseg depth }
  fps 30
}
`;
