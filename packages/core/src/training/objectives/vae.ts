/** The VAE's training objective: maximize the ELBO (reconstruction + beta * KL, with an optional KL warm-up). */
import { tf } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';
import { gaussianKl, klWeight, reconstructionNll } from '../../losses/elbo.js';
import { checkImages } from '../../models/layers-gan.js';
import { isVae, reparameterize, type VaeModel } from '../../models/vae.js';
import { adam } from '../optimizers/adam.js';
import type { ObjectiveNetwork, StepContext, TrainingObjective } from '../objective.js';
import type { Batch } from '../types.js';
import { registerObjective } from '../objectives.js';
import type { TrainerOptions } from '../options.js';

/** Options of {@link vaeObjective}. */
export interface VaeObjectiveOptions {
  /** Weight of the KL term (beta-VAE, Higgins et al. 2017). Default 1 (the plain ELBO). */
  readonly beta?: number;
  /** Steps over which the KL weight ramps linearly from `beta / klWarmupSteps` up to `beta`. Default 0 (no warm-up). */
  readonly klWarmupSteps?: number;
  /** Optimizers of the encoder and the decoder. Default `adam(1e-3)` each (Adam is per-element, so two equal Adams are one Adam over both). */
  readonly optimizers?: { readonly encoder?: tf.Optimizer; readonly decoder?: tf.Optimizer };
}

/** The settings a checkpoint stores to rebuild a {@link vaeObjective}. */
export type VaeObjectiveConfig = {
  /** Weight of the KL term. */
  readonly beta: number;
  /** Steps of the linear KL warm-up (0: none). */
  readonly klWarmupSteps: number;
};

/**
 * The Trainer's options for a VAE: the generic ones plus `vae`, this objective's. Pass them as a
 * typed variable (`const options: VaeTrainerOptions = ...`), or give `objective: vaeObjective(vae, ...)`.
 */
export interface VaeTrainerOptions extends TrainerOptions {
  /** Options of the VAE objective `new Trainer(vae, options)` makes. Default: {@link vaeObjective}'s defaults. */
  readonly vae?: VaeObjectiveOptions;
}

/** GAN-only Trainer options, refused for a VAE so that a misplaced setting is not silently ignored. */
const GAN_ONLY = ['loss', 'sampler', 'discriminatorSteps', 'regularizers', 'gradientClipNorm', 'instanceNoise', 'auxiliaryClassWeight', 'augment'] as const;

/** The metrics of one VAE step, by name (see {@link vaeObjective}). */
export type VaeStepTensors = Readonly<Record<'loss' | 'elbo' | 'reconstruction' | 'kl' | 'beta', tf.Scalar>>;

/** A {@link TrainingObjective} for a {@link VaeModel}, with the settings it was made with. */
export interface VaeObjective extends TrainingObjective {
  readonly name: 'vae';
  /** EMA (the Trainer's `ema` option) averages the decoder, the network that samples. */
  readonly sampleNetwork: 'decoder';
  /** Runs one step (inside `tf.tidy`) and returns its named metrics. */
  step(batches: readonly Batch[], ctx: StepContext): VaeStepTensors;
  /** The model it trains. */
  readonly model: VaeModel;
  /** Its settings, for checkpoints. */
  readonly config: VaeObjectiveConfig;
}

function nonNegative(name: string, value: unknown, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    const got = typeof value === 'string' ? `the string "${value}"` : String(value);
    throw new InvalidArgumentError(name, `${name} must be a ${integer ? 'non-negative integer' : 'finite number >= 0'}, got ${got}.`);
  }
  return value;
}

function checkOptimizer(name: string, optimizer: unknown): tf.Optimizer {
  if (!(optimizer instanceof tf.Optimizer)) {
    throw new InvalidArgumentError(`optimizers.${name}`, `optimizers.${name} must be a tf.Optimizer such as adam(1e-3), got ${String(optimizer)}.`);
  }
  return optimizer;
}

/** Applies gradients for exactly `vars`, in order (zeros for a variable without one). */
function apply(optimizer: tf.Optimizer, vars: readonly tf.Variable[], grads: tf.NamedTensorMap): void {
  optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) })));
}

/** The VAE loss terms of one batch, each a mean over the batch of per-image sums. */
export interface VaeLossTerms {
  /** `reconstruction + beta * kl`. */
  readonly loss: tf.Scalar;
  /** Reconstruction negative log-likelihood (see `reconstructionNll`). */
  readonly reconstruction: tf.Scalar;
  /** KL(q(z|x) || N(0, I)) (see `gaussianKl`). */
  readonly kl: tf.Scalar;
}

/**
 * The loss {@link vaeObjective} minimizes, for `images` in [-1, 1], with `z = mu + sigma * eps`
 * drawn from the tfjs op seed `seed` and KL weight `beta`; runs the networks in training mode.
 */
export function vaeLoss(model: VaeModel, images: tf.Tensor4D, seed: number, beta: number): VaeLossTerms {
  return tf.tidy(() => {
    const { mu, logVar } = model.encode(images, true);
    const z = reparameterize(mu, logVar, seed);
    const reconstruction = tf.mean(reconstructionNll(model.likelihood, model.decodePreActivation(z, true), images, model.gaussianStd)) as tf.Scalar;
    const kl = tf.mean(gaussianKl(mu, logVar)) as tf.Scalar;
    return { loss: tf.add(reconstruction, tf.mul(kl, beta)) as tf.Scalar, reconstruction, kl };
  });
}

