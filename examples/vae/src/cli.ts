#!/usr/bin/env node
/** Command line of the VAE example; see `--help`. */
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
  try {
    await runVae(opts, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    if (AigcError.isInstance(error)) {
      process.stderr.write(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
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
