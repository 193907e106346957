/**
 * The FPGA device catalog: datasheet resources per part, the board's off-chip bandwidth, and default power and
 * energy coefficients per family. Every figure carries its source beside it; a hardware block's `device` line fills
 * its target from here, and any resource can be overridden in the design.
 *
 * Verification (engine issue): resources were checked against the AMD documents named beside each part; where a
 * figure was cross-checked in a second public source it says so. BRAM36 counts are the datasheet's Mb figure ÷ 36 Kb
 * (e.g. 32.1 Mb / 36 Kb = 912). Bandwidth is the peak of the memory interface the PL reaches (width × data rate);
 * sustained AXI bandwidth is lower and is what a `bandwidth` line in the design should state.
 * Keys and aliases are the contract the checker relies on (unknown device → error listing `DEVICE_NAMES`).
 */
import type { DeviceResources, EnergyCoefficients } from './design';

export type DeviceFamily = 'zynq_ultrascale_plus' | 'kria' | 'alveo';

export interface CatalogDevice {
  /** Catalog key (the part name, lower case). */
  key: string;
  /** Board names and other spellings that resolve to this part (`zcu102`, `kv260`, `u50`, …). */
  aliases: string[];
  part: string;
  board: string;
  family: DeviceFamily;
  resources: DeviceResources;
  /** Peak off-chip bandwidth of the board's memory the PL can reach, bytes/s (the DDR as the board preset configures it). */
  bandwidthBytesPerSec: number;
  /** The ports a PL kernel reaches that memory through (widest the part allows), and how many the default wiring uses. */
  ports: { bits: number; actPorts: number };
  /** Board power outside the PL while a model runs, when a measurement of this board exists; else undefined. */
  boardPowerW?: number;
  /** Where each figure comes from. */
  sources: { resources: string; bandwidth: string; ports: string; boardPower?: string };
}

/**
 * Zynq UltraScale+ PL-to-PS data ports (S_AXI_HPC0/1, S_AXI_HP0..3): "user configurable as 32, 64, and 128 bits in
 * width. The default width is 128" (AMD PG201 Zynq UltraScale+ MPSoC Processing System, "AXI4 I/O Compliant
 * Interfaces"), so a kernel's 256-bit m_axi master moves at most 128 bits a clock through one of them. Default wiring:
 * one port for weights and two for activations (one read and one write stream at a time), of the six the PS offers.
 */
const ZYNQ_US_PORTS = { bits: 128, actPorts: 2 };
const ZYNQ_US_PORTS_SOURCE =
  'AMD PG201 (Zynq UltraScale+ MPSoC PS), AXI4 I/O Compliant Interfaces: PL master ports (S_AXI_HP/HPC) 32/64/128-bit, default 128; default wiring 1 weight port + 2 activation ports';
/**
 * Alveo HBM: each of the 32 pseudo-channels is reached through a 256-bit AXI port at up to 14.375 GB/s
 * (AMD UG1393, "HBM Configuration and Use": 14.375 GB/s max theoretical per PC, 460 GB/s for 32 PCs).
 */
const ALVEO_HBM_PORTS = { bits: 256, actPorts: 2 };
const ALVEO_HBM_PORTS_SOURCE =
  'AMD UG1393 (Vitis), HBM Configuration and Use: 32 pseudo-channels, one 256-bit AXI port each, 14.375 GB/s max per PC; default wiring 1 weight port + 2 activation ports';

export interface FamilyDefaults {
  staticPowerW: number;
  energy: EnergyCoefficients;
  sources: { staticPower: string; energy: string };
}

