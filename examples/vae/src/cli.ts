#!/usr/bin/env node
/** Command line of the VAE example; see `--help`. */
import { listenForStopSignals, STOP_SIGNAL_EXIT_CODES } from '@aigc/cli';
import { AigcError } from '@aigc/core';
import { parseCliArgs, UsageError, USAGE } from './args.js';
import { runVae } from './train.js';

async function main(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Ctrl-C or SIGTERM: finish the step, save the checkpoint, exit 130 / 143; a second one quits at once.
  const stop = listenForStopSignals({
    onFirst: (name) => process.stderr.write(`\n${name}: finishing the current step, then saving the checkpoint (resume with --resume; a second Ctrl-C or SIGTERM quits now)...\n`),
  });
  try {
    const result = await runVae(opts, (line) => process.stdout.write(`${line}\n`), stop.signal);
    return result.interrupted ? (stop.exitCode ?? STOP_SIGNAL_EXIT_CODES.SIGINT) : 0;
  } catch (error) {
    if (AigcError.isInstance(error)) {
      process.stderr.write(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    stop.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
