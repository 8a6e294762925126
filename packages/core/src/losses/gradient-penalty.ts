import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { inputGradientSquaredNorms } from './input-gradient.js';
import { registerSecondOrderGradients } from './second-order.js';
import type { DiscriminatorRegularizer } from './regularizer.js';
import { registerRegularizer } from './table.js';
import { checkKeys } from '../options.js';

/** Options of {@link gradientPenalty}. */
export interface GradientPenaltyOptions {
  /** Penalty weight λ. Default 10, as in the paper. */
  readonly weight?: number;
  /** The gradient norm the penalty pulls toward. Default 1. */
  readonly target?: number;
}

/** @internal Checks a penalty weight. */
export function checkWeight(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(name, `${name} must be a finite number >= 0, got ${String(value)}.`);
  }
  return value;
}

/**
 * WGAN-GP gradient penalty (Gulrajani et al. 2017): `λ · mean((‖∇ D(x̂)‖ - 1)²)` on
 * `x̂ = ε x + (1 - ε) G(z)` with one `ε ~ U[0, 1]` per image, computed on D's logits. Real
 * labels condition D on `x̂` for conditional models. Pair it with {@link wassersteinLoss}.
 */
export function gradientPenalty(options: GradientPenaltyOptions = {}): DiscriminatorRegularizer {
  checkKeys('gradientPenalty', options, { weight: true, target: true });
  const weight = checkWeight('weight', options.weight ?? 10);
  const target = checkWeight('target', options.target ?? 1);
  registerSecondOrderGradients();
  return {
    name: 'gradient-penalty',
    config: { weight, target },
    penalty: ({ model, real, fake, realLabels, seed }) =>
      tf.tidy(() => {
        const n = real.shape[0];
        const eps = tf.randomUniform([n, 1, 1, 1], 0, 1, 'float32', seed);
        const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor4D;
        // The tiny epsilon keeps sqrt differentiable where a gradient is exactly zero.
        const norms = tf.sqrt(tf.add(inputGradientSquaredNorms(model, mixed, realLabels), 1e-12));
        return tf.mul(tf.mean(tf.square(tf.sub(norms, target))), weight) as tf.Scalar;
      }),
  };
}

registerRegularizer('gradient-penalty', (c) => gradientPenalty(c));
