/**
 * Energy per frame of the whole board, an ANALYTICAL model with every coefficient shown:
 *   E = (P_static + P_board) · t_frame + MACs · e_mac + on-chip bytes accessed · e_onchip + off-chip bytes · e_offchip.
 * P_static is the device's static power, P_board what the rest of the board draws while the model runs (processor
 * system, DDR, regulators, fan: `power board`, or the catalog's figure where a board was measured — calibrated, and
 * the report says so). The average power of the frame is E / t_frame.
 * t_frame comes from the schedule (frameLatency); MACs from the exact counts; off-chip bytes from the traffic model.
 * On-chip bytes accessed are estimated from the dataflow: every MAC of a weight-stationary linear tile reads its
 * weight from a BRAM/URAM buffer once; the input row is read once per output tile (reused across the `outputs` lanes);
 * and every byte brought from off-chip is written into an on-chip buffer or FIFO once. Attention operands stream
 * through FIFOs/registers and are not counted as on-chip buffer accesses.
 */
import { formatBits, type EnergyCoefficients, type HardwareTarget } from './design';
import type { ModelCount } from './costs/counts';

export interface EnergyInputs {
  seconds: number;
  macs: number;
  onchipBytes: number;
  offchipBytes: number;
}

export interface EnergyBreakdown {
  model: 'analytical';
  staticJ: number;
  /** Board power outside the PL × frame time. */
  boardJ: number;
  macJ: number;
  onchipJ: number;
  offchipJ: number;
  totalJ: number;
  /** Average power over the frame, watts. */
  powerW: number;
  inputs: EnergyInputs;
  coefficients: { staticPowerW: number; boardPowerW: number } & EnergyCoefficients;
  /** Where the board power comes from ("declared in the design", or the catalog's "calibrated on …"). */
  boardPowerSource: string;
}

/** On-chip buffer bytes one frame accesses (see the header for the model). */
export function onchipAccessBytes(count: ModelCount, offchipBytes: number, target: HardwareTarget): number {
  const wBytes = formatBits(target.weights) / 8;
  const aBytes = formatBits(target.acts) / 8;
  const O = Math.max(1, target.linear.outputs);
  const linearMacs = count.macs - count.byOp.qk - count.byOp.av;
  return linearMacs * wBytes + (linearMacs / O) * aBytes + offchipBytes;
}

export function frameEnergy(target: HardwareTarget, inputs: EnergyInputs): EnergyBreakdown {
  const c = target.energy;
  const staticJ = target.staticPowerW * inputs.seconds;
  const boardJ = target.boardPowerW * inputs.seconds;
  const macJ = inputs.macs * c.macJ;
  const onchipJ = inputs.onchipBytes * c.onchipJPerByte;
  const offchipJ = inputs.offchipBytes * c.offchipJPerByte;
  const totalJ = staticJ + boardJ + macJ + onchipJ + offchipJ;
  return {
    model: 'analytical',
    staticJ,
    boardJ,
    macJ,
    onchipJ,
    offchipJ,
    totalJ,
    powerW: inputs.seconds > 0 ? totalJ / inputs.seconds : 0,
    inputs,
    coefficients: { staticPowerW: target.staticPowerW, boardPowerW: target.boardPowerW, ...c },
    boardPowerSource: target.facts.boardPower.source,
  };
}
