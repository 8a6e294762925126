/** The variational autoencoder (Kingma & Welling 2014) as an {@link ImageGenerator}: encoder to (mu, log-variance), decoder to images. */
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ModelFormatError, ShapeMismatchError } from '../errors.js';
import { registerModelKind } from './kinds.js';
import { DEFAULT_GAUSSIAN_STD, type VaeLikelihood } from '../losses/elbo.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { checkImages, checkLatents, sampleFrom, shapeOf, toImageShape, variablesOf } from './layers-gan.js';
import type { GenerateOptions, ImageGenerator, ImageShape } from './types.js';

/** How a VAE reads its decoder output; stored in checkpoints so a resumed run trains the same loss. */
export interface VaeLikelihoodOptions {
  /** `'bernoulli'` (default: cross-entropy on pixels mapped to [0, 1]) or `'gaussian'` (squared error with a fixed std). */
  readonly likelihood?: VaeLikelihood;
  /** Standard deviation of the Gaussian likelihood in [-1, 1] pixel units. Default 0.2 (0.1 on a [0, 1] scale). */
  readonly gaussianStd?: number;
}

/** Options of {@link VaeModel.reconstruct}. */
export interface ReconstructOptions {
  /** Decode a sampled `z = mu + sigma * eps` with this seed instead of the mean `mu` (the default). */
  readonly seed?: number;
}

/** The latent posterior of a batch: means and log-variances, each `[n, latentDim]`. */
export interface LatentPosterior {
  /** Posterior means. */
  readonly mu: tf.Tensor2D;
  /** Posterior log-variances `log sigma^2`. */
  readonly logVar: tf.Tensor2D;
}

/** @internal Validated likelihood settings (default Bernoulli; `gaussianStd` only with `'gaussian'`). */
export function checkLikelihood(options: VaeLikelihoodOptions): { likelihood: VaeLikelihood; gaussianStd: number } {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', `VAE options must be an object such as { latentDim: 16, seed: 1 }, got ${String(options)}.`);
  }
  const likelihood = options.likelihood ?? 'bernoulli';
  if (likelihood !== 'bernoulli' && likelihood !== 'gaussian') {
    throw new InvalidArgumentError('likelihood', `likelihood must be 'bernoulli' or 'gaussian', got ${JSON.stringify(likelihood)}.`);
  }
  const gaussianStd = options.gaussianStd ?? DEFAULT_GAUSSIAN_STD;
  if (typeof gaussianStd !== 'number' || !(gaussianStd > 0) || !Number.isFinite(gaussianStd)) {
    throw new InvalidArgumentError('gaussianStd', `gaussianStd must be a positive finite number, got ${String(gaussianStd)}.`);
  }
  if (options.gaussianStd !== undefined && likelihood !== 'gaussian') {
    throw new InvalidArgumentError('gaussianStd', "gaussianStd applies to likelihood 'gaussian' only; pass likelihood: 'gaussian' or drop gaussianStd.");
  }
  return { likelihood, gaussianStd };
}

/**
 * A VAE over two LayersModels. The encoder maps `[n, h, w, c]` images to `[n, 2 * latentDim]`
 * (means, then log-variances); the decoder, exposed as `generator` so `saveGenerator` and
 * `loadGenerator` treat it as any generator, maps `[n, latentDim]` to images and must end in a
 * `tanh` Activation layer, whose input is the pre-activation the loss reads (see `reconstructionNll`).
 */
export class VaeModel implements ImageGenerator {
  /** Marks the model as a VAE (what the VAE objective checks). */
  readonly family = 'vae' as const;
  readonly latentDim: number;
  readonly imageShape: ImageShape;
  readonly numClasses: number | undefined = undefined;
  /** The likelihood the loss uses. */
  readonly likelihood: VaeLikelihood;
  /** Std of the Gaussian likelihood (used only when `likelihood` is `'gaussian'`). */
  readonly gaussianStd: number;
  private readonly preActivation: tfl.LayersModel;
  private readonly defaultSampler: Sampler;

