import type { tf } from '../tf.js';
import type { Rng } from '../random/rng.js';
import type { Json } from '../models/kinds.js';
import type { Batch } from './types.js';

/**
 * Contract of a training objective: the seam between the generic training loop (Trainer: loop,
 * callbacks, guard, EMA, checkpoints) and one generative family's step (GAN, VAE, or a user's own).
 * The Trainer owns the loop; the objective owns its networks and its step.
 */

/** One network an objective trains: its variables and its optimizer. */
export interface ObjectiveNetwork {
  /** Stable name used for checkpoint arrays and optimizer assignment, e.g. `'generator'`, `'encoder'`. */
  readonly name: string;
  /** Trainable variables, in a fixed order (the optimizer's state is kept by position). */
  readonly variables: readonly tf.Variable[];
  /** Every variable a checkpoint must hold, trainable or not (batch-norm statistics), in a fixed order. */
  readonly weights: readonly tf.Variable[];
  /** The optimizer that updates {@link ObjectiveNetwork.variables}. */
  readonly optimizer: tf.Optimizer;
}

/** What a step may read besides its batches. */
export interface StepContext {
  /** Global step being trained (1-based). */
  readonly step: number;
  /** The trainer's seeded random stream (checkpointed): draw seeds for latents, noise and augmentation from it. */
  readonly rng: Rng;
}

/** Named scalar metrics of one step, as tensors; the Trainer reads them all in one transfer. */
export type StepTensors = Readonly<Record<string, tf.Scalar>>;

/**
 * A generative family's training step. Built-ins: the GAN objective (`ganObjective`) and the VAE
 * objective. The Trainer calls `step` inside `tf.tidy`, reads every returned scalar in one
 * transfer (a non-finite value counts as divergence), then calls `afterStep`.
 */
export interface TrainingObjective {
  /** Registry name, e.g. `'gan'` or `'vae'`, used to rebuild it on resume (see `registerObjective`). */
  readonly name: string;
  /** The networks this objective trains; names must be unique. */
  readonly networks: readonly ObjectiveNetwork[];
  /** Real batches one step consumes (the GAN's `discriminatorSteps`; 1 for a VAE). */
  readonly batchesPerStep: number;
  /** Name of the network that makes samples, whose variables the Trainer's `ema` averages. Default `'generator'`. */
  readonly sampleNetwork?: string;
  /** Settings stored in checkpoints, from which the registered objective of this name is rebuilt on resume. Default `{}`. */
  readonly config?: { readonly [key: string]: Json };
  /** Runs one step (inside `tf.tidy`): updates the networks and returns its metrics by name. */
  step(batches: readonly Batch[], ctx: StepContext): StepTensors;
  /** Called with the read metrics after each step (e.g. ADA adjusts its probability). Default: nothing. */
  afterStep?(metrics: Readonly<Record<string, number>>, ctx: StepContext): void;
  /** Extra numbers to report with each step's metrics (e.g. an augmentation probability). Default none. */
  extraMetrics?(): Readonly<Record<string, number>>;
  /** Its own state for checkpoints (random streams, adaptive settings). Default: none. */
  getState?(): Json;
  /** Restores a value of {@link TrainingObjective.getState}. */
  setState?(state: Json): void;
  /** Frees what the objective owns besides the networks' optimizers (which the Trainer disposes). */
  dispose?(): void;
}
