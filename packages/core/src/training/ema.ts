import { tf, tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import type { GanModel } from '../models/types.js';

/**
 * How {@link ExponentialMovingAverage.apply} treats G's batch-norm statistics: the averaged
 * weights are not the weights those statistics were measured with, so they are recalibrated on
 * G's own samples before sampling (and the live statistics are put back after).
 */
export interface BatchNormRecalibration {
  /** The model whose generator has the batch-norm layers (usually the trained GAN). */
  readonly model: GanModel;
  /** Batches of latents to measure on. Default 8. */
  readonly batches?: number;
  /** Latents per batch. Default 64. */
  readonly batchSize?: number;
  /** Seed of the latents (and fake labels); the same seed gives the same statistics. Default 0. */
  readonly seed?: number;
}

/** Options of the generator EMA (the Trainer's `ema` option). */
export interface EmaOptions {
  /** Weight of the old average at each update. Default 0.999. */
  readonly decay?: number;
  /** Until this global step the average just copies the weights (StudioGAN's `ema_start`). Default 0. */
  readonly startStep?: number;
  /**
   * Decay warm-up: at `t = step - startStep` the decay is `min(decay, (1 + t) / (10 + t))`
   * (TensorFlow's `num_updates` ramp), so early averages forget the random start quickly. Default false.
   */
  readonly warmup?: boolean;
  /** Recalibrate G's batch-norm statistics for the averaged weights whenever they are applied. Default: off (the live statistics are used). */
  readonly batchNorm?: BatchNormRecalibration;
}

/** A batch-norm layer as tfjs-layers implements it (its momentum is read at call time). */
interface BatchNormLayer {
  momentum: number;
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
}

/** @internal Every BatchNormalization layer of a LayersModel, nested models included, in order. */
export function batchNormLayers(model: tfl.LayersModel): BatchNormLayer[] {
  const found: BatchNormLayer[] = [];
  const walk = (layers: readonly tfl.layers.Layer[]) => {
    for (const layer of layers) {
      if (layer instanceof tfl.LayersModel) walk(layer.layers);
      else if (layer.getClassName() === 'BatchNormalization') found.push(layer as unknown as BatchNormLayer);
    }
  };
  walk(model.layers);
  return found;
}

/**
 * Sets the moving mean and variance of every batch-norm layer of `model.generator` to their
 * average over `batches` batches of G's own training-mode forward passes (precise BN, "BN
 * recalibration"), as a model with averaged weights needs. Latents are N(0, 1), seeded; conditional
 * models get cycling labels. Returns the number of batch-norm layers recalibrated (0: nothing to do).
 */
export function recalibrateBatchNorm(model: GanModel, options: Omit<BatchNormRecalibration, 'model'> = {}): number {
  const batches = options.batches ?? 8;
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batches) || batches < 1) throw new InvalidArgumentError('batchNorm.batches', `batches must be an integer >= 1, got ${String(batches)}.`);
  if (!Number.isInteger(batchSize) || batchSize < 2) throw new InvalidArgumentError('batchNorm.batchSize', `batchSize must be an integer >= 2, got ${String(batchSize)}.`);
  const layers = model.generator === undefined ? [] : batchNormLayers(model.generator);
  if (layers.length === 0) return 0;
  const momenta = layers.map((l) => l.momentum);
  const seed = options.seed ?? 0;
  try {
    for (let i = 0; i < batches; i++) {
      // tfjs writes moving = m · moving + (1 - m) · batch; m = i / (i + 1) keeps the running mean of all batches.
      for (const layer of layers) layer.momentum = i / (i + 1);
      tf.tidy(() => {
        const z = tf.randomNormal([batchSize, model.latentDim], 0, 1, 'float32', seed * 7919 + i + 1) as tf.Tensor2D; // tfjs treats seed 0 as unseeded
        const k = model.numClasses;
        const labels = k === undefined ? undefined : (tf.tensor1d(Int32Array.from({ length: batchSize }, (_, j) => j % k), 'int32') as tf.Tensor1D);
        model.generate(z, labels, true);
      });
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = momenta[i] as number));
  }
  return layers.length;
}

/**
 * Exponential moving average of a list of variables (Yazıcı et al. 2019): after each update,
 * `avg = d · avg + (1 - d) · w` once `step > startStep`, a plain copy before; `d` is `decay`, or
 * the warm-up ramp when `warmup` is set. With `batchNorm`, {@link apply} also recalibrates G's
 * batch-norm statistics for the averaged weights.
 */
