import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { sigmoidCrossEntropy } from './cross-entropy.js';
import type { LossFn } from './types.js';
import { registerLoss } from './table.js';

/**
 * Relativistic average standard GAN loss, RaSGAN (Jolicoeur-Martineau 2018). With
 * `r = D(x) - mean D(G(z))` and `f = D(G(z)) - mean D(x)`, D minimizes
 * `-mean log σ(r) - mean log(1 - σ(f))` and G the same with the roles swapped, so G's loss
 * needs D's logits on real images (`generatorUsesReal`).
 */
export function relativisticAverageLoss(): LossFn {
  const relative = (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, tf.mean(b));
  const loss = (winner: tf.Tensor, loser: tf.Tensor) =>
    tf.tidy(
      () =>
        tf.add(sigmoidCrossEntropy(relative(winner, loser), true), sigmoidCrossEntropy(relative(loser, winner), false)) as tf.Scalar,
    );
  return {
    name: 'relativistic-average',
    discriminatorLoss: (real, fake) => loss(real, fake),
    generatorLoss: (fake, real) => {
      if (real === undefined) {
        throw new InvalidArgumentError('realLogits', 'The relativistic average loss needs D\'s logits on real images for G\'s loss.');
      }
      return loss(fake, real);
    },
    generatorUsesReal: true,
    config: {},
  };
}

registerLoss('relativistic-average', () => relativisticAverageLoss());
