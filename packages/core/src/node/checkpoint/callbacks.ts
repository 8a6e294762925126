import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { sampleGridCallback } from '../../training/callbacks.js';
import type { Trainer } from '../../training/trainer.js';
import type { TrainerCallback } from '../../training/types.js';
import { writePng } from '../png-file.js';

/** Options of {@link checkpointCallback}. */
export interface CheckpointCallbackOptions {
  /** Save every N steps (and always at the end of training). Default 100. */
  readonly every?: number;
}

/** A callback that saves `trainer` to the folder `dir` every `every` steps and when training ends (also after an abort). */
export function checkpointCallback(trainer: Trainer, dir: string, options: CheckpointCallbackOptions = {}): TrainerCallback {
  const every = options.every ?? 100;
  if (!Number.isInteger(every) || every <= 0) throw new InvalidArgumentError('every', `every must be a positive integer, got ${String(every)}.`);
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new InvalidArgumentError('dir', `checkpointCallback needs the folder to save into, e.g. checkpointCallback(trainer, 'out/checkpoint'); got ${dir === '' ? 'an empty string' : String(dir)}.`);
  }
  let saved = -1;
  const save = async () => {
    if (saved === trainer.globalStep) return;
    await trainer.save(dir);
    saved = trainer.globalStep;
  };
  return {
    onStepEnd: async (m) => {
      if (m.step % every === 0) await save();
    },
    onTrainEnd: save,
  };
}

/** Options of {@link sampleGridSaver}. */
export interface SampleGridSaverOptions {
  /** Save a grid every N steps (and at the end). Default 100. */
  readonly every?: number;
  /** Images in the grid (per class for conditional models). Default 64 (8 per class). */
  readonly count?: number;
  /** Latent seed, fixed so grids are comparable across steps. Default 1234. */
  readonly seed?: number;
  /** Also overwrite `latest.png` with each grid. Default true. */
  readonly latest?: boolean;
}

/** A callback that writes `samples-<step>.png` grids (EMA weights when enabled) into `dir`. */
export function sampleGridSaver(trainer: Trainer, dir: string, options: SampleGridSaverOptions = {}): TrainerCallback {
  return sampleGridCallback(trainer, {
    ...options,
    onGrid: async (grid, step) => {
      await writePng(path.join(dir, `samples-${String(step).padStart(6, '0')}.png`), grid);
      if (options.latest ?? true) await writePng(path.join(dir, 'latest.png'), grid);
    },
  });
}
