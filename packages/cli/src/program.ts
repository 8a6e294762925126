/** Runs a command-line program the way `aigc` does: streams, Ctrl-C and SIGTERM, one-line errors, exit code. */
import { AigcError } from '@aigc/core';
import { UsageError } from './args.js';
import type { CliIo } from './io.js';
import { listenForStopSignals, STOP_SIGNAL_EXIT_CODES } from './stop-signals.js';

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Said after a usage error, e.g. `Run "npm run demo -- --help" for usage.`. */
  readonly helpHint: string;
  /** Said on the first Ctrl-C or SIGTERM. Default: finishing the current step. */
  readonly interruptMessage?: string;
}

/**
 * Runs `main` with the process arguments and streams and sets `process.exitCode`: its own code,
 * 2 after a {@link UsageError} (one `Error: ...` line and `helpHint`), 1 after an aigc error (its
 * message), 130 after Ctrl-C and 143 after SIGTERM (the first of either aborts `io.signal`; a second
 * quits at once). `main` may return 0 or 130 when it stopped on `io.signal`.
 */
export function runProgram(main: (argv: readonly string[], io: CliIo) => Promise<number>, options: RunProgramOptions): Promise<number> {
  const stop = listenForStopSignals({
    onFirst: (name) =>
      process.stderr.write(
        `\n${name === 'SIGTERM' ? 'SIGTERM: ' : ''}${options.interruptMessage ?? 'Interrupted: finishing the current step, then writing outputs (a second Ctrl-C or SIGTERM quits now)...'}\n`,
      ),
  });
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, signal: stop.signal };
  return main(process.argv.slice(2), io)
    .then(
      (code) => (stop.exitCode !== undefined && (code === 0 || code === STOP_SIGNAL_EXIT_CODES.SIGINT) ? stop.exitCode : code),
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
      stop.dispose();
      process.exitCode = code;
      return code;
    });
}
