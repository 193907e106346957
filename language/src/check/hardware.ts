/**
 * Lowering `hardware NAME { … }` to `HardwareTarget`: the device from the catalog fills resources, bandwidth, static
 * power and energy coefficients; every line of the block overrides one of them. Clock has no catalog default.
 */
import type { HardwareTarget, NumberFormat, Span, Strategy } from '../../../engine/design';
import { DEVICE_NAMES, FAMILY_DEFAULTS, findDevice, type CatalogDevice } from '../../../engine/catalog';
import * as msg from '../messages';
import { ENERGY_KINDS, POWER_KINDS, RESOURCE_KEYS, SCHEDULES } from '../schema';
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
  let linear = { inputs: 16, outputs: 16 };
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
        const d = w.dims(2, 'IN x OUT, e.g. 16 x 16');
        w.end();
        linear = { inputs: d.values[0], outputs: d.values[1] };
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
        w.choice('power kind', POWER_KINDS, 'static P, e.g. static 2.5 W');
        const q = w.quantity('power');
        if (q.value < 0) throw new Fail(q.span, msg.negative('power static', q.text));
        staticPowerW = q.value;
        w.end();
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

  if (!device || clock === undefined || ctx.diagnostics.slice(errorsBefore).some((d) => d.severity === 'error')) return undefined;
  const family = FAMILY_DEFAULTS[device.family];
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
    staticPowerW: staticPowerW ?? family.staticPowerW,
    energy: {
      macJ: energy.mac ?? family.energy.macJ,
      onchipJPerByte: energy.onchip ?? family.energy.onchipJPerByte,
      offchipJPerByte: energy.offchip ?? family.energy.offchipJPerByte,
    },
  };
}
