import type { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import type { GanModel, GenerateOptions, ImageGenerator, LayersGan } from '../models/types.js';
import type { BackendInfo } from '../backends/types.js';
import { BackendHold } from './backend-hold.js';
import { captureCheckpoint, loadCheckpointInto } from './capture.js';
import type { CheckpointStore, TrainerCheckpoint } from './checkpoint-types.js';
import { resolveCheckpointStore } from './checkpoint-store.js';
import { parseTrainerConfig, type TrainerConfig } from './config.js';
import { TrainerCore } from './core.js';
import type { EmaOptions, ExponentialMovingAverage } from './ema.js';
import { GanObjective } from './gan/objective.js';
import { averagedGenerator, withAveraged } from './generator-view.js';
import { runFit, type FitOptions } from './loop.js';
import type { TrainingObjective } from './objective.js';
import { objectiveFor } from './objectives.js';
import type { ResumeOptions, TrainerOptions } from './options.js';
import { restoreTrainer } from './resume.js';
import type { Batch, StepMetrics, TrainHistory, TrainingData, TrainingMetrics } from './types.js';

export type { FitOptions } from './loop.js';
export type { LearningRateSchedules, ResumeOptions, TrainerOptions } from './options.js';
export type { TrainerOptimizers } from './gan/options.js';

/** The metrics a Trainer of model `M` reports: {@link StepMetrics} for GANs, {@link TrainingMetrics} otherwise. */
export type MetricsOf<M> = M extends GanModel ? StepMetrics : TrainingMetrics;

/**
 * Trains a model through its objective (for a {@link GanModel}, the GAN objective: `discriminatorSteps`
 * D updates, then one G update), with callbacks, the divergence guard, EMA and checkpoints. The
 * backend is set (globally, as tfjs does) on the first `fit` or `step`.
 */
export class Trainer<M extends ImageGenerator = GanModel, S extends TrainingMetrics = MetricsOf<M>> {
  /** The model being trained. */
  readonly model: M;
  /** The objective whose step this trainer runs. */
  readonly objective: TrainingObjective;
  /** Images per batch. */
  readonly batchSize: number;
  /** The seed of this run. */
  readonly seed: number;
  private readonly core: TrainerCore;
  private readonly hold: BackendHold;

  constructor(model: M, options: TrainerOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('options', `Trainer options must be an object such as { batchSize: 64 }, got ${String(options)}.`);
    }
    if (!model || typeof model.sample !== 'function' || typeof model.generate !== 'function') {
      throw new InvalidArgumentError('model', 'Trainer needs a GanModel (for example mlpGan() or ganFromLayers(G, D)) or a model of a registered objective.');
    }
    const generic = parseTrainerConfig(options);
    [this.model, this.batchSize, this.seed] = [model, generic.batchSize, generic.seed];
    this.hold = new BackendHold(options.backend, options.importModule);
    this.objective = objectiveFor(model, options, generic.seed);
    this.core = new TrainerCore(model, this.objective, { ...generic, objective: { name: this.objective.name, config: this.objective.config ?? {} } }, options.learningRateSchedules ?? {}, emaBatchNorm(options.ema));
  }

  /** The checked settings of this run, as checkpoints store them. */
  get config(): TrainerConfig {
    return this.core.config;
  }
  /** Steps taken so far, over all `fit` and `step` calls. */
  get globalStep(): number {
    return this.core.globalStep;
  }
  set globalStep(step: number) {
    this.core.globalStep = step;
  }
  /** Current epoch (0-based). */
  get epoch(): number {
    return this.core.cursor.epoch;
  }
  /** The moving average of the sampling network's weights, when enabled. */
  get ema(): ExponentialMovingAverage | undefined {
    return this.core.ema;
  }
  /** Name of the backend in use once ready; undefined before. */
  get backend(): string | undefined {
    return this.hold.name;
  }
  /** What the backend in use runs on once ready (for wasm, the XNNPACK thread count and why); undefined before. */
  get backendInfo(): BackendInfo | undefined {
    return this.hold.info;
  }

  private gan(what: string): GanObjective {
    if (!(this.objective instanceof GanObjective)) throw new InvalidArgumentError(what, `trainer.${what} belongs to the GAN objective; this trainer runs "${this.objective.name}".`);
    return this.objective;
  }
  /** GAN objective only: the loss in use. */
  get loss() { return this.gan('loss').settings.loss; }
  /** GAN objective only: the latent sampler used for training. */
  get sampler() { return this.gan('sampler').settings.sampler; }
  /** GAN objective only: the generator optimizer. */
  get generatorOptimizer() { return this.gan('generatorOptimizer').settings.generatorOptimizer; }
  /** GAN objective only: the discriminator optimizer. */
  get discriminatorOptimizer() { return this.gan('discriminatorOptimizer').settings.discriminatorOptimizer; }
  /** GAN objective only: D updates per step. */
  get discriminatorSteps() { return this.gan('discriminatorSteps').settings.discriminatorSteps; }
  /** GAN objective only: penalties added to D's loss. */
  get regularizers() { return this.gan('regularizers').settings.regularizers; }

  /**
   * Initializes the backend (done by `fit` and `step`); resolves to the backend name in use. The
   * backend is global: if something else switched it since, this throws an InvalidArgumentError.
   */
  async ready(): Promise<string> {
    return this.hold.ready();
  }

  /**
   * One training step of the objective on the given batches (GAN: `discriminatorSteps` D updates on
   * them in turn, one batch reused, then a G update). Pixels must be finite and in [-1, 1]. The batches stay the caller's.
   */
  async step(batch: Batch | readonly Batch[]): Promise<S> {
    const batches: readonly Batch[] = Array.isArray(batch) ? batch : [batch as Batch];
    if (batches.length === 0) throw new InvalidArgumentError('batch', 'step needs at least one batch.');
    for (const b of batches) this.core.checkBatch(b);
    await this.ready();
    await this.core.checkPixels(batches);
    return (await this.core.step(batches)) as S;
  }

  /**
   * Trains on `data` for `epochs`, `steps` or `untilStep`, calling the callbacks, in shuffled full
   * batches (the remainder of each epoch is dropped). Resolves with a {@link TrainHistory}.
   */
  async fit(data: TrainingData, options: FitOptions<S> = {}): Promise<TrainHistory<S>> {
    return runFit(this, this.core, data, options);
  }

  /**
   * Samples `n` images like `model.sample`, but with the EMA weights when `ema` is on (G in inference
   * mode, its BN layers using their moving statistics). The caller disposes the result.
   */
  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    return this.core.ema ? this.core.ema.apply(() => this.model.sample(n, options)) : this.model.sample(n, options);
  }

  /**
   * The generator to sample or evaluate (`evaluate(trainer.generator)`): with `ema` on, a view that
   * runs the model with the averaged weights (swapped in per call; a GAN's live D stays available to
   * `evaluate`); otherwise the model itself. `trainer.model` always has the live weights.
   */
  get generator(): ImageGenerator {
    return this.core.ema ? averagedGenerator(this.model, this.core.ema) : this.model;
  }

  /**
   * Runs `fn` with the EMA weights in G when `ema` is on (batch-norm statistics recalibrated if
   * `ema.batchNorm` is set), restoring the live weights after; just `fn()` without EMA.
   */
  async withAveragedGenerator<T>(fn: () => T | Promise<T>): Promise<T> {
    return withAveraged(this.core.ema, fn);
  }

  /**
   * Saves the generator to sample from at `location` (a folder in Node, which `loadGenerator` reads):
   * the EMA weights when `ema` is on, the live ones otherwise, like {@link Trainer.generator}. It goes
   * through the checkpoint store (`options.store`, else the registered one), which must implement
   * `saveGenerator`; `saveGenerator(gan, dir)` from `@aigc/core/node` saves the live weights.
   */
  async saveGenerator(location: string, options: { readonly store?: CheckpointStore } = {}): Promise<void> {
    checkLocation('saveGenerator', location);
    const store = await resolveCheckpointStore(options.store);
    if (typeof store.saveGenerator !== 'function') {
      throw new InvalidArgumentError(
        'store',
        'This checkpoint store cannot save generators (it has no saveGenerator method). In Node, use the file store of "@aigc/core/node"; elsewhere, save trainer.generator yourself.',
      );
    }
    const save = store.saveGenerator.bind(store);
    await withAveraged(this.core.ema, () => save(location, this.model));
  }

  /** The whole training state in memory (weights, EMA, optimizer state, random streams, data position, config). */
  async checkpoint(): Promise<TrainerCheckpoint> {
    return captureCheckpoint(this.core);
  }

  /**
   * Loads a checkpoint (format version 1 or 2) into this trainer. Everything is checked before
   * anything changes, so a checkpoint of another architecture (a ModelFormatError) leaves the trainer as it was.
   */
  async loadCheckpoint(checkpoint: TrainerCheckpoint): Promise<void> {
    await this.loadFrom(checkpoint, 'The checkpoint');
  }

  /** Saves the whole training state to `location` (a folder in Node) through the checkpoint store, atomically. */
  async save(location: string, options: { readonly store?: CheckpointStore } = {}): Promise<void> {
    checkLocation('save', location);
    const store = await resolveCheckpointStore(options.store);
    await store.write(location, await this.checkpoint());
  }

  /**
   * Rebuilds a trainer from a checkpoint saved by {@link Trainer.save} (or by @aigc/core 0.1.0), so
   * that training continues exactly as if it had not stopped (bitwise on `cpu`). See {@link ResumeOptions}.
   */
  static async resume<M extends ImageGenerator = LayersGan>(location: string, options: ResumeOptions<M> = {}): Promise<Trainer<M>> {
    const store = await resolveCheckpointStore(options.store);
    return restoreTrainer((model, o) => new Trainer(model, o), await store.read(location), options, `The checkpoint at ${location}`);
  }

  /** Like {@link Trainer.resume}, from a checkpoint already in memory. */
  static async fromCheckpoint<M extends ImageGenerator = LayersGan>(checkpoint: TrainerCheckpoint, options: ResumeOptions<M> = {}): Promise<Trainer<M>> {
    return restoreTrainer((model, o) => new Trainer(model, o), checkpoint, options, 'The checkpoint');
  }

  /** @internal Loads `checkpoint` naming it `where` in errors (used by resume). */
  async loadFrom(checkpoint: TrainerCheckpoint, where: string): Promise<void> {
    await this.ready();
    await loadCheckpointInto(this.core, checkpoint, where);
  }

  /** Frees the optimizers' state, the objective's own, the EMA and the guard's copy (the model stays yours to dispose). */
  dispose(): void {
    this.core.dispose();
  }
}

/** The run-time part of the EMA options (a model reference, so it is not stored in checkpoints). */
const emaBatchNorm = (ema: TrainerOptions['ema']): EmaOptions['batchNorm'] => (typeof ema === 'object' && ema !== null ? ema.batchNorm : undefined);

function checkLocation(method: string, location: string): void {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new InvalidArgumentError('location', `${method} needs a location (a folder in Node), got ${location === '' ? 'an empty string' : String(location)}.`);
  }
}
