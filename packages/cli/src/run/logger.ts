/** The run's `metrics.jsonl` writer: step rows plus the run's own events (FID), through one file handle. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StepMetrics, TrainerCallback } from '@aigc/core';

/** A Trainer callback writing `metrics.jsonl`, with {@link RunLogger.event} for extra lines. */
export interface RunLogger extends TrainerCallback {
  /** Appends `{"event": name, ...fields}` after the lines written so far. */
  event(name: string, fields: Readonly<Record<string, unknown>>): Promise<void>;
}

/**
 * Writes one JSON object per step (with its wall-clock `time` in ms), a `begin` and an `end` line,
 * and events, into `file` (appending when `append`, as a resumed run does). Lines are written as
 * they come, so a crash loses at most one.
 */
export function runLogger(file: string, options: { readonly append: boolean }): RunLogger {
  let handle: fs.FileHandle | undefined;
  const write = async (obj: unknown) => {
    await handle?.appendFile(`${JSON.stringify(obj)}\n`);
  };
  return {
    async onTrainBegin(info) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      handle = await fs.open(file, options.append ? 'a' : 'w');
      await write({ event: 'begin', time: new Date().toISOString(), ...info });
    },
    async onStepEnd(m: StepMetrics) {
      await write({ ...m, time: Date.now() });
    },
    async onTrainEnd(h) {
      await write({ event: 'end', steps: h.steps, globalStep: h.globalStep, stopReason: h.stopReason, backend: h.backend });
      await handle?.close();
      handle = undefined;
    },
    event: (name, fields) => write({ event: name, ...fields }),
  };
}
