/**
 * Declarative command-line options on top of Node's `util.parseArgs`: each option says how its
 * text becomes a value (integer, number, choice, ...), and the same table prints `--help`.
 */
import { parseArgs } from 'node:util';

/** A command-line mistake: the CLI prints `Error: <message>` and a pointer to `--help`, and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One option: how parseArgs reads it, how its text becomes a value, and its line in `--help`. */
export interface OptionSpec<V> {
  /** `boolean` options take no value; `string` options take one. */
  readonly type: 'string' | 'boolean';
  /** One-letter alias, e.g. `'h'`. */
  readonly short?: string;
  /** The value's placeholder in the help, e.g. `N` or `DIR`. */
  readonly metavar?: string;
  /** The help text (one or more lines). */
  readonly help: string;
  /** Turns the raw value (undefined when the flag is absent) into the option's value; throws UsageError. */
  parse(raw: string | boolean | undefined, flag: string): V;
}

/** The option table of a command. */
export type OptionTable = Readonly<Record<string, OptionSpec<unknown>>>;

/** The parsed values of an {@link OptionTable}, keyed like it. */
export type ParsedOptions<T extends OptionTable> = { -readonly [K in keyof T]: T[K] extends OptionSpec<infer V> ? V : never };

/** A command: its name, one-line summary, usage line, options and positionals. */
export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** How the command is run, e.g. `aigc train`. */
  readonly name: string;
  /** One sentence said by `--help` and by the command list. */
  readonly summary: string;
  /** The usage line after `Usage: `, e.g. `aigc train --data DIR [options]`. */
  readonly usage: string;
  /** Options; `--help`/`-h` is added to every command. */
  readonly options: T;
  /** Names of the positionals accepted, in order (default none). */
  readonly positionals?: readonly string[];
  /** Text printed after the options in `--help` (examples, notes). */
  readonly epilog?: string;
}

/** What {@link parseCommand} returns. */
export interface ParsedCommand<T extends OptionTable> {
  /** Option values, defaults applied. */
  readonly values: ParsedOptions<T>;
  /** Positionals in order. */
  readonly positionals: string[];
  /** Whether `--help` or `-h` was given (the values are then defaults only, not validated). */
  readonly help: boolean;
  /** Names of the options given on the command line (to tell an explicit value from a default). */
  readonly given: ReadonlySet<string>;
}

/** Limits of a numeric option. */
export interface Bounds {
  /** Smallest value accepted. Default: none. */
  readonly min?: number;
  /** Largest value accepted. Default: none. */
  readonly max?: number;
}

function describeDefault(value: unknown): string {
  return value === undefined ? '' : ` (default ${String(value)})`;
}

function checkBounds(flag: string, n: number, bounds: Bounds, raw: string): number {
  if (bounds.min !== undefined && n < bounds.min) throw new UsageError(`--${flag} must be at least ${bounds.min}, got ${raw}.`);
  if (bounds.max !== undefined && n > bounds.max) throw new UsageError(`--${flag} must be at most ${bounds.max}, got ${raw}.`);
  return n;
}

/** An integer option (`--steps 100`); `fallback` when absent (undefined: no value). */
export function intOption<D extends number | undefined>(help: string, fallback: D, bounds: Bounds & { metavar?: string } = {}): OptionSpec<number | D> {
  return {
    type: 'string',
    metavar: bounds.metavar ?? 'N',
    help: help + describeDefault(fallback),
    parse(raw, flag) {
      if (raw === undefined) return fallback;
      const text = String(raw);
      if (!/^-?\d+$/.test(text)) throw new UsageError(`--${flag} must be an integer, got "${text}".`);
      return checkBounds(flag, Number(text), bounds, text);
    },
  };
}

