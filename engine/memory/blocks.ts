/**
 * Mapping an on-chip array onto FPGA memory blocks at their real geometries (AMD UG573 "UltraScale Architecture
 * Memory Resources"): a BRAM36 is 36 Kb configurable as 32K×1, 16K×2, 8K×4, 4K×9, 2K×18, 1K×36 or (simple dual
 * port) 512×72, and splits into two BRAM18 halves (16K×1 … 1K×18, 512×36); a URAM288 is 288 Kb fixed at 4K×72
 * (UG573 ch. 2). An array of `depth` words of `widthBits` bits takes ⌈depth/d⌉ × ⌈width/w⌉ blocks in the aspect
 * ratio (d × w) that needs the fewest — the cascade/width-split arithmetic Vivado applies.
 *
 * Which memory an array lands in follows Vitis HLS (AMD UG1399):
 * - an array the HLS code partitions completely (`#pragma HLS array_partition … complete`) becomes registers, and so
 *   does any array of fewer than 4 words (UG1399 `config_array_partition -complete_threshold`, default 4: such arrays
 *   are partitioned into individual elements automatically);
 * - a shallow array (≤ 64 words) becomes distributed RAM (LUTRAM): a SLICEM LUT6 is a 64 × 1 RAM (AMD UG574
 *   "UltraScale Architecture CLB", Distributed RAM), so a 64-deep array of w bits takes w LUTs and no block. The
 *   64-word threshold is an ASSUMPTION about Vivado's `ram_style auto` choice (UG901), which HLS leaves to synthesis
 *   unless `bind_storage` says otherwise;
 * - anything deeper goes to BRAM36/URAM blocks.
 */

export const BRAM36_BITS = 36 * 1024;
export const URAM_BITS = 288 * 1024;
export const BRAM36_BYTES = BRAM36_BITS / 8; // 4,608 B including parity bits, the capacity Vivado reports
export const URAM_BYTES = URAM_BITS / 8; // 36,864 B
/** Up to this depth an array is distributed RAM (one LUT6 per bit of width per 64 words). */
export const LUTRAM_MAX_DEPTH = 64;
/** Arrays with fewer words are completely partitioned by Vitis HLS (UG1399 config_array_partition -complete_threshold). */
export const COMPLETE_PARTITION_THRESHOLD = 4;

/** BRAM36 aspect ratios (depth, width) — UG573 Table 1-3 / 1-4 (TDP up to ×36, SDP ×72). */
const BRAM36_SHAPES: ReadonlyArray<[number, number]> = [
  [32768, 1], [16384, 2], [8192, 4], [4096, 9], [2048, 18], [1024, 36], [512, 72],
];
/** BRAM18 aspect ratios, counted as half a BRAM36. */
const BRAM18_SHAPES: ReadonlyArray<[number, number]> = [
  [16384, 1], [8192, 2], [4096, 4], [2048, 9], [1024, 18], [512, 36],
];
const URAM_SHAPE: [number, number] = [4096, 72];

export type MemoryKind = 'bram' | 'uram' | 'lutram' | 'registers';

export interface BlockMapping {
  kind: MemoryKind;
  /** BRAM36 blocks (may end in .5 when a BRAM18 half suffices) or URAM blocks. 0 for registers and LUTRAM. */
  blocks: number;
  /** LUTs of a LUTRAM array (0 otherwise). */
  luts: number;
  /** The aspect ratio used, e.g. "1K×36" or "4K×72". */
  shape: string;
  /** Bits the blocks provide (for the utilisation of their capacity). */
  capacityBits: number;
}

function shapeName([d, w]: [number, number]): string {
  return `${d >= 1024 ? `${d / 1024}K` : d}×${w}`;
}

function blocksFor(depth: number, width: number, [d, w]: [number, number]): number {
  return Math.ceil(depth / d) * Math.ceil(width / w);
}

export function mapToBram(depth: number, widthBits: number): BlockMapping {
  let best: BlockMapping | undefined;
  for (const s of BRAM36_SHAPES) {
    const n = blocksFor(depth, widthBits, s);
    if (!best || n < best.blocks) best = { kind: 'bram', blocks: n, luts: 0, shape: shapeName(s), capacityBits: n * BRAM36_BITS };
  }
  for (const s of BRAM18_SHAPES) {
    const n = blocksFor(depth, widthBits, s) / 2;
    if (n < best!.blocks) best = { kind: 'bram', blocks: n, luts: 0, shape: `${shapeName(s)} (BRAM18)`, capacityBits: n * BRAM36_BITS };
  }
  return best!;
}

export function mapToUram(depth: number, widthBits: number): BlockMapping {
  const n = blocksFor(depth, widthBits, URAM_SHAPE);
  return { kind: 'uram', blocks: n, luts: 0, shape: shapeName(URAM_SHAPE), capacityBits: n * URAM_BITS };
}

/**
 * Chooses where an array goes: registers when the HLS code partitions it completely, LUTRAM when shallow; otherwise
 * the block type a designer would bind it to with `bind_storage`: URAM when the part has enough URAM left and either
 * URAM wastes no more capacity than BRAM or the BRAM left cannot hold it (spilling big buffers to URAM when BRAM runs
 * out); BRAM otherwise (possibly over the part's capacity, which the utilisation then shows).
 */
export function chooseMapping(depth: number, widthBits: number, uramLeft: number, bramLeft = Infinity, partitioned = false): BlockMapping {
  const bits = depth * widthBits;
  if (partitioned || bits === 0 || depth < COMPLETE_PARTITION_THRESHOLD) return { kind: 'registers', blocks: 0, luts: 0, shape: 'registers', capacityBits: 0 };
  if (depth <= LUTRAM_MAX_DEPTH) return { kind: 'lutram', blocks: 0, luts: widthBits, shape: `LUTRAM ${depth}×${widthBits}`, capacityBits: 0 };
  const bram = mapToBram(depth, widthBits);
  if (uramLeft > 0) {
    const uram = mapToUram(depth, widthBits);
    const bramFits = bram.blocks <= bramLeft;
    const uramIsEfficient = bits >= URAM_BITS && uram.capacityBits <= bram.capacityBits;
    if (uram.blocks <= uramLeft && (uramIsEfficient || !bramFits)) return uram;
  }
  return bram;
}
