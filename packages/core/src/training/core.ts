import { tf } from '../tf.js';
import { InvalidArgumentError, InvalidDataError, ShapeMismatchError, TrainingDivergedError } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { ImageGenerator } from '../models/types.js';
import type { TrainerConfig } from './config.js';
import { DataCursor } from './cursor.js';
import { ExponentialMovingAverage, type EmaOptions } from './ema.js';
import { allFinite, DivergenceGuard, finiteScreen } from './guard.js';
import type { ObjectiveNetwork, TrainingObjective } from './objective.js';
import { setLearningRate, type LearningRateSchedule } from './schedules.js';
import type { Batch, TrainingMetrics } from './types.js';

/**
 * The Trainer's moving parts behind its front: the objective, the step counter, the random
 * streams, the data cursor, the EMA and the divergence guard; `step` runs one guarded step.
 */
export class TrainerCore {
  /** Steps taken so far. */
  globalStep = 0;
  readonly cursor: DataCursor;
  /** The trainer's own stream, handed to the objective (latent labels, noise, penalties, augmentation). */
  readonly rng: Rng;
  readonly ema: ExponentialMovingAverage | undefined;
  readonly guard: DivergenceGuard;

  constructor(
    readonly model: ImageGenerator,
    readonly objective: TrainingObjective,
    readonly config: TrainerConfig,
    private readonly schedules: Readonly<Record<string, LearningRateSchedule | undefined>>,
    emaBatchNorm?: EmaOptions['batchNorm'],
  ) {
    const names = objective.networks.map((n) => n.name);
    if (new Set(names).size !== names.length || names.some((n) => typeof n !== 'string' || n === '' || n.includes('/') || ['ema', 'optimizer', 'data'].includes(n))) {
      throw new InvalidArgumentError('objective', `The objective's networks need distinct names without "/" (and not ema, optimizer or data), got ${JSON.stringify(names)}.`);
    }
    this.cursor = new DataCursor(config.seed, config.batchSize);
    this.rng = new Rng((config.seed ^ 0x2545f491) >>> 0);
    const sampled = this.network(objective.sampleNetwork ?? 'generator');
    if (config.ema !== null && sampled === undefined) {
      throw new InvalidArgumentError('ema', `ema averages the "${objective.sampleNetwork ?? 'generator'}" network, which the ${objective.name} objective lacks.`);
    }
    this.ema = config.ema === null || sampled === undefined ? undefined : new ExponentialMovingAverage([...sampled.variables], emaBatchNorm === undefined ? config.ema : { ...config.ema, batchNorm: emaBatchNorm });
    this.guard = new DivergenceGuard(config.divergenceGuard?.every, () => this.stateVariables(), () => this.objective.networks.map((n) => n.optimizer));
  }

  /** The objective's network named `name`. */
  network(name: string): ObjectiveNetwork | undefined {
    return this.objective.networks.find((n) => n.name === name);
  }

  /** Every variable of the training state: all weights of every network (BN statistics included) and the EMA. */
  stateVariables(): tf.Variable[] {
    return [...this.objective.networks.flatMap((n) => [...n.weights]), ...(this.ema?.shadows ?? [])];
  }

  /** Checks one batch against the model's image shape and classes. */
  checkBatch(batch: Batch): void {
    if (!(batch?.images instanceof tf.Tensor) || batch.images.dtype !== 'float32') {
      throw new InvalidArgumentError('batch', 'step needs { images }, a float32 tensor [n, h, w, c] in [-1, 1], e.g. from ImageDataset.batch.');
    }
    const { images } = batch;
    if (images.rank === 4 && images.shape[0] === 0) {
      throw new InvalidArgumentError('batch', 'step needs batches of at least one image: images.shape[0] must be a positive integer, got 0.');
    }
    const want = this.model.imageShape;
    if (images.rank !== 4 || images.shape.slice(1).some((d, i) => d !== want[i])) {
      throw new ShapeMismatchError(`Batch images have shape [${images.shape.join(', ')}] but the model makes [n, ${want.join(', ')}].`, [null, ...want], images.shape);
    }
    if (this.model.numClasses !== undefined && batch.labels === undefined) {
      throw new InvalidArgumentError('labels', `The model is conditional on ${this.model.numClasses} classes but the batch has no labels; train on a labeled dataset.`);
    }
  }