/**
 * Trains a VAE by the negative ELBO per image, averaged over the batch: the reconstruction
 * negative log-likelihood (summed over pixels; Bernoulli or Gaussian as the model says) plus
 * `beta_t` times KL(q(z|x) || N(0, I)) in closed form, with `z` reparameterized from a seed drawn
 * from the step's `rng`. Two networks, `encoder` and `decoder`, one optimizer each. Metrics:
 * `loss` (what is minimized), `elbo` (`-(reconstruction + kl)`, unweighted), `reconstruction`, `kl`, `beta` (`beta_t`).
 */
export function vaeObjective(model: VaeModel, options: VaeObjectiveOptions = {}): VaeObjective {
  if (!isVae(model)) throw new InvalidArgumentError('model', 'vaeObjective needs a VaeModel such as mlpVae() or convVae().');
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', `vaeObjective options must be an object, got ${String(options)}.`);
  const config: VaeObjectiveConfig = {
    beta: nonNegative('beta', options.beta ?? 1, false),
    klWarmupSteps: nonNegative('klWarmupSteps', options.klWarmupSteps ?? 0, true),
  };
  const encoderOptimizer = checkOptimizer('encoder', options.optimizers?.encoder ?? adam(1e-3));
  const decoderOptimizer = checkOptimizer('decoder', options.optimizers?.decoder ?? adam(1e-3));
  if (encoderOptimizer === decoderOptimizer) {
    throw new InvalidArgumentError('optimizers', 'The encoder and the decoder need two optimizer objects: tfjs optimizers keep per-variable state by position.');
  }
  const encoderVars = model.encoderVariables();
  const decoderVars = model.decoderVariables();
  const networks: ObjectiveNetwork[] = [
    { name: 'encoder', variables: encoderVars, weights: model.encoder.weights.map((w) => w.read() as tf.Variable), optimizer: encoderOptimizer },
    { name: 'decoder', variables: decoderVars, weights: model.generator.weights.map((w) => w.read() as tf.Variable), optimizer: decoderOptimizer },
  ];
  return {
    name: 'vae',
    sampleNetwork: 'decoder',
    model,
    config,
    networks,
    batchesPerStep: 1,
    step(batches: readonly Batch[], ctx: StepContext): VaeStepTensors {
      const images = batches[0]?.images;
      if (images === undefined) throw new InvalidArgumentError('batches', 'The VAE step needs one batch { images }.');
      checkImages(images, model.imageShape);
      const seed = ctx.rng.nextSeed();
      const beta = klWeight(config.beta, config.klWarmupSteps, ctx.step);
      let parts: tf.Tensor1D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const { loss, reconstruction, kl } = vaeLoss(model, images, seed, beta);
        parts = tf.keep(tf.stack([reconstruction, kl]) as tf.Tensor1D);
        return loss;
      }, [...encoderVars, ...decoderVars]);
      apply(encoderOptimizer, encoderVars, grads);
      apply(decoderOptimizer, decoderVars, grads);
      const stats = (parts as tf.Tensor1D).clone();
      (parts as tf.Tensor1D).dispose();
      const [reconstruction, kl] = tf.unstack(stats) as [tf.Scalar, tf.Scalar];
      return { loss: value, elbo: tf.neg(tf.add(reconstruction, kl)) as tf.Scalar, reconstruction, kl, beta: tf.scalar(beta) };
    },
  };
}

/** The VAE objective options of a Trainer's options (`vae`, and on resume the optimizers by network name). */
function optionsOf(options: VaeTrainerOptions): VaeObjectiveOptions {
  const misplaced = GAN_ONLY.filter((k) => options[k] !== undefined);
  if (misplaced.length > 0) {
    throw new InvalidArgumentError(misplaced[0] as string, `${misplaced.join(', ')} ${misplaced.length > 1 ? 'are GAN options' : 'is a GAN option'}; a VAE trains with its own objective (set vae: { beta, klWarmupSteps, optimizers }).`);
  }
  const given = (options.optimizers ?? {}) as Readonly<Record<string, tf.Optimizer | undefined>>;
  if (given['generator'] !== undefined || given['discriminator'] !== undefined) {
    throw new InvalidArgumentError('optimizers', 'A VAE has an encoder and a decoder, not a generator and a discriminator: pass vae: { optimizers: { encoder, decoder } }.');
  }
  const vae = options.vae ?? {};
  const encoder = vae.optimizers?.encoder ?? given['encoder'];
  const decoder = vae.optimizers?.decoder ?? given['decoder'];
  return { ...vae, optimizers: { ...(encoder ? { encoder } : {}), ...(decoder ? { decoder } : {}) } };
}

registerObjective('vae', {
  matches: (model) => isVae(model),
  create: (model, options) => vaeObjective(model as VaeModel, optionsOf(options)),
  // The optimizers are rebuilt by the Trainer from the checkpoint, by network name.
  optionsFromConfig: (config) => {
    const c = config as Partial<VaeObjectiveConfig>;
    return { vae: { beta: c.beta ?? 1, klWarmupSteps: c.klWarmupSteps ?? 0 } } as VaeTrainerOptions;
  },
  optionKeys: ['vae', 'optimizers'],
});
