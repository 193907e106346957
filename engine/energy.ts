/**
 * Energy per frame, an ANALYTICAL model with every coefficient shown:
 *   E = P_static · t_frame + MACs · e_mac + on-chip bytes accessed · e_onchip + off-chip bytes moved · e_offchip.
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
  macJ: number;
  onchipJ: number;
  offchipJ: number;
  totalJ: number;
  inputs: EnergyInputs;
  coefficients: { staticPowerW: number } & EnergyCoefficients;
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
  const macJ = inputs.macs * c.macJ;
  const onchipJ = inputs.onchipBytes * c.onchipJPerByte;
  const offchipJ = inputs.offchipBytes * c.offchipJPerByte;
  return {
    model: 'analytical',
    staticJ,
    macJ,
    onchipJ,
    offchipJ,
    totalJ: staticJ + macJ + onchipJ + offchipJ,
    inputs,
    coefficients: { staticPowerW: target.staticPowerW, ...c },
  };
}
