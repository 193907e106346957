/**
 * Lowering `hardware NAME { … }` to `HardwareTarget`: the device from the catalog fills resources, bandwidth, static
 * power and energy coefficients; every line of the block overrides one of them. Clock has no catalog default.
 */
import type { HardwareTarget, NumberFormat, QueueLayout, Span, Strategy, WeightBuffer } from '../../../engine/design';
import { formatBits } from '../../../engine/design';
import { DEVICE_NAMES, FAMILY_DEFAULTS, findDevice, type CatalogDevice } from '../../../engine/catalog';
import { KERNEL_AXI_BITS } from '../../../engine/kernel';
import * as msg from '../messages';
import { ENERGY_KINDS, ON_OFF, PORT_STREAMS, POWER_KINDS, QUEUE_LAYOUTS, RESOURCE_KEYS, SCHEDULES } from '../schema';
import type { Statement } from '../syntax/tree';
import { Fail, type CheckContext } from './context';
import { walkBlock } from './blocks';
import { closest } from './suggest';
import { atomText, type Words } from './words';

type Resource = (typeof RESOURCE_KEYS)[number];

export function lowerHardware(ctx: CheckContext, stmt: Statement, name: string, nameSpan: Span): HardwareTarget | undefined {
  let device: CatalogDevice | undefined;
  let clock: number | undefined;
  let bandwidth: number | undefined;
  let linear = { inputs: 16, outputs: 16, units: 1 };
  const ports: { weights?: { bits: number; line: number }; acts?: { bits: number; count: number; line: number } } = {};
  let prefetch = false;
  let weightBuffer: WeightBuffer = { kind: 'whole' };
  let weightBufferSpan: Span | undefined;
  let weightBufferText = '';
  let queues: QueueLayout = 'full';
  let gateUnit: { experts: number; width: number } | undefined;
  let boardPower: { value: number; line: number } | undefined;
  let staticLine: number | undefined;
  let attention = { rows: 4, dims: 8 };
  let weights: NumberFormat = { kind: 'fixed', width: 16, integer: 2 };
  let acts: NumberFormat = { kind: 'fixed', width: 32, integer: 10 };
  let schedule: Strategy = 'expert_by_expert';
  let staticPowerW: number | undefined;
  const energy: { mac?: number; onchip?: number; offchip?: number } = {};
  const overrides: Partial<Record<Resource, number>> = {};
  const errorsBefore = ctx.diagnostics.length;

  const resource = (key: Resource) => (w: Words) => {
    // 0 is legitimate (the XCZU9EG has no URAM); negative is not.
    overrides[key] = w.integer(`a whole number of ${key === 'bram' ? 'BRAM36 blocks' : key.toUpperCase() + 's'}`, 0).value;
    w.end();
  };

  walkBlock(
    ctx,
    'hardware',
    stmt.block,
    `hardware '${name}'`,
    nameSpan,
    {
      device: (w) => {
        // `device alveo u50` is two words: join them as the catalog spells parts (`alveo_u50`), or try them glued.
        const words = [];
        while (!w.done()) words.push(w.next()!);
        if (words.length === 0 || words.some((a) => a.kind !== 'ident')) w.fail('a catalog part, e.g. xczu9eg or zcu102', words.find((a) => a.kind !== 'ident'));
        const texts = words.map((a) => atomText(a));
        const found = findDevice(texts.join('_')) ?? findDevice(texts.join('')) ?? findDevice(texts.join(' '));
        const span = { start: words[0].span.start, end: words[words.length - 1].span.end };
        if (!found) throw new Fail(span, msg.unknownDevice(texts.join(' '), closest(texts.join('_'), DEVICE_NAMES), DEVICE_NAMES));
        device = found;
      },
      clock: (w) => {
        const q = w.quantity('frequency');
        if (q.value <= 0) throw new Fail(q.span, msg.notPositive('clock', q.text));
        if (q.value > 1e9) ctx.warning(q.span, msg.clockTooHigh(q.text));
        clock = q.value;
        w.end();
      },
      bandwidth: (w) => {
        const q = w.quantity('bandwidth');
        if (q.value <= 0) throw new Fail(q.span, msg.notPositive('bandwidth', q.text));
        if (q.value > 1e12) ctx.warning(q.span, msg.bandwidthTooHigh(q.text));
        bandwidth = q.value;
        w.end();
      },
      linear: (w) => {
        const d = w.dims(2, 'IN x OUT [units N], e.g. 16 x 16 units 2');
        let units = 1;
        if (!w.done()) {
          w.choice('linear option', ['units'], 'units N, e.g. units 2');
          units = w.integer('units N, a whole number of arrays ≥ 1').value;
        }
        w.end();
        linear = { inputs: d.values[0], outputs: d.values[1], units };
      },
      port: (w) => {
        const stream = w.choice('port stream', PORT_STREAMS, 'weights W bit | acts [N x] W bit').value;
        let count = 1;
        // `acts 4 x 128 bit`: a bare count, then `x`, then the width with its unit.
        if (stream === 'acts' && w.peek()?.kind === 'number' && (w.isIdent('x', 1) || (w.peek() as { suffix?: { text: string } }).suffix?.text === 'x')) {
          const first = w.next()! as { value: number; text: string; span: Span; suffix?: { text: string } };
          if (!first.suffix) w.next();
          if (!Number.isInteger(first.value) || first.value < 1) throw new Fail(first.span, msg.notPositive('port acts N', first.text));
          count = first.value;
        }
        const q = w.quantity('size');
        const bits = q.value * 8;
        if (bits <= 0) throw new Fail(q.span, msg.notPositive(`port ${stream}`, q.text));
        if (!Number.isInteger(bits) || bits % 8 !== 0) throw new Fail(q.span, msg.portWidthNotBytes(q.text));
        if (bits > KERNEL_AXI_BITS) ctx.warning(q.span, msg.portWiderThanKernel(q.text, KERNEL_AXI_BITS));
        w.end();
        const line = ctx.line(w.keySpan.start);
        const prev = ports[stream];
        if (prev) throw new Fail(w.keySpan, msg.duplicatePort(stream, prev.line));
        if (stream === 'weights') ports.weights = { bits, line };
        else ports.acts = { bits, count, line };
      },
      prefetch: (w) => {
        prefetch = w.choice('prefetch', ON_OFF, 'on | off').value === 'on';
        w.end();
      },
      weight_buffer: (w) => {
        if (w.isIdent('whole')) {
          w.next();
          weightBuffer = { kind: 'whole' };
        } else {
          const q = w.quantity('size');
          if (q.value <= 0) throw new Fail(q.span, msg.notPositive('weight_buffer', q.text));
          weightBuffer = { kind: 'bytes', bytes: q.value };
          weightBufferSpan = q.span;
          weightBufferText = q.text;
        }
        w.end();
      },
      queues: (w) => {
        queues = w.choice('queue layout', QUEUE_LAYOUTS, QUEUE_LAYOUTS.join(' | ')).value;
        w.end();
      },
      gate_unit: (w) => {
        const d = w.dims(2, 'E x W, e.g. 16 x 8');
        w.end();
        gateUnit = { experts: d.values[0], width: d.values[1] };
      },
      attention: (w) => {
        const d = w.dims(2, 'ROWS x DIMS, e.g. 4 x 8');
        w.end();
        attention = { rows: d.values[0], dims: d.values[1] };
      },
      weights: (w) => {
        weights = w.format('fixed<W,I> | int8 | float16 | float32');
        w.end();
      },
      acts: (w) => {
        acts = w.format('fixed<W,I> | int8 | float16 | float32');
        w.end();
      },
      schedule: (w) => {
        schedule = w.choice('schedule', SCHEDULES, SCHEDULES.join(' | ')).value as Strategy;
        w.end();
      },
      power: (w) => {
        const kind = w.choice('power kind', POWER_KINDS, 'static P | board P, e.g. board 11.5 W').value;
        const q = w.quantity('power');
        if (q.value < 0) throw new Fail(q.span, msg.negative(`power ${kind}`, q.text));
        w.end();
        const line = ctx.line(w.keySpan.start);
        if (kind === 'board') {
          if (boardPower) throw new Fail(w.keySpan, msg.duplicatePower(kind, boardPower.line));
          boardPower = { value: q.value, line };
        } else {
          if (staticLine !== undefined) throw new Fail(w.keySpan, msg.duplicatePower(kind, staticLine));
          staticLine = line;
          staticPowerW = q.value;
        }
      },
      energy: (w) => {
        const k = w.peek();
        if (k?.kind !== 'ident' || !(ENERGY_KINDS as readonly string[]).includes(k.text))
          throw new Fail(k?.span ?? w.keySpan, msg.unknownEnergyKind(k ? atomText(k) : undefined, k?.kind === 'ident' ? closest(k.text, ENERGY_KINDS) : undefined));
        w.next();
        const q = w.quantity(k.text === 'mac' ? 'energy' : 'energy_per_byte');
        if (q.value < 0) throw new Fail(q.span, msg.negative(`energy ${k.text}`, q.text));
        if (k.text === 'mac') energy.mac = q.value;
        else if (k.text === 'onchip') energy.onchip = q.value;
        else energy.offchip = q.value;
        w.end();
      },
      dsp: resource('dsp'),
      bram: resource('bram'),
      uram: resource('uram'),
      lut: resource('lut'),
      ff: resource('ff'),
    },
    (key) => (key === 'clock' ? msg.missingClock(name) : msg.missingKey(key, `hardware '${name}'`, key === 'device' ? 'device PART, e.g. device xczu9eg' : key)),
  );

  // The smallest useful weight buffer holds one word of the array's tile (inputs × outputs weights).
  const declaredBuffer = weightBuffer as WeightBuffer;
  if (declaredBuffer.kind === 'bytes' && weightBufferSpan) {
    const tileBytes = (linear.inputs * linear.outputs * linear.units * formatBits(weights)) / 8;
    if (declaredBuffer.bytes < tileBytes) ctx.error(weightBufferSpan, msg.weightBufferTooSmall(weightBufferText, `${tileBytes} B`));
  }
  if (!device || clock === undefined || ctx.diagnostics.slice(errorsBefore).some((d) => d.severity === 'error')) return undefined;
  const family = FAMILY_DEFAULTS[device.family];
  const declared = (yes: boolean, source: string) => ({ declared: yes, source: yes ? 'declared in the design' : source });
  return {
    name,
    span: stmt.span,
    nameSpan,
    device: device.key,
    resources: {
      lut: overrides.lut ?? device.resources.lut,
      ff: overrides.ff ?? device.resources.ff,
      dsp: overrides.dsp ?? device.resources.dsp,
      bram36: overrides.bram ?? device.resources.bram36,
      uram: overrides.uram ?? device.resources.uram,
    },
    clockHz: clock,
    bandwidthBytesPerSec: bandwidth ?? device.bandwidthBytesPerSec,
    linear,
    attention,
    weights,
    acts,
    schedule,
    memory: {
      weightPortBits: ports.weights?.bits ?? device.ports.bits,
      actPortBits: ports.acts?.bits ?? device.ports.bits,
      actPorts: ports.acts?.count ?? device.ports.actPorts,
      prefetch,
    },
    weightBuffer,
    queues,
    ...(gateUnit ? { gateUnit } : {}),
    staticPowerW: staticPowerW ?? family.staticPowerW,
    boardPowerW: boardPower?.value ?? device.boardPowerW ?? 0,
    facts: {
      ports: declared(ports.weights !== undefined || ports.acts !== undefined, device.sources.ports),
      bandwidth: declared(bandwidth !== undefined, device.sources.bandwidth),
      boardPower: declared(
        boardPower !== undefined,
        device.sources.boardPower ?? 'no board power declared or measured for this board: energy covers the device only (declare `power board P W`)',
      ),
    },
    energy: {
      macJ: energy.mac ?? family.energy.macJ,
      onchipJPerByte: energy.onchip ?? family.energy.onchipJPerByte,
      offchipJPerByte: energy.offchip ?? family.energy.offchipJPerByte,
    },
  };
}
