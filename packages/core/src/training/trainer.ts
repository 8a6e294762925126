import { tf } from '../tf.js';
import { AigcError, InvalidArgumentError, ModelFormatError, ShapeMismatchError, TrainingDivergedError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { samplerFromConfig } from '../sampling/registry.js';
import { nonSaturatingLoss } from '../losses/non-saturating.js';
import { instanceNoise as makeInstanceNoise, type InstanceNoise } from '../losses/instance-noise.js';
import { lossFromConfig, regularizerFromConfig } from '../losses/registry.js';
import type { DiscriminatorRegularizer } from '../losses/regularizer.js';
import type { LossFn } from '../losses/types.js';
import { networkWeights, type GanModel, type GenerateOptions, type LayersGan } from '../models/types.js';
import { ganModelSpec, restoreGanModel } from '../models/restore.js';
import { defaultBackend, useBackend, type ModuleImporter } from '../backends/registry.js';
import type { BackendSpec } from '../backends/types.js';
import { ExponentialMovingAverage, type EmaOptions } from './ema.js';
import { setLearningRate, type LearningRateSchedule } from './schedules.js';
import { VariableSnapshot } from './snapshot.js';
import { optimizerVariables } from './optimizer-state.js';
import { discriminatorUpdate, finiteCheck, generatorUpdate, withNoise, type UpdateSettings } from './updates.js';
import { ArrayIndex, captureOptimizer, optimizerFromRecord, planAssign, planOptimizer, toArray } from './checkpoint.js';
import { resolveCheckpointStore } from './checkpoint-store.js';
import { adam } from './optimizers/adam.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointArray,
  type CheckpointState,
  type CheckpointStore,
  type TrainerCheckpoint,
} from './checkpoint-types.js';
import type { Batch, StepMetrics, TrainerCallback, TrainHistory, TrainingData } from './types.js';

/** Optimizers for the two networks. */
export interface TrainerOptimizers {
  /** Generator optimizer. Default {@link adam}(2e-4, 0.5), aigc's fused Adam (same state as `tf.train.adam`). */
  readonly generator?: tf.Optimizer;
  /** Discriminator optimizer. Default {@link adam}(2e-4, 0.5). */
  readonly discriminator?: tf.Optimizer;
}

/** Learning-rate schedules per network (a schedule maps the 1-based global step to a rate). */
export interface LearningRateSchedules {
  /** Generator schedule. Default: the optimizer's own constant rate. */
  readonly generator?: LearningRateSchedule;
  /** Discriminator schedule. Default: the optimizer's own constant rate. */
  readonly discriminator?: LearningRateSchedule;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** GAN objective. Default {@link nonSaturatingLoss}. */
  readonly loss?: LossFn;
  /** Compute backend, one line to switch: `'wasm'` (default in Node), `'cpu'`, `'webgpu'`, an adapter, or a fallback list. */
  readonly backend?: BackendSpec;
  /** Images per D or G update. Default 128. */
  readonly batchSize?: number;
  /** Seed of data order, latents, fake labels and penalties; with a seeded model, runs repeat exactly on `cpu`. Default 0. */
  readonly seed?: number;
  /** Optimizers; each defaults to {@link adam}(2e-4, beta1 0.5) as in DCGAN. Give them different rates for TTUR (Heusel et al. 2017). */
  readonly optimizers?: TrainerOptimizers;
  /** Latent sampler for training. Default N(0, 1), seeded from `seed`. */
  readonly sampler?: Sampler;
  /** How adapter packages are imported (for tests and unusual bundlers). Default dynamic `import()`. */
  readonly importModule?: ModuleImporter;
  /** D updates per G update ("n critic"; 5 in WGAN). In `fit` each D update gets its own real batch. Default 1. */
  readonly discriminatorSteps?: number;
  /** Penalties added to D's loss, e.g. `[gradientPenalty()]` (WGAN-GP) or `[r1Penalty()]`. Default none. */
  readonly regularizers?: readonly DiscriminatorRegularizer[];
  /** Learning-rate schedules, applied before every step. Default: constant rates. */
  readonly learningRateSchedules?: LearningRateSchedules;
  /** Clip each network's gradients to this global L2 norm. Default: no clipping. */
  readonly gradientClipNorm?: number;
  /** Keep an exponential moving average of G's weights, used by {@link Trainer.sample}; `true` means the defaults. Default off. */
  readonly ema?: boolean | EmaOptions;
  /** Gaussian noise on every image D sees (see `instanceNoise()`). Default off. */
  readonly instanceNoise?: InstanceNoise;
  /** Weight of ACGAN's auxiliary class loss, for models with a class head. Default 1. */
  readonly auxiliaryClassWeight?: number;
  /**
   * Divergence guard: after every step all weights are checked for NaN/inf; on divergence the last
   * good weights and optimizer state are restored before `TrainingDivergedError` is thrown. `every`
   * sets how often the good state is copied. Default `{ every: 1 }`; `false` only checks the losses.
   */
  readonly divergenceGuard?: boolean | { readonly every?: number };
}

