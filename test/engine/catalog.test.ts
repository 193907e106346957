/** The device catalog: every required part present, every figure with a source, block counts consistent with Mb. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEVICES, FAMILY_DEFAULTS, findDevice } from '../../engine/catalog';

test('the five required parts resolve by part and by board name', () => {
  for (const [board, key] of [['zcu104', 'xczu7ev'], ['zcu102', 'xczu9eg'], ['kv260', 'xck26'], ['ultra96', 'xczu3eg'], ['u50', 'alveo_u50']]) {
    assert.equal(findDevice(board)?.key, key, board);
    assert.equal(findDevice(key.toUpperCase())?.key, key, key);
  }
});

test('datasheet figures: BRAM36 and URAM counts match the Mb totals', () => {
  const mb = (blocks: number, kbits: number) => (blocks * kbits) / 1024; // the datasheets' Mb is 2^20 bits: 912 × 36 Kb = 32.06 Mb
  // DS891: ZU9EG 32.1 Mb, ZU7EV 11.0 Mb + 27.0 Mb URAM, ZU3EG 7.6 Mb; DS987 K26 5.1 Mb + 18 Mb; DS965 U50 47.3 Mb + 180 Mb.
  const expected: Record<string, [number, number]> = {
    xczu9eg: [32.1, 0],
    xczu7ev: [11.0, 27.0],
    xczu3eg: [7.6, 0],
    xck26: [5.1, 18.0],
    alveo_u50: [47.3, 180.0],
  };
  for (const d of DEVICES) {
    const [bramMb, uramMb] = expected[d.key];
    assert.ok(Math.abs(mb(d.resources.bram36, 36) - bramMb) < 0.1, `${d.key} BRAM ${mb(d.resources.bram36, 36)}`);
    assert.ok(Math.abs(mb(d.resources.uram, 288) - uramMb) < 0.1, `${d.key} URAM ${mb(d.resources.uram, 288)}`);
  }
});

test('every figure cites a source; no placeholder is left', () => {
  for (const d of DEVICES) {
    assert.match(d.sources.resources, /(DS891|DS987|DS965)/, d.key);
    assert.match(d.sources.bandwidth, /(UG1182|UG1267|DS987|DS965|Ultra96-V2)/, d.key);
  }
  for (const [family, f] of Object.entries(FAMILY_DEFAULTS)) {
    for (const text of [f.sources.staticPower, f.sources.energy]) {
      assert.ok(!/to be cited/i.test(text), family);
      assert.ok(text.length > 30, family);
    }
    assert.ok(f.staticPowerW > 0 && f.energy.macJ > 0 && f.energy.onchipJPerByte > 0 && f.energy.offchipJPerByte > 0);
  }
});