  /**
   * Rejects batches with pixels outside [-1, 1] (one read per batch: for `trainer.step`, whose batches
   * no dataset checked). NaN passes on to the divergence guard, which keeps the weights.
   */
  async checkPixels(batches: readonly Batch[]): Promise<void> {
    for (const [i, b] of batches.entries()) {
      const stats = tf.tidy(() => {
        const outside = tf.logicalOr(tf.less(b.images, -1), tf.greater(b.images, 1));
        return tf.stack([tf.sum(tf.cast(outside, 'float32')), tf.min(b.images), tf.max(b.images)]);
      });
      const [count, lo, hi] = (await stats.data()) as Float32Array;
      stats.dispose();
      if ((count as number) > 0) {
        throw new InvalidDataError(
          `${count} pixels of batch ${i} lie outside [-1, 1] (they span ${lo} to ${hi}); normalize them first, e.g. x / 127.5 - 1 for 0..255 bytes or 2 * x - 1 for 0..1 values.`,
        );
      }
    }
  }

  /** One step of the objective on `batches` (checked by the caller), guarded; returns its metrics by name. */
  async step(batches: readonly Batch[]): Promise<TrainingMetrics> {
    const step = this.globalStep + 1;
    for (const net of this.objective.networks) {
      const schedule = this.schedules[net.name];
      if (schedule) setLearningRate(net.optimizer, schedule(step));
    }
    await this.guard.before(this.globalStep);
    const ctx = { step, rng: this.rng };
    let keys: string[] = [];
    const packed = tf.tidy(() => {
      const m = this.objective.step(batches, ctx);
      keys = Object.keys(m);
      this.ema?.update(step);
      // The screen costs one read of the weights; only when it flags something does the exact check run.
      const finite = this.guard.every === undefined ? [] : [finiteScreen(this.stateVariables())];
      return tf.stack([...keys.map((k) => m[k] as tf.Scalar), ...finite]);
    });
    let v: Float32Array;
    try {
      v = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    const values: Record<string, number> = Object.fromEntries(keys.map((k, i) => [k, v[i] as number]));
    const lossesFinite = keys.every((k) => Number.isFinite(values[k]));
    const weightsFinite = this.guard.every === undefined || Number.isFinite(v[keys.length]) || (await allFinite(this.stateVariables()));
    if (!lossesFinite || !weightsFinite) {
      this.globalStep = step;
      let kept = '';
      if (this.guard.every !== undefined) {
        this.globalStep = this.guard.restore();
        kept = ` The weights and optimizer state of step ${this.globalStep} were restored.`;
      }
      const shown = keys.slice(0, 2).map((k) => `${k}=${values[k]}`).join(', ');
      throw new TrainingDivergedError(
        step,
        `Training diverged at step ${step}: ${shown}${lossesFinite ? ', and a weight became NaN or infinite' : ''}.` +
          `${kept} Lower the learning rates, check the data for NaN/inf, or try another loss.`,
      );
    }
    this.globalStep = step;
    await this.guard.after(step);
    this.objective.afterStep?.(values, ctx);
    return { step, epoch: this.cursor.epoch, ...values, ...(this.objective.extraMetrics?.() ?? {}) };
  }

  /** Frees the optimizers' state, the objective's own, the EMA and the guard's copy (the model stays the caller's). */
  dispose(): void {
    for (const n of this.objective.networks) n.optimizer.dispose();
    this.objective.dispose?.();
    this.ema?.dispose();
    this.guard.reset();
  }
}