/** Options of {@link Trainer.fit}. Give `epochs` or `steps`, not both (default 1 epoch). */
export interface FitOptions {
  /** Full passes over the data. */
  readonly epochs?: number;
  /** Total steps to run, crossing epochs as needed. */
  readonly steps?: number;
  /** Hooks called around epochs and steps. */
  readonly callbacks?: readonly TrainerCallback[];
  /** Aborting stops training cleanly between two steps; `fit` then resolves with `stopReason: 'aborted'`. */
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link Trainer.resume}. Everything that can be stored is rebuilt from the checkpoint
 * (model, optimizers, built-in loss, regularizers and sampler, batch size, seed, EMA, ...);
 * functions (schedules) and custom components must be passed again.
 */
export interface ResumeOptions<M extends GanModel = GanModel> {
  /**
   * The model to load the weights into, built as when it was saved. Default: rebuilt from the saved
   * topology (built-in LayersModel GANs only; required for `ganFromFunctions` and other custom models).
   */
  readonly model?: M;
  /** Loss to use. Default: the saved built-in loss. */
  readonly loss?: LossFn;
  /** Regularizers. Default: the saved built-in ones. */
  readonly regularizers?: readonly DiscriminatorRegularizer[];
  /** Sampler. Default: the saved built-in sampler (its stream state is restored either way). */
  readonly sampler?: Sampler;
  /** Optimizers of the saved classes to load the state into. Default: rebuilt from the saved configs. */
  readonly optimizers?: TrainerOptimizers;
  /** Learning-rate schedules (not stored). */
  readonly learningRateSchedules?: LearningRateSchedules;
  /** Instance noise. Default: rebuilt from the saved settings. */
  readonly instanceNoise?: InstanceNoise;
  /** Backend. Default as in {@link TrainerOptions.backend}. */
  readonly backend?: BackendSpec;
  /** See {@link TrainerOptions.importModule}. */
  readonly importModule?: ModuleImporter;
  /** Where to read from. Default: the registered store (the filesystem in Node). */
  readonly store?: CheckpointStore;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/** Rejects an optimizer whose learning rate (when it exposes one) is negative or not finite; 0 freezes a network. */
function checkOptimizer(name: string, optimizer: tf.Optimizer): tf.Optimizer {
  if (!optimizer || typeof (optimizer as Partial<tf.Optimizer>).minimize !== 'function') {
    throw new InvalidArgumentError(name, `${name} must be a tfjs optimizer such as tf.train.adam(2e-4, 0.5).`);
  }
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  if (typeof lr === 'number' && !(lr >= 0 && Number.isFinite(lr))) {
    throw new InvalidArgumentError(name, `The ${name} learning rate is ${lr}; pass a finite learning rate >= 0 such as 2e-4.`);
  }
  return optimizer;
}

/** Rejects a loss that lacks the two LossFn functions. */
function checkLoss(loss: LossFn): LossFn {
  if (!loss || typeof loss.discriminatorLoss !== 'function' || typeof loss.generatorLoss !== 'function') {
    throw new InvalidArgumentError('loss', 'loss must be a LossFn with discriminatorLoss and generatorLoss, e.g. nonSaturatingLoss().');
  }
  return loss;
}

function positiveNumber(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(value > 0 && Number.isFinite(value))) {
    throw new InvalidArgumentError(name, `${name} must be a positive finite number, got ${String(value)}.`);
  }
  return value;
}

/** Rejects a model whose latent width, image shape or class count differs from the checkpoint's. */
function checkModelMatches(saved: CheckpointState['model'], m: GanModel): void {
  if (saved.latentDim !== m.latentDim || saved.imageShape.length !== 3 || saved.imageShape.some((d, i) => d !== m.imageShape[i]) || (saved.numClasses ?? undefined) !== m.numClasses) {
    throw new ModelFormatError(
      `The checkpoint is for a model with latentDim ${saved.latentDim}, images [${saved.imageShape.join(', ')}] and ` +
        `${saved.numClasses ?? 'no'} classes; this model has ${m.latentDim}, [${m.imageShape.join(', ')}] and ${m.numClasses ?? 'no'}.`,
    );
  }
}

const METRIC_KEYS = ['dLoss', 'gLoss', 'dReal', 'dFake', 'dAccuracyReal', 'dAccuracyFake', 'dAccuracy'] as const;

