#!/usr/bin/env node
/** Entry point of the `aigc` command: process streams, Ctrl-C, exit code. See {@link runCli}. */
import { tf } from '@aigc/core';
import { runCli } from './main.js';

// A command line wants no tfjs console banners ("looks like you are running TensorFlow.js in Node.js").
tf.env().set('PROD', true);

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write('\nInterrupted: finishing the current step, then saving the checkpoint (Ctrl-C again to quit now)...\n');
  controller.abort();
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
  (code) => {
    process.exitCode = controller.signal.aborted && code === 0 ? 130 : code;
  },
  (error: unknown) => {
    process.stderr.write(`Unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
