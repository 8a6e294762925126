#!/usr/bin/env node
/** Entry point of the `aigc` command: process streams, Ctrl-C and SIGTERM, exit code. See {@link runCli}. */
import { tf } from '@aigc/core';
import { runCli } from './main.js';
import { runProgram } from './program.js';

// A command line wants no tfjs console banners ("looks like you are running TensorFlow.js in Node.js").
tf.env().set('PROD', true);

void runProgram(runCli, {
  helpHint: 'Run "aigc --help" for usage.',
  interruptMessage: 'Interrupted: finishing the current step, then saving the checkpoint (a second Ctrl-C or SIGTERM quits now)...',
});