/** A number option (`--ema 0.999`); `exclusiveMax` rejects the bound itself. */
export function numberOption<D extends number | undefined>(
  help: string,
  fallback: D,
  bounds: Bounds & { metavar?: string; exclusiveMax?: boolean } = {},
): OptionSpec<number | D> {
  return {
    type: 'string',
    metavar: bounds.metavar ?? 'X',
    help: help + describeDefault(fallback),
    parse(raw, flag) {
      if (raw === undefined) return fallback;
      const text = String(raw);
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${text}".`);
      if (bounds.exclusiveMax && bounds.max !== undefined && n >= bounds.max) {
        throw new UsageError(`--${flag} must be below ${bounds.max}, got ${text}.`);
      }
      return checkBounds(flag, n, bounds, text);
    },
  };
}

/** A text option (`--out DIR`). */
export function stringOption<D extends string | undefined>(help: string, fallback: D, metavar = 'TEXT'): OptionSpec<string | D> {
  return {
    type: 'string',
    metavar,
    help: help + describeDefault(fallback),
    parse(raw, flag) {
      if (raw === undefined) return fallback;
      const text = String(raw);
      if (text === '') throw new UsageError(`--${flag} needs a value.`);
      return text;
    },
  };
}

/** One of a fixed set of words (`--loss hinge`). */
export function choiceOption<C extends string, D extends C | undefined>(help: string, choices: readonly C[], fallback: D): OptionSpec<C | D> {
  return {
    type: 'string',
    metavar: choices.join('|'),
    help: help + describeDefault(fallback),
    parse(raw, flag) {
      if (raw === undefined) return fallback;
      const text = String(raw);
      if (!(choices as readonly string[]).includes(text)) {
        throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got "${text}".`);
      }
      return text as C;
    },
  };
}

/** An on/off flag (`--resume`); false when absent. */
export function flagOption(help: string, short?: string): OptionSpec<boolean> {
  return { type: 'boolean', help, ...(short === undefined ? {} : { short }), parse: (raw) => raw === true };
}

/** Declares a command (an identity function that keeps the option table's types). */
export function defineCommand<T extends OptionTable>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}

function wrap(text: string, indent: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && indent + line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

/** The `--help` text of a command, from its table. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => [
    `  ${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.metavar ?? 'VALUE'}` : ''}`,
    o.help,
  ] as const);
  rows.push(['  -h, --help', 'Show this help.']);
  const col = Math.min(30, Math.max(...rows.map(([left]) => left.length)) + 2);
  const body = rows
    .map(([left, help]) => {
      const lines = wrap(help, col, 100);
      const first = left.length + 2 > col ? `${left}\n${' '.repeat(col)}${lines[0]}` : `${left.padEnd(col)}${lines[0]}`;
      return [first, ...lines.slice(1).map((l) => ' '.repeat(col) + l)].join('\n');
    })
    .join('\n');
  return `Usage: ${spec.usage}\n\n${spec.summary}\n\nOptions:\n${body}\n${spec.epilog ? `\n${spec.epilog.trimEnd()}\n` : ''}`;
}

/**
 * Parses `argv` (without node, script and command name) against `spec`: unknown flags, missing or
 * malformed values and extra positionals throw {@link UsageError}. With `--help` nothing is validated.
 */
export function parseCommand<T extends OptionTable>(spec: CommandSpec<T>, argv: readonly string[]): ParsedCommand<T> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (error) {
    // parseArgs' messages are already one sentence; drop its "To specify a positional ..." tail.
    throw new UsageError(((error as Error).message.split('. To specify')[0] ?? '').replace(/\.?$/, '.'));
  }
  const help = parsed.values.help === true;
  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    values[name] = help ? o.parse(undefined, name) : o.parse(parsed.values[name], name);
  }
  const allowed = spec.positionals ?? [];
  if (!help && parsed.positionals.length > allowed.length) {
    const extra = parsed.positionals[allowed.length];
    throw new UsageError(
      allowed.length === 0 ? `${spec.name} takes no positional arguments, got "${extra}".` : `unexpected argument "${extra}" after ${allowed.join(' ')}.`,
    );
  }
  const given = new Set(Object.keys(parsed.values).filter((k) => k !== 'help' && parsed.values[k] !== undefined));
  return { values: values as ParsedOptions<T>, positionals: parsed.positionals, help, given };
}
