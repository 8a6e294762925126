import { tf } from '../tf.js';
import type { GanModel } from '../models/types.js';
import { registerSecondOrderGradients } from './second-order.js';

/**
 * Squared L2 norm, per image, of the gradient of D's logit with respect to its input image:
 * `‖∇ₓ D(x)‖²`, shape `[n]`. Differentiable with respect to D's weights (a second derivative).
 */
export function inputGradientSquaredNorms(model: GanModel, images: tf.Tensor4D, labels?: tf.Tensor1D): tf.Tensor1D {
  registerSecondOrderGradients();
  return tf.tidy(() => {
    const grad = tf.grad((x: tf.Tensor) => tf.sum(model.discriminate(x as tf.Tensor4D, labels, true)))(images);
    return tf.sum(tf.square(grad), [1, 2, 3]) as tf.Tensor1D;
  });
}
