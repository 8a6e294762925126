import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { gridCallback } from '../../training/callbacks.js';
import { checkKeys } from '../../options.js';
import type { Trainer } from '../../training/trainer.js';
import type { TrainerCallback } from '../../training/types.js';
import { writePng } from '../png-file.js';

/** Options of {@link checkpointCallback}. */
export interface CheckpointCallbackOptions {
  /** Save every N steps (and always at the end of training). Default 100. */
  readonly every?: number;
}

/**
 * A callback that saves the trainer running `fit` to the folder `dir` every `every` steps and when
 * training ends (also after an abort): `checkpointCallback(dir, { every })`. The older form
 * `checkpointCallback(trainer, dir, options)` still works for one release (deprecated).
 */
export function checkpointCallback(dir: string, options?: CheckpointCallbackOptions): TrainerCallback<any>;
/** @deprecated Pass the folder only: the trainer comes from `fit` (`checkpointCallback(dir, options)`). */
export function checkpointCallback(trainer: Trainer<any, any>, dir: string, options?: CheckpointCallbackOptions): TrainerCallback<any>;
export function checkpointCallback(a: Trainer<any, any> | string, b?: string | CheckpointCallbackOptions, c?: CheckpointCallbackOptions): TrainerCallback<any> {
  const given = typeof a === 'string' ? undefined : a;
  const dir = typeof a === 'string' ? a : (b as string);
  const options = (typeof a === 'string' ? (b as CheckpointCallbackOptions | undefined) : c) ?? {};
  let trainer = given;
  const every = options.every ?? 100;
  if (!Number.isInteger(every) || every <= 0) throw new InvalidArgumentError('every', `every must be a positive integer, got ${String(every)}.`);
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new InvalidArgumentError('dir', `checkpointCallback needs the folder to save into, e.g. checkpointCallback('out/checkpoint'); got ${dir === '' ? 'an empty string' : String(dir)}.`);
  }
  let saved = -1;
  const save = async () => {
    if (trainer === undefined || saved === trainer.globalStep) return;
    await trainer.save(dir);
    saved = trainer.globalStep;
  };
  return {
    onTrainBegin: (info) => {
      trainer ??= info.trainer;
    },
    onStepEnd: async (m) => {
      if (m.step % every === 0) await save();
    },
    onTrainEnd: save,
  };
}

/** Options of {@link sampleGridFileCallback}. */
export interface SampleGridFileCallbackOptions {
  /** Save a grid every N steps (and at the end). Default 100. */
  readonly every?: number;
  /** Images in the grid (per class for conditional models). Default 64 (8 per class). */
  readonly count?: number;
  /** Latent seed, fixed so grids are comparable across steps. Default 1234. */
  readonly seed?: number;
  /** Also overwrite `latest.png` with each grid. Default true. */
  readonly latest?: boolean;
}

/** @deprecated Renamed {@link SampleGridFileCallbackOptions}; this name goes in the next minor release. */
export type SampleGridSaverOptions = SampleGridFileCallbackOptions;

/**
 * A callback that writes `samples-<step>.png` grids (the step zero-padded to six digits, plus
 * `latest.png`) into the folder `dir`, sampled from `trainer.generator` of the trainer running `fit`
 * (EMA weights when enabled): `sampleGridFileCallback(dir, { every })`.
 */
export function sampleGridFileCallback(dir: string, options: SampleGridFileCallbackOptions = {}): TrainerCallback<any> {
  return gridFiles(undefined, dir, options);
}

/**
 * @deprecated Use {@link sampleGridFileCallback}`(dir, options)` (callback factories are named
 * `xxxCallback` and take the trainer from `fit`); `sampleGridSaver` goes in the next minor release.
 */
export function sampleGridSaver(trainer: Trainer<any, any>, dir: string, options: SampleGridFileCallbackOptions = {}): TrainerCallback<any> {
  return gridFiles(trainer, dir, options);
}

function gridFiles(trainer: Trainer<any, any> | undefined, dir: string, options: SampleGridFileCallbackOptions): TrainerCallback<any> {
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new InvalidArgumentError('dir', `sampleGridFileCallback needs the folder to write grids into, e.g. sampleGridFileCallback('out/grids'); got ${dir === '' ? 'an empty string' : String(dir)}.`);
  }
  checkKeys('sampleGridFileCallback', options, { every: true, count: true, seed: true, latest: true });
  const { latest = true, ...grid } = options;
  return gridCallback(trainer, {
    ...grid,
    onGrid: async (image, step) => {
      await writePng(path.join(dir, `samples-${String(step).padStart(6, '0')}.png`), image);
      if (latest) await writePng(path.join(dir, 'latest.png'), image);
    },
  });
}
