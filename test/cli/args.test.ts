/**
 * The one argument parser (cli/args.ts, on node:util parseArgs): `m3v --version`, `m3v --help`, `m3v CMD --help` for
 * every command, and each kind of mistake as one line with exit 2 — an unknown option and a missing value on every
 * command — plus the parser's rules one by one (values that start with a dash, `--`, short forms, repeats).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs, type CommandSpec } from '../../cli/args';
import { COMMANDS } from '../../cli/commands/index';
import { UsageError } from '../../cli/io';
import { runCli } from '../fixtures/runCli';

const root = join(__dirname, '..', '..');
const sample = join(root, 'samples', 'edge-moe-zcu102.m3v');

/** One line on stderr, nothing on stdout, exit 2, no stack trace. */
function usageError(r: { code: number; out: string; err: string }, what: string): void {
  assert.equal(r.code, 2, what);
  assert.equal(r.out, '', what);
  assert.equal(r.err.trim().split('\n').length, 1, `${what}: one line, got ${r.err}`);
  assert.doesNotMatch(r.err, /\n\s+at /, `${what}: no stack trace`);
}

test('m3v --version prints the version of package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag]);
    assert.deepEqual(r, { code: 0, out: `m3v ${version}\n`, err: '' });
  }
});

test('m3v --help lists every command; m3v alone prints it and exits 2', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  const names = ['check', 'analyze', 'schedule', 'simulate', 'export-onnx', 'run', 'export-weights', 'serve', 'explore'];
  for (const name of names) assert.match(help.out, new RegExp(`^  ${name} `, 'm'), name);
  assert.match(help.out, /^  export-onnx FILE -o OUT\.onnx \[options\]/m, 'required options are in the list');
  assert.match(help.out, /Exit codes: 0 ok, 1 .*, 2 bad usage/);
  const bare = await runCli([]);
  assert.equal(bare.code, 2);
  assert.equal(bare.out, help.out);
});