/**
 * Trains a {@link GanModel}: each step makes `discriminatorSteps` D updates on real and generated
 * batches, then one G update through D. Only the listed variables of each network are updated,
 * so D never needs freezing. The backend is set (globally, as tfjs does) on the first `fit` or `step`.
 */
export class Trainer<M extends GanModel = GanModel> {
  /** The model being trained. */
  readonly model: M;
  /** The loss in use. */
  readonly loss: LossFn;
  /** Images per D or G update. */
  readonly batchSize: number;
  /** The seed of this run. */
  readonly seed: number;
  /** The latent sampler used for training. */
  readonly sampler: Sampler;
  /** Generator optimizer. */
  readonly generatorOptimizer: tf.Optimizer;
  /** Discriminator optimizer. */
  readonly discriminatorOptimizer: tf.Optimizer;
  /** D updates per step. */
  readonly discriminatorSteps: number;
  /** Penalties added to D's loss. */
  readonly regularizers: readonly DiscriminatorRegularizer[];
  /** The moving average of G's weights, when enabled. */
  readonly ema: ExponentialMovingAverage | undefined;
  /** Steps taken so far, over all `fit` and `step` calls. */
  globalStep = 0;
  /** Current epoch (0-based). */
  epoch = 0;

  private readonly backendSpec: BackendSpec;
  private readonly importModule: ModuleImporter | undefined;
  private backendInUse: string | undefined;
  private readonly dataRng: Rng;
  private readonly rng: Rng;
  private epochOrder: Int32Array | undefined;
  private epochPosition = 0;
  private readonly schedules: LearningRateSchedules;
  private readonly gradientClipNorm: number | undefined;
  private readonly noise: InstanceNoise | undefined;
  private readonly auxiliaryClassWeight: number;
  private readonly guardEvery: number | undefined;
  private readonly snapshot = new VariableSnapshot();
  private snapshotStep = 0;

  constructor(model: M, options: TrainerOptions = {}) {
    if (!model || typeof model.generatorVariables !== 'function' || typeof model.discriminate !== 'function') {
      throw new InvalidArgumentError('model', 'Trainer needs a GanModel (for example mlpGan() or ganFromLayers(G, D)).');
    }
    this.model = model;
    this.loss = checkLoss(options.loss ?? nonSaturatingLoss());
    this.batchSize = positiveInt('batchSize', options.batchSize ?? 128);
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new InvalidArgumentError('seed', `seed must be an integer, got ${this.seed}.`);
    this.sampler = options.sampler ?? normalSampler(model.latentDim, { seed: this.seed });
    if (this.sampler.latentDim !== model.latentDim) {
      throw new ShapeMismatchError(
        `The sampler draws latents of width ${this.sampler.latentDim} but the model's latentDim is ${model.latentDim}.`,
        [null, model.latentDim],
        [null, this.sampler.latentDim],
      );
    }
    this.generatorOptimizer = checkOptimizer('generator optimizer', options.optimizers?.generator ?? adam(2e-4, 0.5));
    this.discriminatorOptimizer = checkOptimizer('discriminator optimizer', options.optimizers?.discriminator ?? adam(2e-4, 0.5));
    if (this.generatorOptimizer === this.discriminatorOptimizer) {
      throw new InvalidArgumentError('optimizers', 'G and D need two optimizer objects: tfjs optimizers keep per-variable state by position.');
    }
    this.backendSpec = options.backend ?? defaultBackend();
    this.importModule = options.importModule;
    this.dataRng = new Rng((this.seed ^ 0x5bd1e995) >>> 0);
    this.rng = new Rng((this.seed ^ 0x2545f491) >>> 0);
    this.discriminatorSteps = positiveInt('discriminatorSteps', options.discriminatorSteps ?? 1);
    this.regularizers = [...(options.regularizers ?? [])];
    if (this.regularizers.some((r) => typeof r?.penalty !== 'function')) {
      throw new InvalidArgumentError('regularizers', 'regularizers must be DiscriminatorRegularizers such as gradientPenalty() or r1Penalty().');
    }
    this.schedules = options.learningRateSchedules ?? {};
    this.gradientClipNorm = positiveNumber('gradientClipNorm', options.gradientClipNorm);
    this.noise = options.instanceNoise;
    this.auxiliaryClassWeight = options.auxiliaryClassWeight ?? 1;
    if (!(this.auxiliaryClassWeight >= 0)) {
      throw new InvalidArgumentError('auxiliaryClassWeight', `auxiliaryClassWeight must be >= 0, got ${String(this.auxiliaryClassWeight)}.`);
    }
    const guard = options.divergenceGuard ?? true;
    this.guardEvery = guard === false ? undefined : positiveInt('divergenceGuard.every', guard === true ? 1 : (guard.every ?? 1));
    const ema = options.ema ?? false;
    this.ema = ema === false ? undefined : new ExponentialMovingAverage(model.generatorVariables(), ema === true ? {} : ema);
  }

