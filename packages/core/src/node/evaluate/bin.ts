#!/usr/bin/env node
/** Entry point of the `aigc-evaluate` command; see {@link runEvaluateCli}. */
import { runEvaluateCli } from './cli.js';

runEvaluateCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