  constructor(
    /** Images to `[n, 2 * latentDim]`: posterior means then log-variances. */
    readonly encoder: tfl.LayersModel,
    /** The decoder, z to images in [-1, 1] (named `generator` as in a GAN). */
    readonly generator: tfl.LayersModel,
    options: VaeLikelihoodOptions = {},
  ) {
    ({ likelihood: this.likelihood, gaussianStd: this.gaussianStd } = checkLikelihood(options));
    const zIn = shapeOf(generator, 'input');
    if (zIn.length !== 2 || zIn[1] === null) {
      throw new ShapeMismatchError(`The decoder must take latents [batch, latentDim], got [${zIn.join(', ')}].`, [null, -1], zIn);
    }
    this.latentDim = zIn[1] as number;
    this.imageShape = toImageShape(shapeOf(generator, 'output'), 'The decoder');
    const eIn = shapeOf(encoder, 'input');
    if (eIn.length !== 4 || this.imageShape.some((d, i) => eIn[i + 1] !== d)) {
      throw new ShapeMismatchError(
        `The encoder takes [${eIn.join(', ')}] but the decoder makes [n, ${this.imageShape.join(', ')}]; make them equal.`,
        [null, ...this.imageShape],
        eIn,
      );
    }
    const eOut = shapeOf(encoder, 'output');
    if (eOut.length !== 2 || eOut[1] !== 2 * this.latentDim) {
      throw new ShapeMismatchError(
        `The encoder must output [batch, 2 * latentDim] = [batch, ${2 * this.latentDim}] (means, then log-variances), got [${eOut.join(', ')}].`,
        [null, 2 * this.latentDim],
        eOut,
      );
    }
    const last = generator.layers[generator.layers.length - 1];
    if (last?.getClassName() !== 'Activation' || last.getConfig().activation !== 'tanh') {
      throw new InvalidArgumentError('generator', "The decoder's last layer must be tfl.layers.activation({ activation: 'tanh' }); the loss reads its input.");
    }
    this.preActivation = tfl.model({ inputs: generator.inputs, outputs: last.input as tfl.SymbolicTensor });
    this.defaultSampler = normalSampler(this.latentDim);
  }

  /** The decoder (the same object as `generator`). */
  get decoder(): tfl.LayersModel {
    return this.generator;
  }

  generate(z: tf.Tensor2D, _labels?: tf.Tensor1D, training = false): tf.Tensor4D {
    checkLatents(z, this.latentDim);
    return this.generator.apply(z, { training }) as tf.Tensor4D;
  }

  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    return sampleFrom(this, this.defaultSampler, n, options);
  }

  /** The decoder's pre-activation `a` for latents `z` (images are `tanh(a)`); what the loss reads. */
  decodePreActivation(z: tf.Tensor2D, training = false): tf.Tensor4D {
    checkLatents(z, this.latentDim);
    return this.preActivation.apply(z, { training }) as tf.Tensor4D;
  }

  /** Encodes images in [-1, 1] to their posterior; the caller disposes both tensors. */
  encode(images: tf.Tensor4D, training = false): LatentPosterior {
    checkImages(images, this.imageShape);
    const [mu, logVar] = tf.tidy(() => {
      const out = this.encoder.apply(images, { training }) as tf.Tensor2D;
      return tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    });
    return { mu, logVar };
  }

  /** Encodes and decodes images; decodes the posterior mean unless `options.seed` asks for a sampled `z`. */
  reconstruct(images: tf.Tensor4D, options: ReconstructOptions = {}): tf.Tensor4D {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(images);
      const z = options.seed === undefined ? mu : reparameterize(mu, logVar, options.seed);
      return this.generate(z);
    });
  }

  /** The encoder's trainable variables. */
  encoderVariables(): tf.Variable[] {
    return variablesOf(this.encoder);
  }

  /** The decoder's trainable variables. */
  decoderVariables(): tf.Variable[] {
    return variablesOf(this.generator);
  }

  dispose(): void {
    this.encoder.dispose();
    this.generator.dispose();
  }
}

/** `z = mu + exp(logVar / 2) * eps` with `eps ~ N(0, 1)` drawn from the tfjs op seed `seed` (the same seed gives the same `z` on every backend). */
export function reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed);
    return tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
  });
}

/** True when `model` is a {@link VaeModel} (or any object marked `family: 'vae'` with the same methods). */
export function isVae(model: unknown): model is VaeModel {
  const m = model as Partial<VaeModel> | null | undefined;
  return m?.family === 'vae' && typeof m.encode === 'function' && typeof m.decodePreActivation === 'function';
}

/** Makes a {@link VaeModel} from your own encoder and decoder LayersModels (see the class for the shapes they need). */
export function vaeFromLayers(encoder: tfl.LayersModel, decoder: tfl.LayersModel, options: VaeLikelihoodOptions = {}): VaeModel {
  return new VaeModel(encoder, decoder, options);
}

registerModelKind('vae', {
  describe: (m) =>
    m instanceof VaeModel ? { config: { likelihood: m.likelihood, gaussianStd: m.gaussianStd }, networks: { encoder: m.encoder, decoder: m.generator } } : undefined,
  restore: (config, n) => {
    const { likelihood, gaussianStd } = config as { likelihood?: unknown; gaussianStd?: unknown };
    const encoder = n['encoder'];
    const decoder = n['decoder'];
    if ((likelihood !== 'bernoulli' && likelihood !== 'gaussian') || typeof gaussianStd !== 'number' || encoder === undefined || decoder === undefined) {
      throw new ModelFormatError(`The checkpoint's VAE (${JSON.stringify(config)}, networks ${Object.keys(n).join(', ')}) lacks a likelihood, gaussianStd, the encoder or the decoder; it is corrupted.`);
    }
    return new VaeModel(encoder, decoder, likelihood === 'gaussian' ? { likelihood, gaussianStd } : {});
  },
});
