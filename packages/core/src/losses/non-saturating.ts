import { sigmoidCrossEntropy, smoothedDiscriminatorLoss, type CrossEntropyLossOptions } from './cross-entropy.js';
import type { LossFn } from './types.js';
import { registerLoss } from './table.js';
import { checkKeys } from '../options.js';

/**
 * The non-saturating GAN loss (the default): D as in {@link minimaxLoss}, while G minimizes
 * -log D(G(z)), which keeps strong gradients when D rejects its samples.
 */
export function nonSaturatingLoss(options: CrossEntropyLossOptions = {}): LossFn {
  checkKeys('nonSaturatingLoss', options, { labelSmoothing: true });
  return {
    name: 'non-saturating',
    discriminatorLoss: smoothedDiscriminatorLoss(options),
    generatorLoss: (fake) => sigmoidCrossEntropy(fake, true),
    config: { labelSmoothing: options.labelSmoothing ?? 0 },
  };
}

registerLoss('non-saturating', (c) => nonSaturatingLoss(c));
