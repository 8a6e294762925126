import type { tf } from '../tf.js';
import type { GanModel } from '../models/types.js';

/** What a {@link DiscriminatorRegularizer} sees during one D update. */
export interface RegularizerContext {
  /** The model being trained. */
  readonly model: GanModel;
  /** The real images of this D update (after instance noise, if any). */
  readonly real: tf.Tensor4D;
  /** The generated images of this D update (constants: no gradient flows into G). */
  readonly fake: tf.Tensor4D;
  /** Class labels of `real`, for conditional models. */
  readonly realLabels?: tf.Tensor1D;
  /** Class labels `fake` was generated with, for conditional models. */
  readonly fakeLabels?: tf.Tensor1D;
  /** A fresh seed for this update's randomness (e.g. interpolation weights). */
  readonly seed: number;
  /** The global step being trained (1-based). */
  readonly step: number;
}

/**
 * A penalty added to D's loss, composable with any {@link LossFn}: e.g. {@link gradientPenalty}
 * (WGAN-GP) or {@link r1Penalty}. It runs inside D's gradient tape, so its gradient with respect
 * to D's weights (a second derivative for gradient penalties) is part of D's update.
 */
export interface DiscriminatorRegularizer {
  /** Name for logs and checkpoints, e.g. `'gradient-penalty'`. */
  readonly name: string;
  /** The options it was made with, stored in checkpoints so `Trainer.resume` can rebuild it. */
  readonly config?: Readonly<Record<string, number>>;
  /** The (weighted) penalty to add to D's loss. */
  penalty(context: RegularizerContext): tf.Scalar;
}
