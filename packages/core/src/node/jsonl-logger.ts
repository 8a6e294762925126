import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { checkKeys } from '../options.js';
import type { StepMetrics, TrainerCallback, TrainHistory } from '../training/types.js';

/** Options of {@link jsonlMetricsCallback}. */
export interface JsonlLoggerOptions {
  /** Log every N-th step. Default 1. */
  readonly every?: number;
  /** Append to an existing file instead of replacing it. Default false (true is what resumed runs want). */
  readonly append?: boolean;
}

/** The callback {@link jsonlMetricsCallback} returns: a TrainerCallback that can also log lines of your own. */
export interface JsonlMetricsCallback extends TrainerCallback {
  /** Appends `{"event": name, ...fields}` after the lines written so far (ignored outside fit). */
  event(name: string, fields: Readonly<Record<string, unknown>>): Promise<void>;
}

/**
 * A callback that writes one JSON object per logged step to `file` (JSON Lines), plus a final
 * `{"event":"end",...}` line and any `event(...)` lines. Lines are flushed as they are written, so a
 * crash loses at most one.
 */
export function jsonlMetricsCallback(file: string, options: JsonlLoggerOptions = {}): JsonlMetricsCallback {
  checkKeys('jsonlMetricsCallback', options, { every: true, append: true });
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every <= 0) {
    throw new InvalidArgumentError('every', `every must be a positive integer (log every N-th step), got ${String(every)}.`);
  }
  let handle: fs.FileHandle | undefined;
  const write = async (obj: unknown) => {
    await handle?.appendFile(JSON.stringify(obj) + '\n');
  };
  return {
    async onTrainBegin(info) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      handle = await fs.open(file, options.append ? 'a' : 'w');
      await write({ event: 'begin', time: new Date().toISOString(), ...info });
    },
    async onStepEnd(m: StepMetrics) {
      if (m.step % every === 0) await write({ ...m, time: Date.now() });
    },
    async onTrainEnd(h: TrainHistory) {
      await write({ event: 'end', steps: h.steps, globalStep: h.globalStep, stopReason: h.stopReason, backend: h.backend });
      await handle?.close();
      handle = undefined;
    },
    event: (name, fields) => write({ event: name, ...fields }),
  };
}

/**
 * The old name of {@link jsonlMetricsCallback}.
 * @deprecated Use {@link jsonlMetricsCallback} (callback factories are named `xxxCallback`, like `checkpointCallback`); `jsonlMetricsLogger` goes in the next minor release.
 */
export function jsonlMetricsLogger(file: string, options: JsonlLoggerOptions = {}): TrainerCallback {
  return jsonlMetricsCallback(file, options);
}
