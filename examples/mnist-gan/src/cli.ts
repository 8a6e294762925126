#!/usr/bin/env node
/** Command line of the MLP GAN example; see `--help`. */
import { AigcError } from '@aigc/core';
import { parseCliArgs, UsageError, USAGE } from './args.js';
import { runPipeline } from './pipeline.js';

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
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\nInterrupted: finishing the current step, then writing outputs...\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    await runPipeline(opts, { out: process.stdout, signal: controller.signal });
    return controller.signal.aborted ? 130 : 0;
  } catch (error) {
    if (AigcError.isInstance(error)) {
      process.stderr.write(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
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