export const DEVICES: readonly CatalogDevice[] = [
  {
    key: 'xczu9eg',
    aliases: ['zcu102', 'zu9eg'],
    part: 'XCZU9EG-FFVB1156-2-E',
    board: 'ZCU102',
    family: 'zynq_ultrascale_plus',
    resources: { lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0 },
    // 64 bit × 2133.33 MT/s = 17.07 GB/s.
    bandwidthBytesPerSec: (64 / 8) * 2133.33e6,
    ports: ZYNQ_US_PORTS,
    // CALIBRATED on Edge-MoE's on-board measurement (14.54 W while the kernel runs, ../shared/research/measured-boards.md):
    // 14.54 W − 2.5 W device static (family default) − 0.84 W PL dynamic as this cost model estimates it for that design
    // (MACs, on-chip and DDR bytes per frame over its 35 ms) = 11.2 W. Physically: the ZCU102's 12 V input also feeds
    // the PS running Linux and the host program, the DDR4 SODIMM, the fan, PHYs and regulator losses, none of which the
    // PL model sees. It is a property of this board under that load, not of the design: other designs on a ZCU102 reuse it.
    boardPowerW: 11.2,
    sources: {
      resources:
        'AMD DS891 Zynq UltraScale+ MPSoC Product Selection Guide (XMP104), ZU9EG column: 274,080 LUTs, 548,160 FFs, 2,520 DSP, 32.1 Mb BRAM = 912 BRAM36, no URAM (cross-checked: Edge-MoE targets xczu9eg-ffvb1156-2-e)',
      bandwidth:
        'AMD UG1182 ZCU102 Evaluation Board User Guide (PS-side DDR4 SODIMM, 64-bit) at the speed the Vivado ZCU102 board preset configures: DDR4-2133 (sharc-lab/Edge-MoE bitstream/bitstream.hwh: PSU__DDRC__SPEED_BIN = DDR4_2133P, PSU__DDRC__BUS_WIDTH = 64 Bit): 64 bit × 2133 MT/s = 17.07 GB/s peak',
      ports: ZYNQ_US_PORTS_SOURCE,
      boardPower:
        "calibrated on Edge-MoE's on-board 14.54 W (ICCAD'23 Table V, ../shared/research/measured-boards.md) minus the device static and PL dynamic this model estimates for that design",
    },
  },
  {
    key: 'xczu7ev',
    aliases: ['zcu104', 'zu7ev'],
    part: 'XCZU7EV-2FFVC1156',
    board: 'ZCU104',
    family: 'zynq_ultrascale_plus',
    resources: { lut: 230_400, ff: 460_800, dsp: 1_728, bram36: 312, uram: 96 },
    bandwidthBytesPerSec: 19.2e9,
    ports: ZYNQ_US_PORTS,
    sources: {
      resources:
        'AMD DS891 Zynq UltraScale+ MPSoC Product Selection Guide (XMP104), ZU7EV column: 230,400 LUTs, 460,800 FFs, 1,728 DSP, 11.0 Mb BRAM = 312 BRAM36, 27 Mb URAM = 96 URAM288',
      bandwidth: 'AMD UG1267 ZCU104 Evaluation Board User Guide, PS-side DDR4 (2 GB, 64-bit components): 64 bit × 2400 MT/s = 19.2 GB/s peak',
      ports: ZYNQ_US_PORTS_SOURCE,
    },
  },
  {
    key: 'xck26',
    aliases: ['kv260', 'k26'],
    part: 'XCK26-SFVC784-2LV-C',
    board: 'KV260',
    family: 'kria',
    resources: { lut: 117_120, ff: 234_240, dsp: 1_248, bram36: 144, uram: 64 },
    bandwidthBytesPerSec: 19.2e9,
    ports: ZYNQ_US_PORTS,
    sources: {
      resources:
        'AMD DS987 Kria K26 SOM Data Sheet, PL resources: 256K system logic cells, 117,120 LUTs, 234,240 FFs, 1,248 DSP, 144 BRAM36 (5.1 Mb), 64 URAM (18 Mb); cross-checked in AMD kria-apps-docs (KV260 NLP SmartVision, "K26 Resource" row: 117120 LUT, 144 BRAM, 1248 DSP, 64 URAM)',
      bandwidth: 'AMD DS987 Kria K26 SOM Data Sheet: 4 GB DDR4, 64-bit, 2400 MT/s: 64 bit × 2400 MT/s = 19.2 GB/s peak',
      ports: ZYNQ_US_PORTS_SOURCE,
    },
  },
  {
    key: 'xczu3eg',
    aliases: ['ultra96', 'ultra96v2', 'zu3eg'],
    part: 'XCZU3EG-SBVA484-1-I',
    board: 'Ultra96-V2',
    family: 'zynq_ultrascale_plus',
    resources: { lut: 70_560, ff: 141_120, dsp: 360, bram36: 216, uram: 0 },
    bandwidthBytesPerSec: 8.533e9,
    ports: ZYNQ_US_PORTS,
    sources: {
      resources:
        'AMD DS891 Zynq UltraScale+ MPSoC Product Selection Guide (XMP104), ZU3EG column: 70,560 LUTs, 141,120 FFs, 360 DSP, 7.6 Mb BRAM = 216 BRAM36, no URAM',
      bandwidth:
        'Avnet Ultra96-V2 Hardware User Guide: 2 GB Micron LPDDR4 (512M × 32): 32 bit × 2133 MT/s = 8.53 GB/s peak (data rate as in the Avnet board preset; ASSUMPTION where a design clocks the PS DDR differently)',
      ports: ZYNQ_US_PORTS_SOURCE,
    },
  },
  {
    key: 'alveo_u50',
    aliases: ['u50', 'alveo', 'xcu50'],
    part: 'XCU50 (Virtex UltraScale+ HBM, VU35P class)',
    board: 'Alveo U50',
    family: 'alveo',
    resources: { lut: 872_000, ff: 1_743_000, dsp: 5_952, bram36: 1_344, uram: 640 },
    bandwidthBytesPerSec: 316e9,
    ports: ALVEO_HBM_PORTS,
    sources: {
      resources:
        'AMD DS965 Alveo U50 Data Sheet, Table 1: 872K LUTs, 1,743K registers, 5,952 DSP, 47.3 Mb BRAM = 1,344 BRAM36, 180 Mb URAM = 640 URAM288',
      bandwidth: 'AMD DS965 Alveo U50 Data Sheet, Table 1: 8 GB HBM2, 316 GB/s total bandwidth',
      ports: ALVEO_HBM_PORTS_SOURCE,
    },
  },
];

