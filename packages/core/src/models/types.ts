import type { tf, tfl } from '../tf.js';
import type { Sampler } from '../sampling/sampler.js';

/** Height, width, channels of one image. */
export type ImageShape = readonly [number, number, number];

/** Options of {@link ImageGenerator.sample}. */
export interface GenerateOptions {
  /** Seed for the latents; the same seed gives the same images. Default: the model's own seeded stream. */
  readonly seed?: number;
  /** Latent sampler to draw `z` with. Default: N(0, 1). */
  readonly sampler?: Sampler;
  /** Class labels, one per image, for conditional models. A tensor is read back synchronously to check the labels, so on WebGPU in Node pass an array. */
  readonly labels?: ArrayLike<number> | tf.Tensor1D;
}

/** Anything that turns latent vectors into images: a full GAN or a loaded generator. */
export interface ImageGenerator {
  /** Width of the latent vector `z`. */
  readonly latentDim: number;
  /** Shape of one generated image `[height, width, channels]`. */
  readonly imageShape: ImageShape;
  /** Number of classes for conditional models; undefined for unconditional ones. */
  readonly numClasses: number | undefined;
  /** Runs the generator on given latents; returns images in [-1, 1]. */
  generate(z: tf.Tensor2D, labels?: tf.Tensor1D, training?: boolean): tf.Tensor4D;
  /** Draws `n` latents and returns `[n, h, w, c]` images in [-1, 1]; the caller disposes them. */
  sample(n: number, options?: GenerateOptions): tf.Tensor4D;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * A generator G and a discriminator D trained against each other, as the Trainer sees them:
 * two functions and their variables. D returns logits `[n, 1]`. Built from LayersModels
 * ({@link LayersGan}: `mlpGan`, `dcgan`, `ganFromLayers`) or from plain functions over
 * variables (`ganFromFunctions`).
 */
export interface GanModel extends ImageGenerator {
  /** The generator network when it is a LayersModel; undefined for function-based models. */
  readonly generator?: tfl.LayersModel;
  /** The discriminator network (logits) when it is a LayersModel; undefined for function-based models. */
  readonly discriminator?: tfl.LayersModel;
  /** Runs D on images; returns logits `[n, 1]`. */
  discriminate(images: tf.Tensor4D, labels?: tf.Tensor1D, training?: boolean): tf.Tensor2D;
  /** G's trainable variables, for its optimizer. */
  generatorVariables(): tf.Variable[];
  /** D's trainable variables, for its optimizer. */
  discriminatorVariables(): tf.Variable[];
  /**
   * Every variable of G that a checkpoint must hold, trainable or not (e.g. batch-norm
   * statistics), in a fixed order. Default: `generator.weights`, else {@link generatorVariables}.
   */
  generatorWeights?(): tf.Variable[];
  /** Every variable of D that a checkpoint must hold; defaults as for {@link generatorWeights}. */
  discriminatorWeights?(): tf.Variable[];
}

/** A {@link GanModel} whose G and D are tfjs-layers models (what the built-in factories return). */
export interface LayersGan extends GanModel {
  /** The generator network. */
  readonly generator: tfl.LayersModel;
  /** The discriminator network (outputs logits; the sigmoid lives in the loss). */
  readonly discriminator: tfl.LayersModel;
}

/** Every variable of one network that checkpoints and the divergence guard cover (see {@link GanModel.generatorWeights}). */
export function networkWeights(model: GanModel, which: 'generator' | 'discriminator'): tf.Variable[] {
  const own = which === 'generator' ? model.generatorWeights : model.discriminatorWeights;
  if (typeof own === 'function') return own.call(model);
  const net = model[which];
  if (net !== undefined) return net.weights.map((w) => w.read() as tf.Variable);
  return which === 'generator' ? model.generatorVariables() : model.discriminatorVariables();
}

/**
 * A conditional GAN whose D also predicts the class of each image (ACGAN, Odena et al. 2017).
 * The Trainer adds {@link auxiliaryClassLoss} to both networks' losses for such models.
 */
export interface AuxiliaryClassifierGan extends GanModel {
  /** Always true; marks the model as having D's auxiliary class head. */
  readonly auxiliaryClassifier: true;
  /** Runs D once; returns its real/fake logits `[n, 1]` and class logits `[n, numClasses]`. */
  discriminateWithClasses(images: tf.Tensor4D, training?: boolean): { logits: tf.Tensor2D; classLogits: tf.Tensor2D };
}

/** True when `model` has an auxiliary classifier head (ACGAN). */
export function hasAuxiliaryClassifier(model: GanModel): model is AuxiliaryClassifierGan {
  return (model as Partial<AuxiliaryClassifierGan>).auxiliaryClassifier === true &&
    typeof (model as Partial<AuxiliaryClassifierGan>).discriminateWithClasses === 'function';
}
