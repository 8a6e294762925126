import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import type { ImageGenerator, GenerateOptions } from '../models/types.js';
import { checkKeys } from '../options.js';

/** Options of {@link sampleClassGrid}. */
export interface ClassGridOptions extends Omit<GenerateOptions, 'labels'> {
  /** Classes to show, one row each. Default: all `0 .. numClasses - 1`. */
  readonly classes?: readonly number[];
  /**
   * Use the same latents in every row (column j shares z across classes), so rows differ only
   * by class. Default true.
   */
  readonly shareLatents?: boolean;
}

/**
 * Samples `perClass` images for each class of a conditional generator, ordered row by row
 * (class 0 first), so `imageGrid(images, { columns: perClass })` shows one class per row.
 */
export function sampleClassGrid(gen: ImageGenerator, perClass: number, options: ClassGridOptions = {}): tf.Tensor4D {
  checkKeys('sampleClassGrid', options, { classes: true, shareLatents: true, seed: true, sampler: true });
  const k = gen.numClasses;
  if (k === undefined) throw new InvalidArgumentError('model', 'sampleClassGrid needs a conditional model (one with numClasses).');
  if (!Number.isInteger(perClass) || perClass <= 0) {
    throw new InvalidArgumentError('perClass', `perClass must be a positive integer, got ${String(perClass)}.`);
  }
  const classes = options.classes ?? Array.from({ length: k }, (_, i) => i);
  const labels = classes.flatMap((c) => Array<number>(perClass).fill(c));
  const { classes: _c, shareLatents = true, ...rest } = options;
  if (!shareLatents) return gen.sample(labels.length, { ...rest, labels });
  const sampler = rest.sampler;
  return tf.tidy(() => {
    const z =
      sampler !== undefined
        ? sampler.sample(perClass, rest.seed === undefined ? {} : { seed: rest.seed })
        : tf.randomNormal([perClass, gen.latentDim], 0, 1, 'float32', rest.seed);
    const tiled = tf.tile(z, [classes.length, 1]) as tf.Tensor2D;
    const labelTensor = tf.tensor1d(labels, 'int32');
    return gen.generate(tiled, labelTensor, false);
  });
}
