import { tf } from '../tf.js';
import { sigmoidCrossEntropy, smoothedDiscriminatorLoss, type CrossEntropyLossOptions } from './cross-entropy.js';
import type { LossFn } from './types.js';
import { registerLoss } from './table.js';
import { checkKeys } from '../options.js';

/**
 * The original minimax GAN loss (Goodfellow et al. 2014). D minimizes
 * -log D(x) - log(1 - D(G(z))); G minimizes log(1 - D(G(z))), whose gradient vanishes when D
 * wins early, hence "saturating". Prefer {@link nonSaturatingLoss}.
 */
export function minimaxLoss(options: CrossEntropyLossOptions = {}): LossFn {
  checkKeys('minimaxLoss', options, { labelSmoothing: true });
  return {
    name: 'minimax',
    discriminatorLoss: smoothedDiscriminatorLoss(options),
    // log(1 - sigmoid(f)) = -softplus(f)
    generatorLoss: (fake) => tf.tidy(() => tf.neg(sigmoidCrossEntropy(fake, false)) as tf.Scalar),
    config: { labelSmoothing: options.labelSmoothing ?? 0 },
  };
}

registerLoss('minimax', (c) => minimaxLoss(c));
