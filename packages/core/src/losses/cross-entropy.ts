import { tf } from '../tf.js';

/**
 * Mean sigmoid cross-entropy of `logits` against a constant target 1 (`positive`) or 0,
 * computed as softplus so large logits give finite values and gradients.
 */
export function sigmoidCrossEntropy(logits: tf.Tensor, positive: boolean): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(positive ? tf.neg(logits) : logits)) as tf.Scalar);
}

/** The standard GAN discriminator loss: cross-entropy of real as 1 plus generated as 0 (TF-GAN's sum convention). */
export function crossEntropyDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(sigmoidCrossEntropy(realLogits, true), sigmoidCrossEntropy(fakeLogits, false)) as tf.Scalar);
}
