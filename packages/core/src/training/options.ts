import type { BackendSpec } from '../backends/types.js';
import type { ModuleImporter } from '../backends/registry.js';
import type { GanModel } from '../models/types.js';
import type { BatchNormRecalibration, EmaOptions } from './ema.js';
import type { GanObjectiveOptions } from './gan/options.js';
import type { TrainingObjective } from './objective.js';
import type { LearningRateSchedule } from './schedules.js';
import type { CheckpointStore } from './checkpoint-types.js';

/** Learning-rate schedules by network name (a schedule maps the 1-based global step to a rate). */
export interface LearningRateSchedules {
  /** Generator schedule. Default: the optimizer's own constant rate. */
  readonly generator?: LearningRateSchedule;
  /** Discriminator schedule. Default: the optimizer's own constant rate. */
  readonly discriminator?: LearningRateSchedule;
  /** Schedules of other objectives' networks, by name (e.g. a VAE's). */
  readonly [network: string]: LearningRateSchedule | undefined;
}

/**
 * Options of {@link Trainer}: the generic ones below, plus those of the objective the model trains
 * with (for GANs, {@link GanObjectiveOptions}: loss, optimizers, penalties, augmentation, ...).
 */
export interface TrainerOptions extends GanObjectiveOptions {
  /** Compute backend, one line to switch: `'wasm'` (default in Node), `'cpu'`, `'webgpu'`, an adapter, or a fallback list. */
  readonly backend?: BackendSpec;
  /** Images per batch (per D or G update for GANs). Default 128. */
  readonly batchSize?: number;
  /** Seed of data order, latents, fake labels, noise, penalties and augmentation; with a seeded model, runs repeat exactly on `cpu`. Default 0. */
  readonly seed?: number;
  /** How adapter packages are imported (for tests and unusual bundlers). Default dynamic `import()`. */
  readonly importModule?: ModuleImporter;
  /** Learning-rate schedules by network name, applied before every step. Default: constant rates. */
  readonly learningRateSchedules?: LearningRateSchedules;
  /** Keep an exponential moving average of the sampling network's weights (G), used by {@link Trainer.sample} and {@link Trainer.generator}; `true` means the defaults. Default off. */
  readonly ema?: boolean | EmaOptions;
  /**
   * Divergence guard: after every step all weights are checked for NaN/inf; on divergence the last
   * good weights and optimizer state are restored before `TrainingDivergedError` is thrown. `every`
   * sets how often the good state is copied. Default `{ every: 1 }`; `false` only checks the losses.
   */
  readonly divergenceGuard?: boolean | { readonly every?: number };
  /**
   * Your own training objective (see `TrainingObjective` and docs/custom-models.md). Default: the
   * registered objective that matches the model (the GAN objective for models with `discriminate`).
   */
  readonly objective?: TrainingObjective;
}

/**
 * Options of {@link Trainer.resume}. Everything that can be stored is rebuilt from the checkpoint
 * (model, optimizers, registered loss, regularizers, sampler and augmentations, batch size, seed,
 * EMA, ...); functions (schedules) and unregistered components must be passed again.
 */
export interface ResumeOptions<M = unknown> extends Pick<GanObjectiveOptions, 'loss' | 'regularizers' | 'sampler' | 'optimizers' | 'instanceNoise' | 'augment'> {
  /**
   * The model to load the weights into, built as when it was saved. Default: rebuilt from the saved
   * topology (models of a registered kind only; required for `ganFromFunctions` and other custom models).
   */
  readonly model?: M;
  /** Learning-rate schedules (not stored). */
  readonly learningRateSchedules?: LearningRateSchedules;
  /** Backend. Default as in {@link TrainerOptions.backend}. */
  readonly backend?: BackendSpec;
  /** See {@link TrainerOptions.importModule}. */
  readonly importModule?: ModuleImporter;
  /** Where to read from. Default: the registered store (the filesystem in Node). */
  readonly store?: CheckpointStore;
  /** Your own objective, when it is not registered (see {@link TrainerOptions.objective}). */
  readonly objective?: TrainingObjective;
  /**
   * The EMA's run-time part, which checkpoints cannot hold: `batchNorm` recalibration as in
   * {@link EmaOptions.batchNorm}, its `model` defaulting to the resumed one. Default: none (the
   * stored decay, start step and warm-up are always restored).
   */
  readonly ema?: { readonly batchNorm?: Omit<BatchNormRecalibration, 'model'> & { readonly model?: GanModel } };
}
