import { imageGrid, type RasterImage } from '../io/grid.js';
import { InvalidArgumentError } from '../errors.js';
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
 * A callback that samples a grid of images (through `trainer.sample`, so with EMA weights when
 * enabled; one row per class for conditional models) every `every` steps and at the end.
 */
export function sampleGridCallback(trainer: Trainer, options: SampleGridCallbackOptions): TrainerCallback {
  const every = options.every ?? 100;
  if (!Number.isInteger(every) || every <= 0) throw new InvalidArgumentError('every', `every must be a positive integer, got ${String(every)}.`);
  const seed = options.seed ?? 1234;
  const k = trainer.model.numClasses;
  const count = options.count ?? (k === undefined ? 64 : 8);
  let last = -1;
  const emit = async (step: number) => {
    if (step === last) return;
    last = step;
    const images =
      k === undefined
        ? trainer.sample(count, { seed })
        : trainer.ema
          ? trainer.ema.apply(() => sampleClassGrid(trainer.model, count, { seed }))
          : sampleClassGrid(trainer.model, count, { seed });
    try {
      await options.onGrid(imageGrid(images, k === undefined ? {} : { columns: count }), step);
    } finally {
      images.dispose();
    }
  };
  return {
    onStepEnd: async (m) => {
      if (m.step % every === 0) await emit(m.step);
    },
    onTrainEnd: async (h) => {
      if (h.steps > 0) await emit(h.globalStep);
    },
  };
}
