#!/usr/bin/env node
/** Command line of the MLP GAN example; see `--help`. */
import { runProgram } from '@aigc/cli';
import { parseCliArgs, USAGE } from './args.js';
import { runPipeline } from './pipeline.js';

void runProgram(
  async (argv, io) => {
    const opts = parseCliArgs([...argv]);
    if (opts.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    await runPipeline(opts, { out: io.stdout, ...(io.signal ? { signal: io.signal } : {}) });
    return io.signal?.aborted ? 130 : 0;
  },
  { helpHint: 'Run "npm run demo -- --help" for usage.', interruptMessage: 'Interrupted: finishing the current step, then writing outputs...' },
);
