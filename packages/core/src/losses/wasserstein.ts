import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import type { LossFn } from './types.js';
import { registerLoss } from './table.js';
import { checkKeys } from '../options.js';

/** Options of {@link wassersteinLoss}. */
export interface WassersteinLossOptions {
  /** Clip D's weights to `[-weightClip, weightClip]` after each update, as in the WGAN paper (0.01 there). Default: off (use a gradient penalty instead). */
  readonly weightClip?: number;
}

/**
 * Wasserstein loss (Arjovsky et al. 2017): the critic D minimizes `mean(D(fake)) - mean(D(real))`
 * and G minimizes `-mean(D(fake))`. Needs a Lipschitz constraint: weight clipping
 * (`weightClip`) or a {@link gradientPenalty} (WGAN-GP).
 */
export function wassersteinLoss(options: WassersteinLossOptions = {}): LossFn {
  checkKeys('wassersteinLoss', options, { weightClip: true });
  const { weightClip } = options;
  if (weightClip !== undefined && !(weightClip > 0 && Number.isFinite(weightClip))) {
    throw new InvalidArgumentError('weightClip', `weightClip must be a positive number (0.01 in the WGAN paper), got ${String(weightClip)}.`);
  }
  return {
    name: 'wasserstein',
    discriminatorLoss: (real, fake) => tf.tidy(() => tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar),
    generatorLoss: (fake) => tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar),
    ...(weightClip === undefined ? { config: {} } : { weightClip, config: { weightClip } }),
  };
}

registerLoss('wasserstein', (c) => wassersteinLoss(c));
