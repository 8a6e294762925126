import { tf } from '../tf.js';
import type { LossFn } from './types.js';
import { registerLoss } from './table.js';

/**
 * Hinge loss (Lim & Ye 2017; used by SN-GAN and BigGAN): D minimizes
 * `mean(relu(1 - D(x))) + mean(relu(1 + D(G(z))))`, G minimizes `-mean(D(G(z)))`.
 */
export function hingeLoss(): LossFn {
  return {
    name: 'hinge',
    discriminatorLoss: (real, fake) =>
      tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar),
    generatorLoss: (fake) => tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar),
    config: {},
  };
}

registerLoss('hinge', () => hingeLoss());
