/**
 * The one argument parser of `m3v`, on `node:util` `parseArgs`. Each command declares its options and positional
 * arguments once (`defineCommand`); the parser, the one-line usage in every error, `m3v CMD --help` and the command
 * list of `m3v --help` are all generated from that declaration, so they cannot disagree.
 *
 * `parseArgs` runs non-strict with `tokens: true` and every token is checked here, so each mistake is one line of
 * ours (exit 2 through `UsageError`) rather than Node's multi-line message: an unknown option, a missing value
 * (`--task` last, `--task=`, or `--task --json` — a value never starts with `--`; `--seed -1` still passes `-1`), a
 * value given to a flag, too many or too few positional arguments, a required option left out.
 */
import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from './io';

export interface OptionSpec {
  /** `string` takes a value (`--task T`, `--task=T`); `boolean` is a flag (`--json`). */
  type: 'string' | 'boolean';
  /** What the value is, as usage shows it: `--task T`. */
  value?: string;
  /** One-letter alias: `-o OUT`. */
  short?: string;
  /** May repeat; the values are collected in order. */
  multiple?: boolean;
  /** Refused when absent (only where no default or design can stand in for it). */
  required?: boolean;
  /** One line for `--help`. */
  help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface PositionalSpec {
  /** As usage shows them: `FILE`, `FILE...`, `[FILE|FOLDER]`. */
  usage: string;
  /** What one of them is, for the messages: `design file`. */
  what: string;
  min: number;
  max: number;
  /** Used when none is given (and `min` is 0). */
  default?: string;
  /** The message when too few are given (default `missing WHAT`). */
  missing?: string;
}

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  summary: string;
  positionals: PositionalSpec;
  options: O;
  /** Other forms of the command, shown in its usage after `|` (`m3v explore --merge A.json …`). */
  otherForms?: readonly string[];
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : S['required'] extends true
      ? string
      : string | undefined;

export interface ParsedArgs<O extends OptionSpecs> {
  values: { -readonly [K in keyof O]: ValueOf<O[K]> };
  positionals: string[];
}

/** The parsed arguments of a declared command: `async function runX(args: ArgsOf<typeof X>, io: CliIo)`. */
export type ArgsOf<S extends CommandSpec<OptionSpecs>> = ParsedArgs<S['options']>;

export interface CliCommand {
  spec: CommandSpec;
  /** Parses `args` (printing the help for `--help`) and runs the command; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** `-h`/`--help` on every command; declared here once. */
const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'print this help and exit' };

/** A command from its declaration and its body; the body gets typed, checked arguments. */
export function defineCommand<const O extends OptionSpecs>(
  spec: CommandSpec<O>,
  body: (args: ParsedArgs<O>, io: CliIo) => Promise<number>,
): CliCommand {
  return {
    spec,
    run: (args, io) => withArgs(spec, args, io, (parsed) => body(parsed, io)),
  };
}

/** Parses `args` for `spec` and runs `body`, or prints the command's help (exit 0) when `--help` is among them. */
export async function withArgs<O extends OptionSpecs>(
  spec: CommandSpec<O>,
  args: string[],
  io: CliIo,
  body: (args: ParsedArgs<O>) => Promise<number>,
): Promise<number> {
  const parsed = parseCommandArgs(spec, args);
  if (parsed === 'help') {
    io.out(commandHelp(spec));
    return 0;
  }
  return body(parsed);
}

/** The checked arguments, or `'help'` when `-h`/`--help` was given (it wins over every other mistake). */
export function parseCommandArgs<O extends OptionSpecs>(spec: CommandSpec<O>, args: string[]): ParsedArgs<O> | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: HELP.short } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return 'help';

  const usage = `Usage: ${commandUsage(spec)}`;
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) values[name] = o.type === 'boolean' ? false : o.multiple ? [] : undefined;
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const o = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (!o) throw new UsageError(`unknown option '${token.rawName}'. ${usage}`);
    const flag = optionName(token.name, o);
    if (o.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value (got '${token.value}'). ${usage}`);
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('--')))
      throw new UsageError(`${flag} needs a value. ${usage}`);
    if (o.multiple) (values[token.name] as string[]).push(value);
    else values[token.name] = value;
  }
  for (const [name, o] of Object.entries(spec.options))
    if (o.required && values[name] === undefined) throw new UsageError(`${optionName(name, o)} ${o.value ?? 'VALUE'} is required. ${usage}`);

  const p = spec.positionals;
  if (positionals.length < p.min) throw new UsageError(`${p.missing ?? `missing ${p.what}`}. ${usage}`);
  if (positionals.length > p.max)
    throw new UsageError(
      p.max === 1 ? `one ${p.what} expected, got '${positionals[0]}' and '${positionals[1]}'` : `at most ${p.max} ${p.what}s expected. ${usage}`,
    );
  if (positionals.length === 0 && p.default !== undefined) positionals.push(p.default);
  return { values: values as ParsedArgs<O>['values'], positionals };
}

/** `-o` for an option with a short form (that is how its users know it), else `--name`. */
const optionName = (name: string, o: OptionSpec) => (o.short ? `-${o.short}` : `--${name}`);

function optionUsage(name: string, o: OptionSpec): string {
  const text = o.type === 'boolean' ? optionName(name, o) : `${optionName(name, o)} ${o.value ?? 'VALUE'}`;
  return `${o.required ? text : `[${text}]`}${o.multiple ? '...' : ''}`;
}

/** `m3v analyze FILE [--target T]... [--json]` (required options first, as they were always written). */
export function commandUsage(spec: CommandSpec): string {
  const entries = Object.entries(spec.options);
  const ordered = [...entries.filter(([, o]) => o.required), ...entries.filter(([, o]) => !o.required)];
  const main = ['m3v', spec.name, spec.positionals.usage, ...ordered.map(([name, o]) => optionUsage(name, o))].filter((s) => s !== '').join(' ');
  return [main, ...(spec.otherForms ?? []).map((f) => `m3v ${spec.name} ${f}`)].join('  |  ');
}

/** `m3v CMD --help`: usage, what it does, and one line per option. */
export function commandHelp(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries({ ...spec.options, help: HELP }).map(([name, o]) => {
    const names = o.short ? `-${o.short}, --${name}` : `--${name}`;
    return [
      o.type === 'string' ? `${names} ${o.value ?? 'VALUE'}` : names,
      o.help + (o.multiple ? ' (repeatable)' : '') + (o.required ? ' (required)' : ''),
    ];
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`usage: ${commandUsage(spec)}`, '', spec.summary, '', 'options:', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join(
    '\n',
  );
}

/** The command list of `m3v --help`: each command with its arguments and required options. */
export function commandList(specs: readonly CommandSpec[]): string[] {
  const heads = specs.map((s) => {
    const required = Object.entries(s.options).filter(([, o]) => o.required);
    return [s.name, s.positionals.usage, ...required.map(([name, o]) => optionUsage(name, o)), '[options]'].filter((x) => x !== '').join(' ');
  });
  const width = Math.max(...heads.map((h) => h.length));
  return specs.map((s, i) => `  ${heads[i].padEnd(width)}  ${s.summary}`);
}
