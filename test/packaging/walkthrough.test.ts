/**
 * The walkthrough (package.json contributes.walkthroughs): every step's media file exists under media/walkthrough/
 * and is packaged, every command a step links to or completes on is a contributed command the extension registers,
 * and the first step opens the sample (a file the .vsix ships) and its panels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('walkthrough steps: media exist, linked commands are contributed and registered', () => {
  const walkthroughs = pkg.contributes.walkthroughs as { id: string; steps: { id: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[];
  assert.equal(walkthroughs.length, 1);
  const steps = walkthroughs[0].steps;
  assert.ok(steps.length >= 4);
  const contributed = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
  const registered = readFileSync(join(root, 'extension', 'commands.ts'), 'utf8');
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!media\/walkthrough\/\*\*$/m, 'the media are packaged');
  for (const step of steps) {
    const media = step.media.markdown ?? step.media.image!;
    assert.ok(media.startsWith('media/walkthrough/') && existsSync(join(root, media)), `${step.id}: ${media}`);
    const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    const completing = (step.completionEvents ?? []).map((e) => e.replace(/^onCommand:/, ''));
    for (const command of [...linked, ...completing]) {
      assert.ok(contributed.has(command), `${step.id}: ${command} is in contributes.commands`);
      assert.ok(registered.includes(`'${command}':`), `${step.id}: ${command} is registered in extension/commands.ts`);
    }
  }
  assert.match(steps[0].description, /\(command:m3v\.openSample\)/);
  const openSample = registered.slice(registered.indexOf("'m3v.openSample':"), registered.indexOf("'m3v.showSchedule':"));
  assert.match(openSample, /'samples', 'edge-moe-zcu102\.m3v'/);
  assert.ok(existsSync(join(root, 'samples', 'edge-moe-zcu102.m3v')));
  assert.match(openSample, /panels\.resources\.show\([^)]*\)[\s\S]*panels\.schedule\.show\([^)]*\)/, 'it opens the Resources and Schedule panels');
});
