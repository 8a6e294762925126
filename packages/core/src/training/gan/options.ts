import type { tf } from '../../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../../errors.js';
import type { Augmentation } from '../../augment/types.js';
import type { InstanceNoise } from '../../losses/instance-noise.js';
import { nonSaturatingLoss } from '../../losses/non-saturating.js';
import type { DiscriminatorRegularizer } from '../../losses/regularizer.js';
import type { LossFn } from '../../losses/types.js';
import type { GanModel } from '../../models/types.js';
import { normalSampler, type Sampler } from '../../sampling/sampler.js';
import { adam } from '../optimizers/adam.js';
import { checkOptimizer, finiteAtLeast, positiveInt } from '../validate.js';
import { augmentationFromConfig } from '../../augment/registry.js';
import { instanceNoise } from '../../losses/instance-noise.js';
import { lossFromConfig, regularizerFromConfig } from '../../losses/registry.js';
import type { Json } from '../../models/kinds.js';
import { samplerFromConfig } from '../../sampling/registry.js';

/** Optimizers for the two networks. */
export interface TrainerOptimizers {
  /** Generator optimizer. Default {@link adam}(2e-4, 0.5), aigc's fused Adam (same state as `tf.train.adam`). */
  readonly generator?: tf.Optimizer;
  /** Discriminator optimizer. Default {@link adam}(2e-4, 0.5). */
  readonly discriminator?: tf.Optimizer;
}

/** The GAN objective's options (part of the Trainer's options). */
export interface GanObjectiveOptions {
  /** GAN loss. Default {@link nonSaturatingLoss}. */
  readonly loss?: LossFn;
  /** Latent sampler for training. Default N(0, 1), seeded from the Trainer's `seed`. */
  readonly sampler?: Sampler;
  /** Optimizers; each defaults to {@link adam}(2e-4, beta1 0.5) as in DCGAN. Give them different rates for TTUR (Heusel et al. 2017). */
  readonly optimizers?: TrainerOptimizers;
  /** D updates per G update ("n critic"; 5 in WGAN). In `fit` each D update gets its own real batch. Default 1. */
  readonly discriminatorSteps?: number;
  /** Penalties added to D's loss, e.g. `[gradientPenalty()]` (WGAN-GP) or `[r1Penalty()]`. Default none. */
  readonly regularizers?: readonly DiscriminatorRegularizer[];
  /** Clip each network's gradients to this global L2 norm. Default: no clipping. */
  readonly gradientClipNorm?: number;
  /** Gaussian noise on every image D sees (see `instanceNoise()`). Default off. */
  readonly instanceNoise?: InstanceNoise;
  /** Weight of ACGAN's auxiliary class loss, for models with a class head. Default 1. */
  readonly auxiliaryClassWeight?: number;
  /**
   * Augmentations, applied in order: `'data'` ones to real batches before D sees them;
   * `'differentiable'` ones (DiffAugment, ADA) to every image D sees, real and generated, in D's
   * and G's updates, inside G's gradient. Penalties see the images as D does. Default none.
   */
  readonly augment?: Augmentation | readonly Augmentation[];
}

/** Every key of {@link GanObjectiveOptions}, for the Trainer's unknown-key check. */
export const GAN_OPTION_KEYS = {
  loss: true,
  sampler: true,
  optimizers: true,
  discriminatorSteps: true,
  regularizers: true,
  gradientClipNorm: true,
  instanceNoise: true,
  auxiliaryClassWeight: true,
  augment: true,
} as const satisfies { readonly [K in keyof GanObjectiveOptions]-?: true };

/** The checked components of a GAN objective. */
export interface GanSettings {
  readonly loss: LossFn;
  readonly sampler: Sampler;
  readonly generatorOptimizer: tf.Optimizer;
  readonly discriminatorOptimizer: tf.Optimizer;
  readonly discriminatorSteps: number;
  readonly regularizers: readonly DiscriminatorRegularizer[];
  readonly gradientClipNorm: number | undefined;
  readonly noise: InstanceNoise | undefined;
  readonly auxiliaryClassWeight: number;
  readonly augment: readonly Augmentation[];
}