  /** Name of the backend in use once ready; undefined before. */
  get backend(): string | undefined {
    return this.backendInUse;
  }

  /** Initializes the backend (done by `fit` and `step`); resolves to the backend name in use. */
  async ready(): Promise<string> {
    if (this.backendInUse === undefined) {
      const adapter = await useBackend(
        this.backendSpec,
        this.importModule === undefined ? {} : { importModule: this.importModule },
      );
      this.backendInUse = adapter.name;
    }
    return this.backendInUse;
  }

  private checkBatch(batch: Batch): void {
    if (!(batch?.images instanceof tf.Tensor) || batch.images.dtype !== 'float32') {
      throw new InvalidArgumentError('batch', 'step needs { images }, a float32 tensor [n, h, w, c] in [-1, 1], e.g. from ImageDataset.batch.');
    }
    const { images } = batch;
    const shape = images.shape.slice(1);
    if (images.rank !== 4 || shape.some((d, i) => d !== this.model.imageShape[i])) {
      throw new ShapeMismatchError(
        `Batch images have shape [${images.shape.join(', ')}] but the model makes [n, ${this.model.imageShape.join(', ')}].`,
        [null, ...this.model.imageShape],
        images.shape,
      );
    }
    if (this.model.numClasses !== undefined && batch.labels === undefined) {
      throw new InvalidArgumentError(
        'labels',
        `The model is conditional on ${this.model.numClasses} classes but the batch has no labels; train on a labeled dataset.`,
      );
    }
  }

  /**
   * One training step: `discriminatorSteps` D updates (on the given batches in turn; one batch is
   * reused), then a G update on fresh latents. The batches stay owned by the caller.
   */
  async step(batch: Batch | readonly Batch[]): Promise<StepMetrics> {
    const batches: readonly Batch[] = Array.isArray(batch) ? batch : [batch as Batch];
    if (batches.length === 0) throw new InvalidArgumentError('batch', 'step needs at least one batch.');
    batches.forEach((b) => this.checkBatch(b));
    await this.ready();
    const step = this.globalStep + 1;
    if (this.schedules.generator) setLearningRate(this.generatorOptimizer, this.schedules.generator(step));
    if (this.schedules.discriminator) setLearningRate(this.discriminatorOptimizer, this.schedules.discriminator(step));
    if (this.guardEvery !== undefined && !this.snapshot.taken) await this.takeSnapshot();
    const v = Array.from(await this.runStep(batches, step)) as number[];
    const [dLoss, dReal, dFake, accReal, accFake, penalty, dClass, gLoss, gClass, finite] = v as [
      number, number, number, number, number, number, number, number, number, number,
    ];
    const metrics: StepMetrics = {
      step,
      epoch: this.epoch,
      dLoss,
      gLoss,
      dReal,
      dFake,
      dAccuracyReal: accReal,
      dAccuracyFake: accFake,
      dAccuracy: (accReal + accFake) / 2,
      ...(this.regularizers.length > 0 ? { dPenalty: penalty } : {}),
      ...(this.hasClassHead() ? { dClassLoss: dClass, gClassLoss: gClass } : {}),
    };
    const lossesFinite = v.slice(0, 9).every(Number.isFinite);
    if (!lossesFinite || (this.guardEvery !== undefined && !Number.isFinite(finite))) {
      this.globalStep = step;
      let kept = '';
      if (this.guardEvery !== undefined) {
        this.snapshot.restore();
        this.globalStep = this.snapshotStep;
        kept = ` The weights and optimizer state of step ${this.snapshotStep} were restored.`;
      }
      throw new TrainingDivergedError(
        step,
        `Training diverged at step ${step}: dLoss=${dLoss}, gLoss=${gLoss}${lossesFinite ? ', and a weight became NaN or infinite' : ''}.` +
          `${kept} Lower the learning rates, check the data for NaN/inf, or try another loss.`,
      );
    }
    this.globalStep = step;
    if (this.guardEvery !== undefined && step % this.guardEvery === 0) await this.takeSnapshot();
    return metrics;
  }

  private hasClassHead(): boolean {
    return (this.model as { auxiliaryClassifier?: unknown }).auxiliaryClassifier === true;
  }

  /** Every variable of the training state: all weights of G and D (BN statistics included) and the EMA. */
  private stateVariables(): tf.Variable[] {
    const weights = [...networkWeights(this.model, 'generator'), ...networkWeights(this.model, 'discriminator')];
    return [...weights, ...(this.ema?.shadows ?? [])];
  }

