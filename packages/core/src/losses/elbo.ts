/** The VAE's evidence lower bound: a reconstruction log-likelihood term and the closed-form Gaussian KL. */
import { tf } from '../tf.js';

/** How a VAE's decoder output is read as a distribution over pixels. */
export type VaeLikelihood = 'bernoulli' | 'gaussian';

/** Default standard deviation of the Gaussian likelihood, in the [-1, 1] pixel units the Trainer feeds (0.1 on a [0, 1] scale). */
export const DEFAULT_GAUSSIAN_STD = 0.2;

/**
 * KL(N(mu, exp(logVar)) || N(0, 1)) per example in closed form,
 * `0.5 * sum(exp(logVar) + mu^2 - 1 - logVar)` over the latent axis; returns `[n]`.
 */
export function gaussianKl(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.exp(logVar), tf.square(mu)), tf.add(1, logVar)), 1)) as tf.Tensor1D);
}

/**
 * Negative log-likelihood of `images` (in [-1, 1]) per example, summed over pixels; returns `[n]`.
 * `output` is the decoder's pre-activation `a` (images are `tanh(a)`).
 * - `'bernoulli'`: targets `(x + 1) / 2` in [0, 1], logits `2a` (so the mean `sigmoid(2a)` maps to
 *   `tanh(a)` in [-1, 1]); binary cross-entropy with logits, `softplus(l) - t * l`, finite for any `a`.
 * - `'gaussian'`: N(x; tanh(a), std^2) without its constant: `0.5 * sum((x - tanh(a))^2) / std^2`.
 */
export function reconstructionNll(
  likelihood: VaeLikelihood,
  output: tf.Tensor4D,
  images: tf.Tensor4D,
  gaussianStd = DEFAULT_GAUSSIAN_STD,
): tf.Tensor1D {
  return tf.tidy(() => {
    let perPixel: tf.Tensor;
    if (likelihood === 'bernoulli') {
      const logits = tf.mul(output, 2);
      const target = tf.mul(tf.add(images, 1), 0.5);
      perPixel = tf.sub(tf.softplus(logits), tf.mul(logits, target));
    } else {
      perPixel = tf.mul(tf.squaredDifference(images, tf.tanh(output)), 0.5 / (gaussianStd * gaussianStd));
    }
    return tf.sum(tf.reshape(perPixel, [images.shape[0], -1]), 1) as tf.Tensor1D;
  });
}

/** KL weight at a 1-based `step`: `beta` times a linear ramp from `1 / warmupSteps` to 1 over `warmupSteps` steps (no ramp when 0). */
export function klWeight(beta: number, warmupSteps: number, step: number): number {
  return warmupSteps > 0 ? beta * Math.min(1, step / warmupSteps) : beta;
}
