/** Built-in VAE architectures: the article-sized MLP and a small convolutional one. */
import { tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { dcganStages } from './dcgan.js';
import { glorotInitializers } from './init.js';
import { VaeModel, checkLikelihood, type VaeLikelihoodOptions } from './vae.js';
import type { ImageShape } from './types.js';

/** Options shared by {@link mlpVae} and {@link convVae}. */
export interface VaeOptions extends VaeLikelihoodOptions {
  /** Image shape `[h, w, c]`. Default `[28, 28, 1]`. */
  readonly imageShape?: ImageShape;
  /** Seed of the Glorot-uniform weight initialization; the same seed gives the same weights. Default: unseeded. */
  readonly seed?: number;
}

/** Options of {@link mlpVae}; the defaults are the article's sizes. */
export interface MlpVaeOptions extends VaeOptions {
  /** Latent width. Default 100. */
  readonly latentDim?: number;
  /** Hidden ReLU widths of the encoder. Default `[128]`. */
  readonly encoderUnits?: readonly number[];
  /** Hidden ReLU widths of the decoder. Default `[128, 784]` (the article's G). */
  readonly decoderUnits?: readonly number[];
}

/** Options of {@link convVae}. */
export interface ConvVaeOptions extends VaeOptions {
  /** Latent width. Default 32. */
  readonly latentDim?: number;
  /** Filters of the encoder's first convolution; they double per stride-2 stage (mirrored in the decoder). Default 32. */
  readonly filters?: number;
  /** Convolution kernel size. Default 4. */
  readonly kernelSize?: number;
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${typeof value === 'string' ? `the string "${value}"` : String(value)}.`);
  }
  return value;
}

/** Checks `[h, w, c]` and caps its size so a typo cannot allocate gigabytes. */
function checkImageShape(shape: ImageShape): ImageShape {
  if (!Array.isArray(shape) || shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new InvalidArgumentError('imageShape', `imageShape must be [height, width, channels] of positive integers, got ${JSON.stringify(shape)}.`);
  }
  if (shape[0] * shape[1] * shape[2] > 2 ** 24) {
    throw new InvalidArgumentError('imageShape', `imageShape [${shape.join(', ')}] has more than 2^24 values per image; use smaller images.`);
  }
  return shape;
}

function checkUnits(name: string, units: readonly number[]): readonly number[] {
  if (!Array.isArray(units)) throw new InvalidArgumentError(name, `${name} must be an array of positive integers, got ${String(units)}.`);
  units.forEach((u, i) => positive(`${name}[${i}]`, u));
  return units;
}

/**
 * The article-sized MLP VAE. Encoder: Flatten -> Dense128 relu -> Dense(2 * latentDim) (means,
 * log-variances). Decoder, the article's G: z(100) -> Dense128 relu -> Dense784 relu -> Dense784
 * -> Reshape 28x28x1 -> tanh (images in [-1, 1]; with the default Bernoulli likelihood the loss
 * reads `2a` as logits, so the image is the Bernoulli mean mapped to [-1, 1]).
 */
export function mlpVae(options: MlpVaeOptions = {}): VaeModel {
  checkLikelihood(options);
  const latentDim = positive('latentDim', options.latentDim ?? 100);
  const imageShape = checkImageShape(options.imageShape ?? [28, 28, 1]);
  const eUnits = checkUnits('encoderUnits', options.encoderUnits ?? [128]);
  const dUnits = checkUnits('decoderUnits', options.decoderUnits ?? [128, 784]);
  const init = glorotInitializers(options.seed);
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];

  const encoder = tfl.sequential({ name: 'encoder' });
  encoder.add(tfl.layers.flatten({ inputShape: [...imageShape] }));
  for (const units of eUnits) encoder.add(tfl.layers.dense({ units, activation: 'relu', kernelInitializer: init() }));
  encoder.add(tfl.layers.dense({ units: 2 * latentDim, kernelInitializer: init(), name: 'posterior' }));

  const decoder = tfl.sequential({ name: 'generator' });
  const first = { inputShape: [latentDim] };
  dUnits.forEach((units, i) => decoder.add(tfl.layers.dense({ units, activation: 'relu', kernelInitializer: init(), ...(i === 0 ? first : {}) })));
  decoder.add(tfl.layers.dense({ units: pixels, kernelInitializer: init(), ...(dUnits.length === 0 ? first : {}) }));
  decoder.add(tfl.layers.reshape({ targetShape: [...imageShape] }));
  decoder.add(tfl.layers.activation({ activation: 'tanh' }));
  return new VaeModel(encoder, decoder, options);
}

/**
 * A convolutional VAE for square images of side `b * 2^k` (b in 4..7, as {@link dcgan}). For
 * 28x28x1: encoder Conv32 k4 s2 relu -> Conv64 k4 s2 relu -> Flatten -> Dense(2 * latentDim);
 * decoder z -> Dense 7x7x64 relu -> ConvTranspose32 k4 s2 relu -> ConvTranspose1 k4 s2 -> tanh.
 */
export function convVae(options: ConvVaeOptions = {}): VaeModel {
  checkLikelihood(options);
  const latentDim = positive('latentDim', options.latentDim ?? 32);
  const imageShape = checkImageShape(options.imageShape ?? [28, 28, 1]);
  const filters = positive('filters', options.filters ?? 32);
  const kernelSize = positive('kernelSize', options.kernelSize ?? 4);
  const [h, w, channels] = imageShape;
  if (h !== w) throw new InvalidArgumentError('imageShape', `convVae needs square images, got ${h}x${w}; use mlpVae or resize.`);
  const { base, stages } = dcganStages(h);
  const init = glorotInitializers(options.seed);
  const conv = { kernelSize, strides: 2, padding: 'same' as const };

  const encoder = tfl.sequential({ name: 'encoder' });
  for (let i = 0; i < stages; i++) {
    encoder.add(tfl.layers.conv2d({ ...conv, filters: filters * 2 ** i, activation: 'relu', kernelInitializer: init(), ...(i === 0 ? { inputShape: [...imageShape] } : {}) }));
  }
  encoder.add(tfl.layers.flatten());
  encoder.add(tfl.layers.dense({ units: 2 * latentDim, kernelInitializer: init(), name: 'posterior' }));

  const top = filters * 2 ** (stages - 1);
  const decoder = tfl.sequential({ name: 'generator' });
  decoder.add(tfl.layers.dense({ units: base * base * top, activation: 'relu', kernelInitializer: init(), inputShape: [latentDim] }));
  decoder.add(tfl.layers.reshape({ targetShape: [base, base, top] }));
  for (let i = stages - 2; i >= 0; i--) {
    decoder.add(tfl.layers.conv2dTranspose({ ...conv, filters: filters * 2 ** i, activation: 'relu', kernelInitializer: init() }));
  }
  decoder.add(tfl.layers.conv2dTranspose({ ...conv, filters: channels, kernelInitializer: init() }));
  decoder.add(tfl.layers.activation({ activation: 'tanh' }));
  return new VaeModel(encoder, decoder, options);
}