  private async takeSnapshot(): Promise<void> {
    const optimizers = [this.generatorOptimizer, this.discriminatorOptimizer];
    const optimizerVars: tf.Variable[] = [];
    for (const o of optimizers) {
      const ov = await optimizerVariables(o);
      optimizerVars.push(...ov.slots, ...ov.extras.map(([, x]) => x));
    }
    this.snapshot.capture([...this.stateVariables(), ...optimizerVars], optimizers);
    this.snapshotStep = this.globalStep;
  }

  private fakeLabels(n: number): tf.Tensor1D | undefined {
    const k = this.model.numClasses;
    if (k === undefined) return undefined;
    return tf.tensor1d(Int32Array.from({ length: n }, () => this.rng.nextInt(k)), 'int32');
  }

  private async runStep(batches: readonly Batch[], step: number): Promise<Float32Array> {
    const settings: UpdateSettings = {
      model: this.model,
      loss: this.loss,
      regularizers: this.regularizers,
      auxiliaryClassWeight: this.auxiliaryClassWeight,
      gradientClipNorm: this.gradientClipNorm,
      step,
    };
    const dVars = this.model.discriminatorVariables();
    const gVars = this.model.generatorVariables();
    const stddev = this.noise?.stddevAt(step) ?? 0;
    const noiseSeed = () => (stddev > 0 ? this.rng.nextSeed() : 0);
    const packed = tf.tidy(() => {
      const dStats: tf.Tensor1D[] = [];
      for (let i = 0; i < this.discriminatorSteps; i++) {
        const batch = batches[i % batches.length] as Batch;
        const n = batch.images.shape[0];
        const z = this.sampler.sample(n);
        const fakeLabels = this.fakeLabels(n);
        const fake = this.model.generate(z, fakeLabels, true);
        dStats.push(
          discriminatorUpdate(settings, this.discriminatorOptimizer, dVars, {
            real: withNoise(batch.images, stddev, noiseSeed()),
            realLabels: batch.labels,
            fake: withNoise(fake, stddev, noiseSeed()),
            fakeLabels,
            regularizerSeed: this.regularizers.length > 0 ? this.rng.nextSeed() : 0,
          }),
        );
      }
      const last = batches[(this.discriminatorSteps - 1) % batches.length] as Batch;
      const n = last.images.shape[0];
      const gStats = generatorUpdate(settings, this.generatorOptimizer, gVars, {
        z: this.sampler.sample(n),
        fakeLabels: this.fakeLabels(n),
        real: last.images,
        realLabels: last.labels,
        noiseStddev: stddev,
        noiseSeed: noiseSeed(),
      });
      this.ema?.update(step);
      const dMean = dStats.length === 1 ? (dStats[0] as tf.Tensor1D) : tf.div(tf.addN(dStats), dStats.length);
      const finite = this.guardEvery === undefined ? tf.zeros([1]) : tf.reshape(finiteCheck(this.stateVariables()), [1]);
      return tf.concat([dMean, gStats, finite]);
    });
    try {
      return (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
  }

  private nextBatch(data: TrainingData): { batch: Batch; newEpoch: boolean } {
    let newEpoch = false;
    if (this.epochOrder === undefined || this.epochPosition + this.batchSize > this.epochOrder.length) {
      if (this.epochOrder !== undefined) this.epoch++;
      this.epochOrder = data.epochOrder(this.dataRng);
      this.epochPosition = 0;
      newEpoch = true;
    }
    const batch = data.batch(this.epochOrder, this.epochPosition, this.batchSize);
    this.epochPosition += this.batchSize;
    return { batch, newEpoch };
  }

  private checkData(data: TrainingData): void {
    if (!data || typeof data.batch !== 'function' || typeof data.epochOrder !== 'function') {
      throw new InvalidArgumentError('data', 'fit needs a dataset such as ImageDataset.fromIdx(...) or ImageDataset.fromArrays(...).');
    }
    const imageShape = data.imageShape;
    if (imageShape.length !== 3 || imageShape.some((d, i) => d !== this.model.imageShape[i])) {
      throw new ShapeMismatchError(
        `The data's images are [${imageShape.join(', ')}] but the model makes [${this.model.imageShape.join(', ')}].`,
        [...this.model.imageShape],
        [...imageShape],
      );
    }
    const k = this.model.numClasses;
    const dataClasses = (data as { numClasses?: number }).numClasses;
    if (k !== undefined && 'numClasses' in data && (dataClasses === undefined || dataClasses > k)) {
      throw new InvalidArgumentError(
        'data',
        dataClasses === undefined
          ? `The model is conditional on ${k} classes but the data has no labels; load the labels file too.`
          : `The data has ${dataClasses} classes but the model was built for ${k}.`,
      );
    }
    if (this.epochOrder !== undefined && this.epochOrder.length !== data.size) {
      throw new InvalidArgumentError(
        'data',
        `This run's data order is for ${this.epochOrder.length} images but the data has ${data.size}; resume with the same dataset.`,
      );
    }
  }

  /**
   * Trains on `data` for `epochs` or `steps`, calling the callbacks, in shuffled full batches
   * (the remainder of each epoch is dropped). Resolves with a {@link TrainHistory}.
   */
  async fit(data: TrainingData, options: FitOptions = {}): Promise<TrainHistory> {
    if (options.epochs !== undefined && options.steps !== undefined) {
      throw new InvalidArgumentError('epochs', 'Give either epochs or steps, not both.');
    }
    this.checkData(data);
    const stepsPerEpoch = Math.max(1, Math.floor(data.batchCount(this.batchSize, true) / this.discriminatorSteps));
    const totalSteps =
      options.steps !== undefined
        ? positiveInt('steps', options.steps)
        : positiveInt('epochs', options.epochs ?? 1) * stepsPerEpoch;
    const callbacks = options.callbacks ?? [];
    const backend = await this.ready();
    const initialStep = this.globalStep;
    for (const cb of callbacks) await cb.onTrainBegin?.({ totalSteps, stepsPerEpoch, backend, initialStep });

    const metrics: StepMetrics[] = [];
    let epochSums: number[] = METRIC_KEYS.map(() => 0);
    let epochCount = 0;
    let stopReason: TrainHistory['stopReason'] = 'completed';
    for (let done = 0; done < totalSteps; done++) {
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const batches: Batch[] = [];
      let m: StepMetrics;
      try {
        for (let i = 0; i < this.discriminatorSteps; i++) {
          const { batch, newEpoch } = this.nextBatch(data);
          batches.push(batch);
          if (newEpoch) for (const cb of callbacks) await cb.onEpochBegin?.(this.epoch);
        }
        m = await this.step(batches);
      } finally {
        for (const b of batches) {
          b.images.dispose();
          b.labels?.dispose();
        }
      }
      metrics.push(m);
      METRIC_KEYS.forEach((k, i) => (epochSums[i] = (epochSums[i] as number) + m[k]));
      epochCount++;
      for (const cb of callbacks) await cb.onStepEnd?.(m);
      if (this.epochPosition + this.batchSize > (this.epochOrder as Int32Array).length) {
        const mean = Object.fromEntries(METRIC_KEYS.map((k, i) => [k, (epochSums[i] as number) / epochCount]));
        for (const cb of callbacks) await cb.onEpochEnd?.(this.epoch, mean as Omit<StepMetrics, 'step' | 'epoch'>);
        epochSums = METRIC_KEYS.map(() => 0);
        epochCount = 0;
      }
    }
    const history: TrainHistory = {
      steps: metrics.length,
      globalStep: this.globalStep,
      stopReason,
      metrics,
      backend,
    };
    for (const cb of callbacks) await cb.onTrainEnd?.(history);
    return history;
  }

  /**
   * Samples `n` images like `model.sample`, but with the EMA generator weights when `ema` is on
   * (G in inference mode, its BN layers using their moving statistics). The caller disposes the result.
   */
  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    return this.ema ? this.ema.apply(() => this.model.sample(n, options)) : this.model.sample(n, options);
  }

  /** Runs `fn` (e.g. `saveGenerator`) with the EMA weights in G when `ema` is on, restoring the live weights after. */
  async withAveragedGenerator<T>(fn: () => T | Promise<T>): Promise<T> {
    if (!this.ema) return fn();
    const live = this.model.generatorVariables().map((v) => v.clone());
    this.model.generatorVariables().forEach((v, i) => v.assign(this.ema?.shadows[i] as tf.Variable));
    try {
      return await fn();
    } finally {
      this.model.generatorVariables().forEach((v, i) => v.assign(live[i] as tf.Tensor));
      tf.dispose(live);
    }
  }

  /** The whole training state in memory (weights, EMA, optimizer state, random streams, data position, config). */
  async checkpoint(): Promise<TrainerCheckpoint> {
    const arrays: CheckpointArray[] = [];
    for (const [i, w] of networkWeights(this.model, 'generator').entries()) arrays.push(await toArray(`generator/${i}`, w));
    for (const [i, w] of networkWeights(this.model, 'discriminator').entries()) arrays.push(await toArray(`discriminator/${i}`, w));
    for (const [i, s] of (this.ema?.shadows ?? []).entries()) arrays.push(await toArray(`ema/${i}`, s));
    const gOpt = await captureOptimizer('optimizer/generator', this.generatorOptimizer);
    const dOpt = await captureOptimizer('optimizer/discriminator', this.discriminatorOptimizer);
    arrays.push(...gOpt.arrays, ...dOpt.arrays);
    if (this.epochOrder !== undefined) {
      arrays.push({ name: 'data/order', dtype: 'int32', shape: [this.epochOrder.length], data: this.epochOrder.slice() });
    }
    const component = (c: { name: string; config?: Readonly<Record<string, number>> }) => ({ name: c.name, config: { ...(c.config ?? {}) } });
    const state: CheckpointState = {
      globalStep: this.globalStep,
      epoch: this.epoch,
      epochPosition: this.epochPosition,
      dataSize: this.epochOrder?.length ?? null,
      rng: { trainer: this.rng.getState().state, data: this.dataRng.getState().state, sampler: this.sampler.getState().state },
      config: {
        batchSize: this.batchSize,
        seed: this.seed,
        discriminatorSteps: this.discriminatorSteps,
        gradientClipNorm: this.gradientClipNorm ?? null,
        auxiliaryClassWeight: this.auxiliaryClassWeight,
        ema: this.ema ? { decay: this.ema.decay, startStep: this.ema.startStep } : null,
        divergenceGuard: this.guardEvery === undefined ? null : { every: this.guardEvery },
        instanceNoise: this.noise ? { ...this.noise.config } : null,
        loss: component(this.loss),
        regularizers: this.regularizers.map(component),
        sampler: { ...component(this.sampler), latentDim: this.sampler.latentDim },
      },
      model: {
        spec: ganModelSpec(this.model) ?? null,
        generator: this.model.generator?.toJSON(null, false) ?? null,
        discriminator: this.model.discriminator?.toJSON(null, false) ?? null,
        latentDim: this.model.latentDim,
        imageShape: [...this.model.imageShape],
        numClasses: this.model.numClasses ?? null,
      },
      optimizers: { generator: gOpt.record, discriminator: dOpt.record },
    };
    return { formatVersion: CHECKPOINT_FORMAT_VERSION, state, arrays };
  }

  /**
   * Loads a checkpoint into this trainer. Everything is checked before anything changes, so a
   * checkpoint of another architecture or format version (a ModelFormatError) leaves the trainer as it was.
   */
  async loadCheckpoint(checkpoint: TrainerCheckpoint): Promise<void> {
    if (checkpoint?.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
      throw new ModelFormatError(
        `The checkpoint has format version ${String(checkpoint?.formatVersion)}; this @aigc/core reads version ${CHECKPOINT_FORMAT_VERSION}.`,
      );
    }
    await this.ready();
    const s = checkpoint.state;
    const m = this.model;
    checkModelMatches(s.model, m);
    if ((s.config.ema === null) !== (this.ema === undefined)) {
      throw new InvalidArgumentError('ema', `The checkpoint was saved ${s.config.ema ? 'with' : 'without'} EMA; set the ema option the same way.`);
    }
    const index = new ArrayIndex(checkpoint.arrays);
    const gWeights = networkWeights(m, 'generator');
    const dWeights = networkWeights(m, 'discriminator');
    const count = (prefix: string) => checkpoint.arrays.filter((a) => a.name.startsWith(`${prefix}/`) && /^\d+$/.test(a.name.slice(prefix.length + 1))).length;
    const steps = [
      planAssign(index, 'generator', gWeights, count('generator')),
      planAssign(index, 'discriminator', dWeights, count('discriminator')),
      ...(this.ema ? [planAssign(index, 'ema', this.ema.shadows, count('ema'))] : []),
    ];
    const gOpt = planOptimizer(index, 'optimizer/generator', s.optimizers.generator, this.generatorOptimizer, m.generatorVariables());
    const dOpt = planOptimizer(index, 'optimizer/discriminator', s.optimizers.discriminator, this.discriminatorOptimizer, m.discriminatorVariables());
    const order = s.dataSize === null ? undefined : index.get('data/order', [s.dataSize]);
    if (order !== undefined && order.dtype !== 'int32') throw new ModelFormatError('The checkpoint\'s data order is not int32.');
    // Everything checked: apply.
    steps.forEach((apply) => apply());
    await gOpt();
    await dOpt();
    this.globalStep = s.globalStep;
    this.epoch = s.epoch;
    this.epochPosition = s.epochPosition;
    this.epochOrder = order === undefined ? undefined : Int32Array.from(order.data);
    this.rng.setState({ state: s.rng.trainer });
    this.dataRng.setState({ state: s.rng.data });
    this.sampler.setState({ state: s.rng.sampler });
    this.snapshot.dispose();
  }

  /** Saves the whole training state to `location` (a folder in Node) through the checkpoint store, atomically. */
  async save(location: string, options: { readonly store?: CheckpointStore } = {}): Promise<void> {
    const store = await resolveCheckpointStore(options.store);
    await store.write(location, await this.checkpoint());
  }

  /**
   * Rebuilds a trainer from a checkpoint saved by {@link Trainer.save}, so that training continues
   * exactly as if it had not stopped (bitwise on `cpu`). See {@link ResumeOptions} for what must be passed again.
   */
  static async resume<M extends GanModel = LayersGan>(location: string, options: ResumeOptions<M> = {}): Promise<Trainer<M>> {
    const store = await resolveCheckpointStore(options.store);
    return Trainer.fromCheckpoint(await store.read(location), options);
  }

  /** Like {@link Trainer.resume}, from a checkpoint already in memory. */
  static async fromCheckpoint<M extends GanModel = LayersGan>(checkpoint: TrainerCheckpoint, options: ResumeOptions<M> = {}): Promise<Trainer<M>> {
    try {
      return await Trainer.restoreFrom(checkpoint, options);
    } catch (cause) {
      if (AigcError.isInstance(cause)) throw cause;
      throw new ModelFormatError(
        `The checkpoint's state is malformed (${(cause as Error)?.message ?? String(cause)}); it is corrupted or was not written by Trainer.save. Resume from an older checkpoint.`,
        { cause },
      );
    }
  }

  private static async restoreFrom<M extends GanModel>(checkpoint: TrainerCheckpoint, options: ResumeOptions<M>): Promise<Trainer<M>> {
    if (checkpoint?.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
      throw new ModelFormatError(
        `The checkpoint has format version ${String(checkpoint?.formatVersion)}; this @aigc/core reads version ${CHECKPOINT_FORMAT_VERSION}.`,
      );
    }
    const s = checkpoint.state;
    const c = s.config;
    const backend = options.backend ?? defaultBackend();
    await useBackend(backend, options.importModule === undefined ? {} : { importModule: options.importModule });
    let model: M | undefined = options.model;
    if (model !== undefined) checkModelMatches(s.model, model);
    let owned = false;
    if (model === undefined) {
      if (s.model.spec === null) {
        throw new InvalidArgumentError('model', 'The checkpoint holds a custom GanModel; build it again and pass it as options.model.');
      }
      // Each network may allocate no more weight values than the checkpoint holds for it.
      const saved = (prefix: string) =>
        checkpoint.arrays.filter((a) => new RegExp(`^${prefix}/\\d+$`).test(a.name)).reduce((n, a) => n + a.data.length, 0);
      model = (await restoreGanModel(s.model.spec, s.model.generator, s.model.discriminator, {
        generator: saved('generator'),
        discriminator: saved('discriminator'),
      })) as unknown as M;
      owned = true;
    }
    let trainer: Trainer<M> | undefined;
    try {
      trainer = new Trainer<M>(model, {
        loss: options.loss ?? lossFromConfig(c.loss.name, c.loss.config),
        backend,
        batchSize: c.batchSize,
        seed: c.seed,
        optimizers: {
          generator: options.optimizers?.generator ?? optimizerFromRecord(s.optimizers.generator),
          discriminator: options.optimizers?.discriminator ?? optimizerFromRecord(s.optimizers.discriminator),
        },
        sampler: options.sampler ?? samplerFromConfig(c.sampler.name, c.sampler.latentDim, c.sampler.config, c.seed),
        discriminatorSteps: c.discriminatorSteps,
        regularizers: options.regularizers ?? c.regularizers.map((r) => regularizerFromConfig(r.name, r.config)),
        ...(options.learningRateSchedules ? { learningRateSchedules: options.learningRateSchedules } : {}),
        ...(c.gradientClipNorm === null ? {} : { gradientClipNorm: c.gradientClipNorm }),
        ema: c.ema ?? false,
        ...(options.instanceNoise ?? c.instanceNoise ? { instanceNoise: options.instanceNoise ?? makeInstanceNoise(c.instanceNoise ?? {}) } : {}),
        auxiliaryClassWeight: c.auxiliaryClassWeight,
        divergenceGuard: c.divergenceGuard ?? false,
        ...(options.importModule ? { importModule: options.importModule } : {}),
      });
      await trainer.loadCheckpoint(checkpoint);
      return trainer;
    } catch (error) {
      trainer?.dispose();
      if (owned) model.dispose();
      throw error;
    }
  }

  /** Frees the optimizers' state, the EMA and the guard's copy (the model stays yours to dispose). */
  dispose(): void {
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
    this.ema?.dispose();
    this.snapshot.dispose();
  }
}
