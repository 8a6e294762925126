import type { tf } from '../tf.js';
import type { Rng } from '../random/rng.js';
import type { Trainer } from './trainer.js';

/** Numbers reported after every training step of any objective: the step, the epoch and the objective's metrics by name. */
export interface TrainingMetrics {
  /** Global step number, starting at 1. */
  readonly step: number;
  /** Epoch (0-based) this step belongs to. */
  readonly epoch: number;
  /** The objective's metrics (and its augmentations', e.g. `augmentP`). */
  readonly [name: string]: number | undefined;
}

/** Numbers reported after every GAN training step. Probabilities are means over the batch. */
export interface StepMetrics extends TrainingMetrics {
  /** Discriminator loss. */
  readonly dLoss: number;
  /** Generator loss. */
  readonly gLoss: number;
  /** Mean D(x): D's probability that real images are real. */
  readonly dReal: number;
  /** Mean D(G(z)): D's probability that generated images are real (before G's update). */
  readonly dFake: number;
  /** Fraction of real images D classifies as real (logit > 0). */
  readonly dAccuracyReal: number;
  /** Fraction of generated images D classifies as fake (logit < 0). */
  readonly dAccuracyFake: number;
  /** Mean of the real and fake accuracies: 0.5 is chance, 1 is a perfect D. */
  readonly dAccuracy: number;
  /** Sum of D's regularizer penalties (present when regularizers are set). */
  readonly dPenalty?: number;
  /** ACGAN: D's class loss on real plus generated images (present for models with a class head). */
  readonly dClassLoss?: number;
  /** ACGAN: G's class loss on generated images (present for models with a class head). */
  readonly gClassLoss?: number;
  /** Mean sign(D(x)) over the step's real images, ADA's overfitting signal r_t (present when `augment` is set). */
  readonly realSign?: number;
}

/** One batch of training images in [-1, 1] and optional integer class labels. */
export interface Batch {
  /** Images `[n, h, w, c]`. */
  readonly images: tf.Tensor4D;
  /** Class labels `[n]` (int32), for conditional models. */
  readonly labels?: tf.Tensor1D;
}

/** What {@link Trainer.fit} needs from a dataset; `ImageDataset` implements it. */
export interface TrainingData {
  /** Number of examples. */
  readonly size: number;
  /** Shape of one image `[h, w, c]`. */
  readonly imageShape: readonly number[];
  /** Number of full batches per epoch; throws if `batchSize` exceeds the data. */
  batchCount(batchSize: number, dropRemainder?: boolean): number;
  /** A seeded permutation of example indices for one epoch. */
  epochOrder(rng: Rng): Int32Array;
  /** The batch of `batchSize` examples at `order[start...]`, as new tensors. */
  batch(order: ArrayLike<number>, start: number, batchSize: number): Batch;
}

/** Passed to `onTrainBegin`. */
export interface TrainBeginInfo {
  /** Steps this `fit` call will run if not stopped. */
  readonly totalSteps: number;
  /** Full batches per epoch. */
  readonly stepsPerEpoch: number;
  /** Name of the backend in use. */
  readonly backend: string;
  /** Global step before this `fit` call (non-zero when resuming). */
  readonly initialStep: number;
  /** The trainer running `fit`, so a callback needs no trainer of its own (e.g. `checkpointCallback(dir)`). */
  readonly trainer: Trainer<any, any>;
}

/** Summary of a `fit` call. */
export interface TrainHistory<S extends TrainingMetrics = StepMetrics> {
  /** Steps run by this call. */
  readonly steps: number;
  /** Global step at the end. */
  readonly globalStep: number;
  /** Why training ended. */
  readonly stopReason: 'completed' | 'aborted';
  /** Metrics of every step run by this call. */
  readonly metrics: S[];
  /** Name of the backend used. */
  readonly backend: string;
}

/**
 * Keras-style hooks around training. Every method is optional and may be async; `fit`
 * awaits each one before going on.
 */
export interface TrainerCallback<S extends TrainingMetrics = StepMetrics> {
  /** Before the first step. */
  onTrainBegin?(info: TrainBeginInfo): void | Promise<void>;
  /** After the last step (also after an abort). */
  onTrainEnd?(history: TrainHistory<S>): void | Promise<void>;
  /** When an epoch starts (0-based). */
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** When an epoch's last step finished, with the mean of each metric over its steps in this call. */
  onEpochEnd?(epoch: number, mean: Omit<S, 'step' | 'epoch'>): void | Promise<void>;
  /** After every step. */
  onStepEnd?(metrics: S): void | Promise<void>;
}
