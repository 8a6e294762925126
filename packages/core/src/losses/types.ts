import type { tf } from '../tf.js';

/**
 * A GAN objective over discriminator logits (unbounded scores, not probabilities).
 * Both functions return a scalar to minimize.
 */
export interface LossFn {
  /** Name used in logs and checkpoints, e.g. `'non-saturating'`. */
  readonly name: string;
  /** Loss of the discriminator given its logits on real and on generated images. */
  discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** Loss of the generator given the discriminator's logits on generated (and, if needed, real) images. */
  generatorLoss(fakeLogits: tf.Tensor, realLogits?: tf.Tensor): tf.Scalar;
  /** True when {@link LossFn.generatorLoss} needs `realLogits` (relativistic losses). Default false. */
  readonly generatorUsesReal?: boolean;
  /**
   * WGAN weight clipping (Arjovsky et al. 2017): after every D update the trainer clips each of
   * D's trainable weights to `[-weightClip, weightClip]`. Default: no clipping.
   */
  readonly weightClip?: number;
  /** The options this loss was made with, stored in checkpoints so `Trainer.resume` can rebuild it. */
  readonly config?: Readonly<Record<string, number>>;
}
