import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * Mean sigmoid cross-entropy of `logits` against a constant target 1 (`positive`) or 0,
 * computed as softplus so large logits give finite values and gradients.
 */
export function sigmoidCrossEntropy(logits: tf.Tensor, positive: boolean): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(positive ? tf.neg(logits) : logits)) as tf.Scalar);
}

/**
 * Mean sigmoid cross-entropy of `logits` against a constant soft target `t` in [0, 1]:
 * `softplus(x) - t * x`, which equals `-t log σ(x) - (1 - t) log(1 - σ(x))` and stays finite.
 */
export function sigmoidCrossEntropyWithTarget(logits: tf.Tensor, target: number): tf.Scalar {
  if (target === 1) return sigmoidCrossEntropy(logits, true);
  if (target === 0) return sigmoidCrossEntropy(logits, false);
  return tf.tidy(() => tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, target))) as tf.Scalar);
}

/** The standard GAN discriminator loss: cross-entropy of real as 1 plus generated as 0 (TF-GAN's sum convention). */
export function crossEntropyDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(sigmoidCrossEntropy(realLogits, true), sigmoidCrossEntropy(fakeLogits, false)) as tf.Scalar);
}

/** Options shared by the cross-entropy losses. */
export interface CrossEntropyLossOptions {
  /**
   * One-sided label smoothing (Salimans et al. 2016): D's target for real images becomes
   * `1 - labelSmoothing`; generated images keep target 0. Default 0 (off); 0.1 is usual.
   */
  readonly labelSmoothing?: number;
}

/** @internal Validates `labelSmoothing` and returns D's loss with that real target. */
export function smoothedDiscriminatorLoss(
  options: CrossEntropyLossOptions,
): (realLogits: tf.Tensor, fakeLogits: tf.Tensor) => tf.Scalar {
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1)) {
    throw new InvalidArgumentError('labelSmoothing', `labelSmoothing must be in [0, 1), got ${String(smoothing)}; 0.1 is the usual value.`);
  }
  if (smoothing === 0) return crossEntropyDiscriminatorLoss;
  return (real, fake) =>
    tf.tidy(() => tf.add(sigmoidCrossEntropyWithTarget(real, 1 - smoothing), sigmoidCrossEntropy(fake, false)) as tf.Scalar);
}
