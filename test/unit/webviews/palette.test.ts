// The panels' fixed palette (webviews/shared/palette.ts): one hue per lane whatever the order of drawing, readable
// (3:1, WCAG 2.1 SC 1.4.11) on the dark, light and high-contrast backgrounds, gate and vector far apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANES } from '../../../engine/schedule/types';
import { DEFAULT_BACKGROUNDS, LANE_HUES, MIN_CONTRAST, OKABE_ITO, contrast, luminance, paletteFor, readableOn, themeKindOf } from '../../../webviews/shared/palette';

test('the contrast formula gives the WCAG reference values', () => {
  // WCAG 2.1: black on white is 21:1; #767676 on white is the well-known 4.54:1 ("AA grey").
  assert.equal(Math.round(contrast('#000000', '#ffffff') * 100) / 100, 21);
  assert.equal(Math.round(contrast('#767676', '#ffffff') * 100) / 100, 4.54);
  assert.equal(luminance('#ffffff'), 1);
});

test('every engine lane has a hue, and the hues are Okabe–Ito colours, five different ones', () => {
  for (const lane of LANES) assert.ok(LANE_HUES[lane], `lane ${lane} has no colour`);
  const hues = LANES.map((l) => LANE_HUES[l]);
  assert.equal(new Set(hues).size, LANES.length);
  const okabe = new Set<string>(Object.values(OKABE_ITO));
  for (const h of hues) assert.ok(okabe.has(h), `${h} is not an Okabe–Ito colour`);
  // Issue 15: gate and vector looked alike. Green #009E73 vs yellow #F0E442: luminance 0.26 vs 0.75.
  assert.ok(Math.abs(luminance(LANE_HUES.gate) - luminance(LANE_HUES.vector)) > 0.3);
});

test('on every theme background each lane colour reaches 3:1 and the lanes stay distinct', () => {
  for (const [theme, bg] of Object.entries(DEFAULT_BACKGROUNDS)) {
    const p = paletteFor(bg);
    const colours = LANES.map((lane) => p.lane(lane));
    for (const [i, c] of colours.entries()) assert.ok(contrast(c, bg) >= MIN_CONTRAST, `${theme}: ${LANES[i]} ${c} on ${bg} is ${contrast(c, bg).toFixed(2)}:1`);
    assert.equal(new Set(colours).size, LANES.length, `${theme}: ${colours.join(' ')}`);
    for (const k of ['frame', 'switch', 'miss']) assert.ok(contrast(p.frame(k), bg) >= MIN_CONTRAST, `${theme}: frame kind ${k}`);
  }
});

test('a colour depends on the lane only: the same whichever lanes are asked first (a zoom never recolours)', () => {
  const bg = DEFAULT_BACKGROUNDS.dark;
  const a = paletteFor(bg);
  const first = LANES.map((l) => a.lane(l));
  const b = paletteFor(bg);
  const reversed = [...LANES].reverse().map((l) => b.lane(l)).reverse();
  assert.deepEqual(reversed, first);
  // A colour already readable is kept as it is: Okabe–Ito blue on white (5.0:1) is not altered.
  assert.equal(readableOn(OKABE_ITO.blue, '#ffffff').toLowerCase(), OKABE_ITO.blue.toLowerCase());
});

test('the theme is read from VS Code’s body classes', () => {
  assert.equal(themeKindOf(['vscode-light']), 'light');
  assert.equal(themeKindOf(['vscode-dark']), 'dark');
  assert.equal(themeKindOf(['vscode-high-contrast']), 'high-contrast');
  assert.equal(themeKindOf(['vscode-high-contrast', 'vscode-high-contrast-light']), 'high-contrast-light');
});
