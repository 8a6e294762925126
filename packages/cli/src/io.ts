import type { ProgressStream } from './progress.js';

/** Where a command writes and what stops it; {@link runCli} defaults to the process streams. */
export interface CliIo {
  /** Normal output and progress (a bar on a terminal). */
  readonly stdout: ProgressStream;
  /** Errors and warnings. */
  readonly stderr: { write(text: string): unknown };
  /** Aborting (Ctrl-C or SIGTERM) makes `train` finish the current step, checkpoint and exit (130 for Ctrl-C, 143 for SIGTERM). */
  readonly signal?: AbortSignal;
}

/** A command of the `aigc` program. */
export interface CliCommand {
  /** Word after `aigc`, e.g. `train`. */
  readonly name: string;
  /** One line for `aigc --help`. */
  readonly summary: string;
  /** Runs the command with its arguments; resolves to the exit code. Throws UsageError or AigcError on mistakes. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Writes a line to a stream. */
export function say(stream: { write(text: string): unknown }, line: string): void {
  stream.write(`${line}\n`);
}
