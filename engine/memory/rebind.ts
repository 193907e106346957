/**
 * When the largest-first binding of `planOnchip` overflows one kind of block while the other has room, a designer
 * does not ship an unroutable design: they move arrays between BRAM and URAM with `#pragma HLS bind_storage … impl=`
 * (AMD UG1399) until both fit. This module finds such a binding exactly.
 *
 * Each block array (one already bound to BRAM or URAM; registers and LUTRAM stay where they are) may take either
 * kind, at the block count its geometry needs in that kind (`mapToBram` / `mapToUram`, UG573). Among the bindings
 * that fit both capacities it returns the one with the smallest larger utilisation (max of BRAM36 % and URAM %),
 * ties broken by fewer moves from the greedy binding; `planOnchip` calls it only when the greedy binding overflows,
 * so a design that already fits is never changed. Balancing the two leaves the most headroom to each. A 0/1 knapsack
 * over BRAM half-blocks (a BRAM18 half is the unit), minimising URAM blocks: O(arrays × 2 · BRAM36 capacity).
 */
import { mapToBram, mapToUram, type BlockMapping } from './blocks';

export interface BindableArray {
  banks: number;
  depth: number;
  widthBits: number;
  /** The binding chosen so far (only 'bram' and 'uram' arrays are rebound). */
  mapping: BlockMapping;
}

export interface Capacity {
  bram36: number;
  uram: number;
}

/** The arrays' mappings after rebinding, or undefined when no binding fits both capacities (keep the greedy one). */
export function rebindToFit(arrays: readonly BindableArray[], capacity: Capacity): BlockMapping[] | undefined {
  const halfCap = Math.floor(capacity.bram36 * 2);
  if (capacity.uram <= 0 || halfCap <= 0) return undefined;
  const movable: number[] = [];
  const asBram: BlockMapping[] = [];
  const asUram: BlockMapping[] = [];
  arrays.forEach((a, i) => {
    const kind = a.mapping.kind;
    if (kind !== 'bram' && kind !== 'uram') return;
    const banks = a.banks;
    const scale = (m: BlockMapping): BlockMapping => ({ ...m, blocks: m.blocks * banks, capacityBits: m.capacityBits * banks });
    asBram[i] = kind === 'bram' ? a.mapping : scale(mapToBram(a.depth, a.widthBits));
    asUram[i] = kind === 'uram' ? a.mapping : scale(mapToUram(a.depth, a.widthBits));
    movable.push(i);
  });
  if (movable.length === 0) return undefined;
  // best[h] = the least URAM blocks (then the fewest moves) over bindings using exactly h BRAM18 halves.
  const INF = Number.POSITIVE_INFINITY;
  let uramAt = new Float64Array(halfCap + 1).fill(INF);
  let movesAt = new Float64Array(halfCap + 1).fill(INF);
  uramAt[0] = 0;
  movesAt[0] = 0;
  // choice[k][h]: 1 when array movable[k] is in BRAM in the best binding reaching h halves after k + 1 arrays.
  const choice: Uint8Array[] = [];
  for (let k = 0; k < movable.length; k++) {
    const i = movable[k];
    const bramHalves = Math.round(asBram[i].blocks * 2);
    const uramBlocks = asUram[i].blocks;
    const wasBram = arrays[i].mapping.kind === 'bram' ? 1 : 0;
    const nextUram = new Float64Array(halfCap + 1).fill(INF);
    const nextMoves = new Float64Array(halfCap + 1).fill(INF);
    const pick = new Uint8Array(halfCap + 1);
    for (let h = 0; h <= halfCap; h++) {
      if (uramAt[h] === INF) continue;
      // to URAM
      const u = uramAt[h] + uramBlocks;
      const mu = movesAt[h] + wasBram;
      if (u <= capacity.uram && (u < nextUram[h] || (u === nextUram[h] && mu < nextMoves[h]))) {
        nextUram[h] = u;
        nextMoves[h] = mu;
        pick[h] = 0;
      }
      // to BRAM
      const hb = h + bramHalves;
      const mb = movesAt[h] + (1 - wasBram);
      if (hb <= halfCap && (uramAt[h] < nextUram[hb] || (uramAt[h] === nextUram[hb] && mb < nextMoves[hb]))) {
        nextUram[hb] = uramAt[h];
        nextMoves[hb] = mb;
        pick[hb] = 1;
      }
    }
    uramAt = nextUram;
    movesAt = nextMoves;
    choice.push(pick);
  }
  let bestH = -1;
  let bestScore = INF;
  let bestMoves = INF;
  for (let h = 0; h <= halfCap; h++) {
    if (uramAt[h] === INF) continue;
    const score = Math.max(h / 2 / capacity.bram36, uramAt[h] / capacity.uram);
    if (score < bestScore - 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && movesAt[h] < bestMoves)) {
      bestScore = score;
      bestMoves = movesAt[h];
      bestH = h;
    }
  }
  if (bestH < 0) return undefined;
  const out = arrays.map((a) => a.mapping);
  let h = bestH;
  for (let k = movable.length - 1; k >= 0; k--) {
    const i = movable[k];
    if (choice[k][h] === 1) {
      out[i] = asBram[i];
      h -= Math.round(asBram[i].blocks * 2);
    } else out[i] = asUram[i];
  }
  return out;
}
