import { tf } from '../tf.js';
import { checkWeight } from './gradient-penalty.js';
import { inputGradientSquaredNorms } from './input-gradient.js';
import { registerSecondOrderGradients } from './second-order.js';
import type { DiscriminatorRegularizer } from './regularizer.js';
import { registerRegularizer } from './table.js';

/** Options of {@link r1Penalty}. */
export interface R1PenaltyOptions {
  /** Weight γ; the penalty is `γ/2 · mean(‖∇ D(x)‖²)`. Default 10. */
  readonly gamma?: number;
}

/**
 * R1 penalty (Mescheder et al. 2018): `γ/2 · mean(‖∇ₓ D(x)‖²)` on real images only, computed on
 * D's logits (with the real labels for conditional models). Works with any loss.
 */
export function r1Penalty(options: R1PenaltyOptions = {}): DiscriminatorRegularizer {
  const gamma = checkWeight('gamma', options.gamma ?? 10);
  registerSecondOrderGradients();
  return {
    name: 'r1',
    config: { gamma },
    penalty: ({ model, real, realLabels }) =>
      tf.tidy(() => tf.mul(tf.mean(inputGradientSquaredNorms(model, real, realLabels)), gamma / 2) as tf.Scalar),
  };
}

registerRegularizer('r1', (c) => r1Penalty(c));
