// Builds the .vsix for one platform: a production (minified) build, then `vsce package --target`, then prints
// the size. onnxruntime-node stays external (native addon); .vscodeignore keeps only linux-x64's binaries, so
// the target must match. Usage: node scripts/package.mjs [--target linux-x64] [--out FILE]
import { spawnSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const target = arg('--target', 'linux-x64');
if (target !== 'linux-x64') {
  console.error(`m3v package: only linux-x64 is wired (.vscodeignore keeps onnxruntime-node's linux/x64 binaries); got ${target}`);
  process.exit(2);
}
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = arg('--out', join(root, `${name}-${version}-${target}.vsix`));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const t0 = Date.now();
if (!process.argv.includes('--no-build')) run(process.execPath, ['build.mjs', '--production']);
run(process.execPath, [
  join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
  'package',
  '--target', target,
  '--out', out,
  '--allow-missing-repository',
  '--skip-license',
  // The README's links point into docs/ of this repository; there is no public URL to rewrite them to.
  '--no-rewrite-relative-links',
]);
const bytes = statSync(out).size;
console.log(`m3v package: ${out} ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
