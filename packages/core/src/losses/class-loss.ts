import { tf } from '../tf.js';

/**
 * ACGAN's auxiliary class loss (Odena et al. 2017): mean softmax cross-entropy of `classLogits`
 * `[n, numClasses]` against integer `labels` `[n]`. Both D and G minimize it (on real and
 * generated images for D, on generated images for G).
 */
export function auxiliaryClassLoss(classLogits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = classLogits.shape[1];
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), numClasses);
    return tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(classLogits)), 1))) as tf.Scalar;
  });
}
