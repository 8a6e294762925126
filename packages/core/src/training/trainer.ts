import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError, TrainingDivergedError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { nonSaturatingLoss } from '../losses/non-saturating.js';
import type { LossFn } from '../losses/types.js';
import type { GanModel } from '../models/types.js';
import { defaultBackend, useBackend, type ModuleImporter } from '../backends/registry.js';
import type { BackendSpec } from '../backends/types.js';
import type { Batch, StepMetrics, TrainerCallback, TrainHistory, TrainingData } from './types.js';

/** Optimizers for the two networks. */
export interface TrainerOptimizers {
  /** Generator optimizer. Default Adam(2e-4, beta1 0.5). */
  readonly generator?: tf.Optimizer;
  /** Discriminator optimizer. Default Adam(2e-4, beta1 0.5). */
  readonly discriminator?: tf.Optimizer;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** GAN objective. Default {@link nonSaturatingLoss}. */
  readonly loss?: LossFn;
  /** Compute backend, one line to switch: `'wasm'` (default in Node), `'cpu'`, `'webgpu'`, an adapter, or a fallback list. */
  readonly backend?: BackendSpec;
  /** Images per step for both D and G. Default 128. */
  readonly batchSize?: number;
  /** Seed of data order and latent sampling; with a seeded model, runs repeat exactly on `cpu`. Default 0. */
  readonly seed?: number;
  /** Optimizers; each defaults to Adam(2e-4, beta1 0.5) as in DCGAN. */
  readonly optimizers?: TrainerOptimizers;
  /** Latent sampler for training. Default N(0, 1), seeded from `seed`. */
  readonly sampler?: Sampler;
  /** How adapter packages are imported (for tests and unusual bundlers). Default dynamic `import()`. */
  readonly importModule?: ModuleImporter;
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

const METRIC_KEYS = ['dLoss', 'gLoss', 'dReal', 'dFake', 'dAccuracyReal', 'dAccuracyFake', 'dAccuracy'] as const;

/**
 * Trains a {@link GanModel}: each step updates D once on a real and a generated batch, then G
 * once through D. Only the listed variables of each network are updated, so D never needs
 * freezing. The backend is set (globally, as tfjs does) on the first `fit` or `step`.
 */
export class Trainer {
  /** The model being trained. */
  readonly model: GanModel;
  /** The loss in use. */
  readonly loss: LossFn;
  /** Images per step. */
  readonly batchSize: number;
  /** The seed of this run. */
  readonly seed: number;
  /** The latent sampler used for training. */
  readonly sampler: Sampler;
  /** Generator optimizer. */
  readonly generatorOptimizer: tf.Optimizer;
  /** Discriminator optimizer. */
  readonly discriminatorOptimizer: tf.Optimizer;
  /** Steps taken so far, over all `fit` and `step` calls. */
  globalStep = 0;
  /** Current epoch (0-based). */
  epoch = 0;

  private readonly backendSpec: BackendSpec;
  private readonly importModule: ModuleImporter | undefined;
  private backendInUse: string | undefined;
  private readonly dataRng: Rng;
  private epochOrder: Int32Array | undefined;
  private epochPosition = 0;

