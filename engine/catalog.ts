/**
 * The FPGA device catalog: datasheet resources per part, the board's off-chip bandwidth, and default power and
 * energy coefficients per family. Every figure carries its source beside it; a hardware block's `device` line fills
 * its target from here, and any resource can be overridden in the design.
 *
 * NOTE: the engine issue owns verifying each figure and citing it precisely; keys and aliases are the contract the
 * checker relies on (unknown device → error listing `DEVICE_NAMES`).
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
  /** Peak off-chip bandwidth of the board's memory the PL can reach, bytes/s. */
  bandwidthBytesPerSec: number;
  /** Where each figure comes from. */
  sources: { resources: string; bandwidth: string };
}

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
    bandwidthBytesPerSec: 19.2e9,
    sources: {
      resources: 'AMD DS891 Zynq UltraScale+ MPSoC Product Selection Guide, ZU9EG column',
      bandwidth: 'AMD UG1182 ZCU102 Board User Guide: PS DDR4 64-bit at 2400 MT/s = 19.2 GB/s',
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
    sources: {
      resources: 'AMD DS891 Zynq UltraScale+ MPSoC Product Selection Guide, ZU7EV column',
      bandwidth: 'AMD UG1267 ZCU104 Board User Guide: PS DDR4 64-bit at 2400 MT/s = 19.2 GB/s',
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
    sources: {
      resources: 'AMD DS987 Kria K26 SOM Data Sheet, programmable logic resources',
      bandwidth: 'AMD DS987 Kria K26 SOM: 4 GB DDR4 64-bit at 2400 MT/s = 19.2 GB/s',
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
    sources: {
      resources: 'AMD DS891 Zynq UltraScale+ MPSoC Product Selection Guide, ZU3EG column',
      bandwidth: 'Avnet Ultra96-V2 Hardware User Guide: 2 GB LPDDR4 32-bit at 2133 MT/s = 8.53 GB/s',
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
    sources: {
      resources: 'AMD DS965 Alveo U50 Data Sheet, Table 1 (LUTs 872K, registers 1,743K, DSP 5,952, 47.3 Mb BRAM, 180 Mb URAM)',
      bandwidth: 'AMD DS965 Alveo U50 Data Sheet: 8 GB HBM2 at 316 GB/s',
    },
  },
];

export const FAMILY_DEFAULTS: Record<DeviceFamily, FamilyDefaults> = {
  zynq_ultrascale_plus: {
    staticPowerW: 2.5,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 120e-12 },
    sources: {
      staticPower: 'to be cited by the engine issue',
      energy: 'to be cited by the engine issue',
    },
  },
  kria: {
    staticPowerW: 2.0,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 120e-12 },
    sources: { staticPower: 'to be cited by the engine issue', energy: 'to be cited by the engine issue' },
  },
  alveo: {
    staticPowerW: 18,
    energy: { macJ: 1.1e-12, onchipJPerByte: 5e-12, offchipJPerByte: 30e-12 },
    sources: { staticPower: 'to be cited by the engine issue', energy: 'to be cited by the engine issue' },
  },
};

/** Every name the `device` key accepts, for messages and completion. */
export const DEVICE_NAMES: readonly string[] = DEVICES.flatMap((d) => [d.key, ...d.aliases]);

export function findDevice(name: string): CatalogDevice | undefined {
  const n = name.toLowerCase();
  return DEVICES.find((d) => d.key === n || d.aliases.includes(n));
}
