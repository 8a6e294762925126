import { imageGridAsync, type RasterImage } from '../io/grid.js';
import { InvalidArgumentError } from '../errors.js';
import { checkKeys } from '../options.js';
import { sampleClassGrid } from '../sampling/class-grid.js';
import type { Trainer } from './trainer.js';
import type { TrainerCallback } from './types.js';

/** Options of {@link sampleGridCallback}. */
export interface SampleGridCallbackOptions {
  /** Called with the grid and the global step. */
  readonly onGrid: (grid: RasterImage, step: number) => void | Promise<void>;
  /** Make a grid every N steps (and at the end of training). Default 100. */
  readonly every?: number;
  /** Images in the grid; for conditional models, images per class. Default 64 (8 per class). */
  readonly count?: number;
  /** Fixed latent seed, so successive grids show the same latents. Default 1234. */
  readonly seed?: number;
}

/**
 * A callback that samples a grid of images from `trainer.generator` (so with the EMA weights when
 * enabled; one row per class for conditional models) every `every` steps and at the end, reading
 * them asynchronously so every backend works. The trainer is the one running `fit`.
 */
export function sampleGridCallback(options: SampleGridCallbackOptions): TrainerCallback<any>;
/** @deprecated Pass the options only: the trainer comes from `fit` (`sampleGridCallback(options)`); this form goes in the next minor release. */
export function sampleGridCallback(trainer: Trainer<any, any>, options: SampleGridCallbackOptions): TrainerCallback<any>;
export function sampleGridCallback(a: Trainer<any, any> | SampleGridCallbackOptions, b?: SampleGridCallbackOptions): TrainerCallback<any> {
  return gridCallback(b === undefined ? undefined : (a as Trainer<any, any>), b ?? (a as SampleGridCallbackOptions));
}

/** @internal {@link sampleGridCallback} with an optional fixed trainer (the deprecated forms pass one). */
export function gridCallback(given: Trainer<any, any> | undefined, options: SampleGridCallbackOptions): TrainerCallback<any> {
  if (options === null || typeof options !== 'object' || typeof options.onGrid !== 'function') {
    throw new InvalidArgumentError('onGrid', 'sampleGridCallback needs { onGrid(grid, step) }, e.g. sampleGridCallback({ onGrid: (grid) => writePng(file, grid) }).');
  }
  checkKeys('sampleGridCallback', options, { onGrid: true, every: true, count: true, seed: true });
  const every = options.every ?? 100;
  if (!Number.isInteger(every) || every <= 0) throw new InvalidArgumentError('every', `every must be a positive integer, got ${String(every)}.`);
  const seed = options.seed ?? 1234;
  let trainer = given;
  let last = -1;
  const emit = async (step: number) => {
    if (trainer === undefined || step === last) return;
    last = step;
    const gen = trainer.generator;
    const k = gen.numClasses;
    const count = options.count ?? (k === undefined ? 64 : 8);
    const images = k === undefined ? gen.sample(count, { seed }) : sampleClassGrid(gen, count, { seed });
    try {
      await options.onGrid(await imageGridAsync(images, k === undefined ? {} : { columns: count }), step);
    } finally {
      images.dispose();
    }
  };
  return {
    onTrainBegin: (info) => {
      trainer ??= info.trainer;
    },
    onStepEnd: async (m) => {
      if (m.step % every === 0) await emit(m.step);
    },
    onTrainEnd: async (h) => {
      if (h.steps > 0) await emit(h.globalStep);
    },
  };
}
