import { tf } from '../tf.js';
import type { LossFn } from './types.js';
import { registerLoss } from './table.js';

/**
 * Least-squares GAN loss (Mao et al. 2017) with the paper's 0-1 coding (a = 0, b = c = 1):
 * D minimizes `½ mean((D(x) - 1)²) + ½ mean(D(G(z))²)`, G minimizes `½ mean((D(G(z)) - 1)²)`.
 */
export function leastSquaresLoss(): LossFn {
  const half = (t: tf.Tensor) => tf.mul(tf.mean(tf.square(t)), 0.5);
  return {
    name: 'least-squares',
    discriminatorLoss: (real, fake) => tf.tidy(() => tf.add(half(tf.sub(real, 1)), half(fake)) as tf.Scalar),
    generatorLoss: (fake) => tf.tidy(() => half(tf.sub(fake, 1)) as tf.Scalar),
    config: {},
  };
}

registerLoss('least-squares', () => leastSquaresLoss());
