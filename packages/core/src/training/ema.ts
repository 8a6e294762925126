import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';

/** Options of the generator EMA (the Trainer's `ema` option). */
export interface EmaOptions {
  /** Weight of the old average at each update. Default 0.999. */
  readonly decay?: number;
  /** Until this global step the average just copies the weights (StudioGAN's `ema_start`). Default 0. */
  readonly startStep?: number;
}

/**
 * Exponential moving average of a list of variables (Yazıcı et al. 2019): after each update,
 * `avg = decay · avg + (1 - decay) · w` once `step > startStep`, a plain copy before.
 */
export class ExponentialMovingAverage {
  /** Decay in [0, 1). */
  readonly decay: number;
  /** Last step that copies instead of averaging. */
  readonly startStep: number;
  /** The averaged values, one per tracked variable (not trainable). */
  readonly shadows: tf.Variable[];
  /** The tracked variables. */
  readonly variables: tf.Variable[];

  constructor(variables: tf.Variable[], options: EmaOptions = {}) {
    this.decay = options.decay ?? 0.999;
    this.startStep = options.startStep ?? 0;
    if (!(this.decay >= 0 && this.decay < 1)) throw new InvalidArgumentError('ema.decay', `ema.decay must be in [0, 1), got ${String(this.decay)}.`);
    if (!Number.isInteger(this.startStep) || this.startStep < 0) {
      throw new InvalidArgumentError('ema.startStep', `ema.startStep must be an integer >= 0, got ${String(this.startStep)}.`);
    }
    this.variables = variables;
    this.shadows = variables.map((v) => tf.tidy(() => tf.variable(v.clone(), false)));
  }

  /** Folds the variables' current values into the average, for global step `step`. */
  update(step: number): void {
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        const shadow = this.shadows[i] as tf.Variable;
        shadow.assign(step <= this.startStep ? v : tf.add(tf.mul(shadow, this.decay), tf.mul(v, 1 - this.decay)));
      });
    });
  }

  /** Runs `fn` with the averaged values swapped into the variables, then puts the live values back. */
  apply<T>(fn: () => T): T {
    const live = this.variables.map((v) => v.clone());
    this.variables.forEach((v, i) => v.assign(this.shadows[i] as tf.Variable));
    try {
      return fn();
    } finally {
      this.variables.forEach((v, i) => v.assign(live[i] as tf.Tensor));
      tf.dispose(live);
    }
  }

  /** Frees the averages. */
  dispose(): void {
    tf.dispose(this.shadows);
  }
}
