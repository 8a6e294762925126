#!/usr/bin/env node
/** Command line of the DCGAN example; see `--help`. */
import { runProgram, say } from '@aigc/cli';
import { parseCliArgs, USAGE } from './args.js';
import { runDcgan } from './train.js';

void runProgram(
  async (argv, io) => {
    const opts = parseCliArgs([...argv]);
    if (opts.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    await runDcgan(opts, (line) => say(io.stdout, line), io.signal);
    return io.signal?.aborted ? 130 : 0;
  },
  {
    helpHint: 'Run "npm run demo:dcgan -- --help" for usage.',
    interruptMessage: 'Interrupted: finishing the current step, then saving the checkpoint (resume with --resume)...',
  },
);
