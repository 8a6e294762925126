/** The files of a run folder written by `aigc train`. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Paths inside a run folder. */
export interface RunPaths {
  /** The run folder itself. */
  readonly dir: string;
  /** The run's configuration (what `aigc train` was asked to do). */
  readonly config: string;
  /** One JSON object per step (JSON Lines), plus begin/end/fid events. */
  readonly metrics: string;
  /** The full training state, for `--resume`. */
  readonly checkpoint: string;
  /** The EMA generator as a tfjs model folder (`loadGenerator`). */
  readonly generator: string;
  /** Sample grids `samples-<step>.png` and `latest.png`. */
  readonly grids: string;
  /** The data's cleaning report. */
  readonly dataReport: string;
  /** The self-contained HTML report. */
  readonly report: string;
  /** The loss curves as SVG. */
  readonly lossesSvg: string;
}

/** Name of the configuration file that marks a folder as a run. */
export const RUN_CONFIG_FILE = 'run.json';

/** The paths of the run folder `dir`. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: path.join(dir, RUN_CONFIG_FILE),
    metrics: path.join(dir, 'metrics.jsonl'),
    checkpoint: path.join(dir, 'checkpoint'),
    generator: path.join(dir, 'generator'),
    grids: path.join(dir, 'samples'),
    dataReport: path.join(dir, 'data-report.json'),
    report: path.join(dir, 'report.html'),
    lossesSvg: path.join(dir, 'losses.svg'),
  };
}

/** Whether `dir` holds a run (its run.json exists). */
export function isRunFolder(dir: string): boolean {
  return existsSync(path.join(dir, RUN_CONFIG_FILE));
}
