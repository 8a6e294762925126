import { tf } from '../tf.js';
import type { GanModel, GenerateOptions, ImageGenerator } from '../models/types.js';
import type { ExponentialMovingAverage } from './ema.js';

/**
 * An {@link ImageGenerator} view of `model` that runs with the EMA weights: each `generate` and
 * `sample` call swaps the averages in and the live weights back. A GAN's `discriminate` (D is not
 * averaged) is passed through, so `evaluate` can still score D. `dispose` does nothing (the model
 * and the EMA stay the trainer's).
 */
export function averagedGenerator(model: ImageGenerator, ema: ExponentialMovingAverage): ImageGenerator {
  const view: ImageGenerator = {
    latentDim: model.latentDim,
    imageShape: model.imageShape,
    numClasses: model.numClasses,
    generate: (z: tf.Tensor2D, labels?: tf.Tensor1D, training?: boolean) => ema.apply(() => model.generate(z, labels, training)),
    sample: (n: number, options?: GenerateOptions) => ema.apply(() => model.sample(n, options)),
    dispose: () => undefined,
  };
  const discriminate = (model as Partial<GanModel>).discriminate;
  return typeof discriminate === 'function' ? Object.assign(view, { discriminate: discriminate.bind(model) }) : view;
}

/**
 * Runs `fn` (which may be async) with the EMA weights swapped into the variables (and G's batch-norm
 * statistics recalibrated when the EMA has `batchNorm`), restoring the live ones after; just `fn()` without EMA.
 */
export async function withAveraged<T>(ema: ExponentialMovingAverage | undefined, fn: () => T | Promise<T>): Promise<T> {
  if (!ema) return fn();
  return ema.apply(async () => fn());
}
