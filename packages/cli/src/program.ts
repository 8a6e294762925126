/** Runs a command-line program the way `aigc` does: streams, Ctrl-C, one-line errors, exit code. */
import { AigcError } from '@aigc/core';
import { UsageError } from './args.js';
import type { CliIo } from './io.js';

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Said after a usage error, e.g. `Run "npm run demo -- --help" for usage.`. */
  readonly helpHint: string;
  /** Said on the first Ctrl-C. Default: finishing the current step. */
  readonly interruptMessage?: string;
}

/**
 * Runs `main` with the process arguments and streams and sets `process.exitCode`: its own code,
 * 2 after a {@link UsageError} (one `Error: ...` line and `helpHint`), 1 after an aigc error (its
 * message), 130 after Ctrl-C (the first aborts `io.signal`; a second quits at once).
 */
export function runProgram(main: (argv: readonly string[], io: CliIo) => Promise<number>, options: RunProgramOptions): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${options.interruptMessage ?? 'Interrupted: finishing the current step, then writing outputs (Ctrl-C again to quit now)...'}\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
  return main(process.argv.slice(2), io)
    .then(
      (code) => (controller.signal.aborted && code === 0 ? 130 : code),
      (error: unknown) => {
        if (error instanceof UsageError) {
          process.stderr.write(`Error: ${error.message}\n${options.helpHint}\n`);
          return 2;
        }
        if (AigcError.isInstance(error)) {
          process.stderr.write(`Error: ${error.message}\n`);
          return 1;
        }
        process.stderr.write(`Unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
        return 1;
      },
    )
    .then((code) => {
      process.off('SIGINT', onSigint);
      process.exitCode = code;
      return code;
    });
}