  constructor(model: GanModel, options: TrainerOptions = {}) {
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
    this.generatorOptimizer = checkOptimizer('generator optimizer', options.optimizers?.generator ?? tf.train.adam(2e-4, 0.5));
    this.discriminatorOptimizer = checkOptimizer('discriminator optimizer', options.optimizers?.discriminator ?? tf.train.adam(2e-4, 0.5));
    this.backendSpec = options.backend ?? defaultBackend();
    this.importModule = options.importModule;
    this.dataRng = new Rng((this.seed ^ 0x5bd1e995) >>> 0);
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

  /**
   * One training step on a batch of real images: a D update on real and generated images,
   * then a G update on fresh latents. The batch stays owned by the caller.
   */
  async step(batch: Batch): Promise<StepMetrics> {
    if (!(batch?.images instanceof tf.Tensor) || batch.images.dtype !== 'float32') {
      throw new InvalidArgumentError('batch', 'step needs { images }, a float32 tensor [n, h, w, c] in [-1, 1], e.g. from ImageDataset.batch.');
    }
    await this.ready();
    const { images } = batch;
    const [n, ...shape] = images.shape;
    if (shape.length !== 3 || shape.some((d, i) => d !== this.model.imageShape[i])) {
      throw new ShapeMismatchError(
        `Batch images have shape [${images.shape.join(', ')}] but the model makes [n, ${this.model.imageShape.join(', ')}].`,
        [null, ...this.model.imageShape],
        images.shape,
      );
    }
    const values = await this.runStep(images, n as number);
    const step = ++this.globalStep;
    const [dLoss, gLoss, dReal, dFake, accReal, accFake] = Array.from(values) as number[];
    const metrics: StepMetrics = {
      step,
      epoch: this.epoch,
      dLoss: dLoss as number,
      gLoss: gLoss as number,
      dReal: dReal as number,
      dFake: dFake as number,
      dAccuracyReal: accReal as number,
      dAccuracyFake: accFake as number,
      dAccuracy: ((accReal as number) + (accFake as number)) / 2,
    };
    if (!Number.isFinite(metrics.dLoss) || !Number.isFinite(metrics.gLoss)) {
      throw new TrainingDivergedError(
        step,
        `Training diverged at step ${step}: dLoss=${metrics.dLoss}, gLoss=${metrics.gLoss}. ` +
          'Lower the learning rates, check the data for NaN/inf, or try another loss.',
      );
    }
    return metrics;
  }

  private async runStep(real: tf.Tensor4D, n: number): Promise<Float32Array> {
    const model = this.model;
    const loss = this.loss;
    const dVars = model.discriminatorVariables();
    const gVars = model.generatorVariables();
    const packed = tf.tidy(() => {
      let dStats: tf.Tensor1D | undefined;
      const zD = this.sampler.sample(n);
      const fake = model.generate(zD, undefined, true);
      const dLoss = this.discriminatorOptimizer.minimize(
        () => {
          const realLogits = model.discriminate(real, undefined, true);
          const fakeLogits = model.discriminate(fake, undefined, true);
          dStats = tf.keep(
            tf.stack([
              tf.mean(tf.sigmoid(realLogits)),
              tf.mean(tf.sigmoid(fakeLogits)),
              tf.mean(tf.cast(tf.greater(realLogits, 0), 'float32')),
              tf.mean(tf.cast(tf.less(fakeLogits, 0), 'float32')),
            ]) as tf.Tensor1D,
          );
          return loss.discriminatorLoss(realLogits, fakeLogits);
        },
        true,
        dVars,
      ) as tf.Scalar;
      const zG = this.sampler.sample(n);
      const gLoss = this.generatorOptimizer.minimize(
        () => {
          const fakeLogits = model.discriminate(model.generate(zG, undefined, true), undefined, true);
          const realLogits = loss.generatorUsesReal ? model.discriminate(real, undefined, true) : undefined;
          return loss.generatorLoss(fakeLogits, realLogits);
        },
        true,
        gVars,
      ) as tf.Scalar;
      const stats = dStats as tf.Tensor1D;
      const out = tf.concat([tf.stack([dLoss, gLoss]), stats]);
      stats.dispose();
      return out;
    });
    try {
      return (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
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
    const stepsPerEpoch = data.batchCount(this.batchSize, true);
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
      if (this.epochOrder === undefined || this.epochPosition + this.batchSize > this.epochOrder.length) {
        if (this.epochOrder !== undefined) this.epoch++;
        this.epochOrder = data.epochOrder(this.dataRng);
        this.epochPosition = 0;
        for (const cb of callbacks) await cb.onEpochBegin?.(this.epoch);
      }
      const batch = data.batch(this.epochOrder, this.epochPosition, this.batchSize);
      this.epochPosition += this.batchSize;
      let m: StepMetrics;
      try {
        m = await this.step(batch);
      } finally {
        batch.images.dispose();
        batch.labels?.dispose();
      }
      metrics.push(m);
      METRIC_KEYS.forEach((k, i) => (epochSums[i] = (epochSums[i] as number) + m[k]));
      epochCount++;
      for (const cb of callbacks) await cb.onStepEnd?.(m);
      if (this.epochPosition + this.batchSize > this.epochOrder.length) {
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

  /** Frees the optimizers' state (the model stays yours to dispose). */
  dispose(): void {
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
  }
}