export class ExponentialMovingAverage {
  /** Decay in [0, 1). */
  readonly decay: number;
  /** Last step that copies instead of averaging. */
  readonly startStep: number;
  /** Whether the decay ramps up as `min(decay, (1 + t) / (10 + t))`. */
  readonly warmup: boolean;
  /** The averaged values, one per tracked variable (not trainable). */
  readonly shadows: tf.Variable[];
  /** The tracked variables. */
  readonly variables: tf.Variable[];
  private readonly batchNorm: BatchNormRecalibration | undefined;

  constructor(variables: tf.Variable[], options: EmaOptions = {}) {
    this.decay = options.decay ?? 0.999;
    this.startStep = options.startStep ?? 0;
    this.warmup = options.warmup ?? false;
    if (!(this.decay >= 0 && this.decay < 1)) throw new InvalidArgumentError('ema.decay', `ema.decay must be in [0, 1), got ${String(this.decay)}.`);
    if (!Number.isInteger(this.startStep) || this.startStep < 0) {
      throw new InvalidArgumentError('ema.startStep', `ema.startStep must be an integer >= 0, got ${String(this.startStep)}.`);
    }
    if (typeof this.warmup !== 'boolean') throw new InvalidArgumentError('ema.warmup', `ema.warmup must be true or false, got ${String(this.warmup)}.`);
    if (options.batchNorm !== undefined && typeof options.batchNorm.model?.generate !== 'function') {
      throw new InvalidArgumentError('ema.batchNorm', 'ema.batchNorm needs { model }, the GAN whose generator is averaged.');
    }
    this.batchNorm = options.batchNorm;
    this.variables = variables;
    this.shadows = variables.map((v) => tf.tidy(() => tf.variable(v.clone(), false)));
  }

  /** The serialisable settings (`batchNorm` holds a model and is left out). */
  get config(): { decay: number; startStep: number; warmup: boolean } {
    return { decay: this.decay, startStep: this.startStep, warmup: this.warmup };
  }

  /** The decay used by the update at global step `step` (0 means a plain copy). */
  decayAt(step: number): number {
    if (step <= this.startStep) return 0;
    if (!this.warmup) return this.decay;
    const t = step - this.startStep;
    return Math.min(this.decay, (1 + t) / (10 + t));
  }

  /** Folds the variables' current values into the average, for global step `step`. */
  update(step: number): void {
    const d = this.decayAt(step);
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        const shadow = this.shadows[i] as tf.Variable;
        shadow.assign(d === 0 ? v : tf.add(tf.mul(shadow, d), tf.mul(v, 1 - d)));
      });
    });
  }

  /**
   * Runs `fn` with the averaged values swapped into the variables, then puts the live values back
   * (after the promise settles when `fn` is async). With `batchNorm`, G's batch-norm statistics are
   * recalibrated for the averaged weights first and restored after.
   */
  apply<T>(fn: () => T): T {
    const live = this.variables.map((v) => v.clone());
    const bn = this.batchNorm;
    const bnLayers = bn?.model.generator === undefined ? [] : batchNormLayers(bn.model.generator);
    const stats = bnLayers.map((l) => [l.movingMean.read().clone(), l.movingVariance.read().clone()] as const);
    const restore = () => {
      this.variables.forEach((v, i) => v.assign(live[i] as tf.Tensor));
      bnLayers.forEach((l, i) => {
        const [mean, variance] = stats[i] as readonly [tf.Tensor, tf.Tensor];
        l.movingMean.write(mean);
        l.movingVariance.write(variance);
      });
      tf.dispose(live);
      tf.dispose(stats.flat());
    };
    this.variables.forEach((v, i) => v.assign(this.shadows[i] as tf.Variable));
    let pending = false;
    try {
      if (bn !== undefined && bnLayers.length > 0) {
        const { model: _model, ...rest } = bn;
        recalibrateBatchNorm(bn.model, rest);
      }
      const result = fn();
      if (result instanceof Promise) {
        pending = true;
        return result.finally(restore) as T;
      }
      return result;
    } finally {
      if (!pending) restore();
    }
  }

  /** Frees the averages. */
  dispose(): void {
    tf.dispose(this.shadows);
  }
}