/** Checks the GAN options once (every failure an InvalidArgumentError naming the option) and fills in the defaults. */
export function parseGanOptions(model: GanModel, o: GanObjectiveOptions, seed: number): GanSettings {
  const loss = o.loss ?? nonSaturatingLoss();
  if (!loss || typeof loss.discriminatorLoss !== 'function' || typeof loss.generatorLoss !== 'function') {
    throw new InvalidArgumentError('loss', 'loss must be a LossFn with discriminatorLoss and generatorLoss, e.g. nonSaturatingLoss().');
  }
  const sampler = o.sampler ?? normalSampler(model.latentDim, { seed });
  if (typeof sampler?.sample !== 'function') throw new InvalidArgumentError('sampler', 'sampler must be a Sampler such as normalSampler(latentDim).');
  if (sampler.latentDim !== model.latentDim) {
    throw new ShapeMismatchError(
      `The sampler draws latents of width ${sampler.latentDim} but the model's latentDim is ${model.latentDim}.`,
      [null, model.latentDim],
      [null, sampler.latentDim],
    );
  }
  const generatorOptimizer = checkOptimizer('generator optimizer', o.optimizers?.generator ?? adam(2e-4, 0.5));
  const discriminatorOptimizer = checkOptimizer('discriminator optimizer', o.optimizers?.discriminator ?? adam(2e-4, 0.5));
  if (generatorOptimizer === discriminatorOptimizer) {
    throw new InvalidArgumentError('optimizers', 'G and D need two optimizer objects: tfjs optimizers keep per-variable state by position.');
  }
  const regularizers = [...(o.regularizers ?? [])];
  if (!Array.isArray(o.regularizers ?? []) || regularizers.some((r) => typeof r?.penalty !== 'function')) {
    throw new InvalidArgumentError('regularizers', 'regularizers must be a list of DiscriminatorRegularizers such as [gradientPenalty()] or [r1Penalty()].');
  }
  const noise = o.instanceNoise;
  if (noise !== undefined && typeof (noise as Partial<InstanceNoise>)?.stddevAt !== 'function') {
    throw new InvalidArgumentError(
      'instanceNoise',
      `instanceNoise must be made by instanceNoise(), e.g. instanceNoise({ stddev: ${typeof noise === 'number' ? noise : 0.1} }), got ${typeof noise === 'number' ? `the number ${noise}` : typeof noise}.`,
    );
  }
  const augment = o.augment === undefined ? [] : Array.isArray(o.augment) ? [...(o.augment as Augmentation[])] : [o.augment as Augmentation];
  for (const a of augment) {
    if (typeof a?.apply !== 'function' || (a.kind !== 'data' && a.kind !== 'differentiable') || typeof a.name !== 'string') {
      throw new InvalidArgumentError('augment', "augment must be an Augmentation (kind 'data' or 'differentiable') or a list of them, e.g. diffAugment(['color', 'translation']).");
    }
  }
  return {
    loss,
    sampler,
    generatorOptimizer,
    discriminatorOptimizer,
    discriminatorSteps: positiveInt('discriminatorSteps', o.discriminatorSteps ?? 1),
    regularizers,
    gradientClipNorm: o.gradientClipNorm === undefined ? undefined : finiteAtLeast('gradientClipNorm', o.gradientClipNorm, 0, true),
    noise,
    auxiliaryClassWeight: finiteAtLeast('auxiliaryClassWeight', o.auxiliaryClassWeight ?? 1, 0),
    augment,
  };
}

/** Options that rebuild a GAN objective from its stored config; `given` (resume options) take precedence. */
export function ganOptionsFromConfig(config: { readonly [key: string]: Json }, given: GanObjectiveOptions, seed: number): GanObjectiveOptions {
  type C = { name: string; config: Record<string, number> };
  const c = config as unknown as {
    discriminatorSteps: number; gradientClipNorm: number | null; auxiliaryClassWeight: number;
    instanceNoise: { stddev: number; annealSteps: number } | null; loss: C; regularizers: C[];
    sampler: C & { latentDim: number }; augment?: Array<{ name: string; config: Record<string, Json> }>;
  };
  const noise = given.instanceNoise ?? (c.instanceNoise ? instanceNoise(c.instanceNoise) : undefined);
  const augment: readonly Augmentation[] = given.augment === undefined ? (c.augment ?? []).map((a) => augmentationFromConfig(a.name, a.config)) : [given.augment].flat();
  return {
    loss: given.loss ?? lossFromConfig(c.loss.name, c.loss.config),
    sampler: given.sampler ?? samplerFromConfig(c.sampler.name, c.sampler.latentDim, c.sampler.config, seed),
    regularizers: given.regularizers ?? c.regularizers.map((r) => regularizerFromConfig(r.name, r.config)),
    discriminatorSteps: c.discriminatorSteps,
    auxiliaryClassWeight: c.auxiliaryClassWeight,
    ...(c.gradientClipNorm === null ? {} : { gradientClipNorm: c.gradientClipNorm }),
    ...(noise ? { instanceNoise: noise } : {}),
    ...(augment.length > 0 ? { augment } : {}),
  };
}
