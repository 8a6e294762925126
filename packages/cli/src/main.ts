/** The `aigc` program: dispatches to its commands and turns mistakes into one-line errors and exit codes. */
import { createRequire } from 'node:module';
import { AigcError } from '@aigc/core';
import { UsageError } from './args.js';
import { evaluateCommand } from './commands/evaluate.js';
import { infoCommand } from './commands/info.js';
import { interpolateCommand } from './commands/interpolate.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';
import { say, type CliCommand, type CliIo } from './io.js';

/** The commands of `aigc`, in help order. */
export const COMMANDS: readonly CliCommand[] = [trainCommand, sampleCommand, interpolateCommand, evaluateCommand, infoCommand];

/** Exit codes: 0 done, 1 a library error (bad data, missing backend, ...), 2 a usage mistake, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). */
export const EXIT = { ok: 0, error: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

/** The version of this package. */
export function cliVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** `aigc --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `Usage: aigc <command> [options]

Train and sample GANs on your pictures with TensorFlow.js (@aigc/core).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run "aigc <command> --help" for a command's options. Example:
  aigc train --data photos/ --size 64 --out runs/photos
  aigc sample --from runs/photos --n 64 --out grid.png
`;
}

const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr });

/**
 * Runs `aigc` with `argv` (the words after `aigc`); resolves to the exit code. Usage mistakes print
 * `Error: ...` and a pointer to `--help` (2); aigc errors print their message (1); nothing prints a stack
 * trace except an unexpected failure (a bug).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    say(io.stdout, cliVersion());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    say(io.stderr, `Error: unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.name).join(', ')}.`);
    say(io.stderr, 'Run "aigc --help" for usage.');
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      say(io.stderr, `Error: ${error.message}`);
      say(io.stderr, `Run "aigc ${command.name} --help" for usage.`);
      return EXIT.usage;
    }
    if (AigcError.isInstance(error)) {
      say(io.stderr, `Error: ${error.message}`);
      return EXIT.error;
    }
    say(io.stderr, `Unexpected error (a bug in aigc; please report it): ${(error as Error)?.stack ?? String(error)}`);
    return EXIT.error;
  }
}