/*
 * Energy coefficients. None is a measurement of these boards; each is derived as written and is an ASSUMPTION a user
 * should override (`power static …`, `energy mac …`, `energy ddr …`) with XPE or board measurements.
 * - MAC: Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014, Fig. 1.1.9 (45 nm, 0.9 V):
 *   32-bit int multiply 3.1 pJ + 32-bit add 0.1 pJ. A 16-bit × 32-bit fixed MAC is between the 8-bit (0.2 pJ) and the
 *   32-bit multiply; scaling 45 nm → 16 nm FinFET (≈ ×0.35 energy, ASSUMPTION) and adding FPGA DSP48E2 cascade/routing
 *   overhead gives ≈ 1.1 pJ per MAC.
 * - On-chip: Horowitz ISSCC 2014: 64-bit read of an 8 KB SRAM 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ (45 nm). A BRAM36
 *   (4.5 KB) access through FPGA routing at 16 nm: ≈ 5 pJ per byte (ASSUMPTION: the 45 nm 32 KB figure per 4 bytes,
 *   unscaled, to account for routing).
 * - Off-chip DDR4: O'Connor et al., "Fine-Grained DRAM", MICRO-50 2017 — DDR-class interfaces spend ≈ 15 pJ/bit
 *   (array + I/O) vs ≈ 3.9 pJ/bit for HBM2; 15 pJ/bit = 120 pJ/B. (Table values recalled, not re-read here; Horowitz
 *   2014's 1.3–2.6 nJ per 64-bit DRAM access, 160–330 pJ/B, is the older, higher bound.)
 * - Off-chip HBM2 (Alveo U50): ≈ 3.9 pJ/bit = 31 pJ/B, rounded to 30 pJ/B (same source).
 * - Static power: AMD Xilinx Power Estimator (XPE, UG440) is the tool for a real figure; it depends on part, speed
 *   grade, junction temperature and process corner. Defaults (ASSUMPTIONS, order of magnitude from XPE device static +
 *   PS idle at 50–60 °C junction): mid-size ZU+ MPSoC 2.5 W, K26 SOM 2.0 W (smaller device, -LV rail), Alveo U50 18 W
 *   (board idle incl. HBM; DS965 lists 75 W maximum board power).
 */
export const FAMILY_DEFAULTS: Record<DeviceFamily, FamilyDefaults> = {
  zynq_ultrascale_plus: {
    staticPowerW: 2.5,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 120e-12 },
    sources: {
      staticPower: 'ASSUMPTION: XPE (UG440)-style device static + PS idle for a mid-size ZU+ at 50–60 °C junction; override with XPE',
      energy:
        "MAC 1.1 pJ: Horowitz ISSCC'14 45 nm (32b mult 3.1 pJ + add 0.1 pJ) scaled to 16 nm + DSP routing (assumption); on-chip 5 pJ/B: Horowitz ISSCC'14 SRAM 32 KB 20 pJ/32 bit (assumption for BRAM + routing); DDR4 120 pJ/B: ≈15 pJ/bit, O'Connor et al. MICRO'17",
    },
  },
  kria: {
    staticPowerW: 2.0,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 120e-12 },
    sources: {
      staticPower: 'ASSUMPTION: XPE (UG440)-style static for the smaller K26 device (-2LV) incl. PS idle; override with XPE',
      energy: "as Zynq UltraScale+ (same 16 nm fabric and DDR4): Horowitz ISSCC'14 scaled; O'Connor et al. MICRO'17 for DDR4",
    },
  },
  alveo: {
    staticPowerW: 18,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 30e-12 },
    sources: {
      staticPower: 'ASSUMPTION: Alveo U50 board idle incl. HBM stacks (DS965 gives 75 W maximum board power); override with a measurement',
      energy: "MAC and on-chip as Zynq UltraScale+ (16 nm); HBM2 30 pJ/B: ≈3.9 pJ/bit, O'Connor et al. MICRO'17",
    },
  },
};

/** Every name the `device` key accepts, for messages and completion. */
export const DEVICE_NAMES: readonly string[] = DEVICES.flatMap((d) => [d.key, ...d.aliases]);

export function findDevice(name: string): CatalogDevice | undefined {
  const n = name.toLowerCase();
  return DEVICES.find((d) => d.key === n || d.aliases.includes(n));
}
