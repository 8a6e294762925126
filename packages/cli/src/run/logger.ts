/** The run's `metrics.jsonl` writer: step rows plus the run's own events (FID), through one file handle. */
import { jsonlMetricsCallback, type JsonlMetricsCallback } from '@aigc/core/node';

/** A Trainer callback writing `metrics.jsonl`, with `event(name, fields)` for extra lines. */
export type RunLogger = JsonlMetricsCallback;

/**
 * Writes one JSON object per step (with its wall-clock `time` in ms), a `begin` and an `end` line,
 * and events, into `file` (appending when `append`, as a resumed run does): core's
 * `jsonlMetricsCallback` logging every step.
 */
export function runLogger(file: string, options: { readonly append: boolean }): RunLogger {
  return jsonlMetricsCallback(file, { append: options.append });
}