test('m3v CMD --help (and -h, and m3v help CMD) prints the usage and every option, exit 0, for every command', async () => {
  assert.equal(COMMANDS.length, 9);
  for (const command of COMMANDS) {
    const { name, options } = command.spec;
    for (const args of [
      [name, '--help'],
      [name, '-h'],
      ['help', name],
      [name, sample, '--frobnicate', '--help'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.equal(r.err, '', args.join(' '));
      assert.match(r.out, new RegExp(`^usage: m3v ${name} `), args.join(' '));
      for (const option of [...Object.keys(options), 'help'])
        assert.match(r.out, new RegExp(`^  (-\\w, )?--${option}\\b`, 'm'), `${name} --help shows --${option}`);
    }
  }
  // One written out whole, by hand:
  assert.equal(
    (await runCli(['check', '--help'])).out,
    [
      'usage: m3v check FILE... [--json]',
      '',
      'check .m3v designs and print their errors and warnings',
      '',
      'options:',
      '  --json      the diagnostics of every file as one JSON object',
      '  -h, --help  print this help and exit',
      '',
    ].join('\n'),
  );
});

test('an unknown option is one line naming it and the usage, exit 2, on every command', async () => {
  for (const command of COMMANDS) {
    const { name } = command.spec;
    for (const bad of ['--frobnicate', '-q', '--frobnicate=1']) {
      const r = await runCli([name, sample, bad]);
      usageError(r, `${name} ${bad}`);
      assert.match(r.err, new RegExp(`^m3v ${name}: unknown option '${bad.replace(/=.*/, '')}'\\. Usage: m3v ${name} `), `${name} ${bad}`);
    }
  }
  usageError(await runCli(['--frobnicate']), 'm3v --frobnicate');
  usageError(await runCli(['frobnicate']), 'm3v frobnicate');
});

test('a missing value is one line naming the option, exit 2, on every command that takes a value', async () => {
  let checked = 0;
  for (const command of COMMANDS) {
    const { name, options } = command.spec;
    const valued = Object.entries(options).find(([, o]) => o.type === 'string');
    if (!valued) continue;
    const [option, spec] = valued;
    const shown = spec.short ? `-${spec.short}` : `--${option}`;
    for (const args of [
      [name, sample, `--${option}`],
      [name, sample, `--${option}=`],
      [name, sample, `--${option}`, '--json'],
    ]) {
      const r = await runCli(args);
      usageError(r, args.join(' '));
      assert.match(r.err, new RegExp(`^m3v ${name}: ${shown} needs a value\\. Usage: `), args.join(' '));
    }
    checked++;
  }
  assert.equal(checked, 8, 'every command but check takes a value');
});

const SPEC = {
  name: 'demo',
  summary: 'a command for the parser tests',
  positionals: { usage: 'FILE', what: 'design file', min: 1, max: 1 },
  options: {
    seed: { type: 'string', value: 'N', help: 'seed' },
    target: { type: 'string', value: 'T', multiple: true, help: 'target' },
    out: { type: 'string', short: 'o', value: 'OUT', required: true, help: 'output' },
    json: { type: 'boolean', help: 'json' },
  },
} as const satisfies CommandSpec;

const parse = (args: string[]) => parseCommandArgs(SPEC, args);
const refusal = (args: string[]) => {
  try {
    parse(args);
  } catch (error) {
    assert.ok(error instanceof UsageError, `a UsageError for ${args.join(' ')}`);
    return error.message;
  }
  assert.fail(`no error for ${args.join(' ')}`);
};

test('the parser: forms of values, defaults, repeats, short forms and the -- terminator', () => {
  assert.deepEqual(parse(['f.m3v', '-o', 'x']), { values: { seed: undefined, target: [], out: 'x', json: false }, positionals: ['f.m3v'] });
  assert.deepEqual(parse(['--out=x', '--seed', '-1', '--json', '--target', 'a', '--target=b', 'f.m3v']), {
    values: { seed: '-1', target: ['a', 'b'], out: 'x', json: true },
    positionals: ['f.m3v'],
  });
  assert.deepEqual(parse(['-ox', '--', '--f.m3v']), { values: { seed: undefined, target: [], out: 'x', json: false }, positionals: ['--f.m3v'] });
  assert.deepEqual(
    parse(['f.m3v', '--seed', '1', '--seed', '2', '-o', 'x']),
    { values: { seed: '2', target: [], out: 'x', json: false }, positionals: ['f.m3v'] },
    'the last one wins',
  );
  assert.equal(parse(['--help']), 'help');
  assert.equal(parse(['--nope', '-h']), 'help', 'help wins over a mistake');
});

test('the parser: every mistake is one UsageError naming what is wrong and the usage', () => {
  const usage = 'Usage: m3v demo FILE -o OUT [--seed N] [--target T]... [--json]';
  assert.equal(refusal(['f.m3v']), `-o OUT is required. ${usage}`);
  assert.equal(refusal(['-o', 'x']), `missing design file. ${usage}`);
  assert.equal(refusal(['a.m3v', 'b.m3v', '-o', 'x']), "one design file expected, got 'a.m3v' and 'b.m3v'");
  assert.equal(refusal(['f.m3v', '-o', 'x', '--nope']), `unknown option '--nope'. ${usage}`);
  assert.equal(refusal(['f.m3v', '-o', 'x', '-z']), `unknown option '-z'. ${usage}`);
  assert.equal(refusal(['f.m3v', '-o', 'x', '--seed']), `--seed needs a value. ${usage}`);
  assert.equal(refusal(['f.m3v', '-o', 'x', '--seed=']), `--seed needs a value. ${usage}`);
  assert.equal(refusal(['f.m3v', '-o', 'x', '--seed', '--json']), `--seed needs a value. ${usage}`);
  assert.equal(refusal(['f.m3v', '-o']), `-o needs a value. ${usage}`);
  assert.equal(refusal(['f.m3v', '-o', 'x', '--json=yes']), `--json takes no value (got 'yes'). ${usage}`);
  assert.equal(refusal(['f.m3v', '-o', 'x', '--toString']), `unknown option '--toString'. ${usage}`, 'no prototype keys');
});

test('the declarations: no command redeclares --help or -h, short forms are unique, every option says what it does', () => {
  for (const { spec } of COMMANDS) {
    const shorts = Object.values(spec.options).flatMap((o) => (o.short ? [o.short] : []));
    assert.ok(!Object.hasOwn(spec.options, 'help') && !shorts.includes('h'), `${spec.name} leaves --help/-h to the parser`);
    assert.equal(new Set(shorts).size, shorts.length, `${spec.name}: unique short forms`);
    for (const [name, o] of Object.entries(spec.options)) assert.ok(o.help.length > 5, `${spec.name} --${name} has a help line`);
  }
});
