import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { checkKeys } from '../options.js';
import { checkWeight } from './gradient-penalty.js';
import { inputGradientSquaredNorms } from './input-gradient.js';
import { registerSecondOrderGradients } from './second-order.js';
import type { DiscriminatorRegularizer } from './regularizer.js';
import { registerRegularizer } from './table.js';

/** Options of {@link r1Penalty}. */
export interface R1PenaltyOptions {
  /** Weight γ; the penalty is `weight/2 · mean(‖∇ D(x)‖²)`. Default 10. */
  readonly weight?: number;
  /**
   * The old name of `weight`.
   * @deprecated Use `weight` (the name {@link gradientPenalty} uses too); `gamma` goes in the next minor release.
   */
  readonly gamma?: number;
}

/**
 * R1 penalty (Mescheder et al. 2018): `γ/2 · mean(‖∇ₓ D(x)‖²)` with `γ = weight` (default 10), on
 * real images only, computed on D's logits (with the real labels for conditional models). Works
 * with any loss.
 */
export function r1Penalty(options: R1PenaltyOptions = {}): DiscriminatorRegularizer {
  checkKeys('r1Penalty', options, { weight: true, gamma: true });
  if (options.weight !== undefined && options.gamma !== undefined && options.weight !== options.gamma) {
    throw new InvalidArgumentError('gamma', 'r1Penalty: pass weight only (gamma is its deprecated old name).');
  }
  const weight = checkWeight('weight', options.weight ?? options.gamma ?? 10);
  registerSecondOrderGradients();
  return {
    name: 'r1',
    config: { weight },
    penalty: ({ model, real, realLabels }) =>
      tf.tidy(() => tf.mul(tf.mean(inputGradientSquaredNorms(model, real, realLabels)), weight / 2) as tf.Scalar),
  };
}

registerRegularizer('r1', (c) => r1Penalty(c));
