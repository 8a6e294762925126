import { tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { ConditionalGanModel } from './conditional-gan.js';
import { LayersGanModel } from './layers-gan.js';
import { normalInitializers } from './init.js';
import type { LayersGan } from './types.js';
import { checkKeys } from '../options.js';

/** How a conditional DCGAN's D uses the class label. */
export type DiscriminatorConditioning = 'projection' | 'concat' | 'acgan';

/** Options of {@link dcgan}; the defaults are the standard 28x28x1 pair. */
export interface DcganOptions {
  /** Latent width. Default 100. */
  readonly latentDim?: number;
  /** Image height and width: 28, 32, 64, or any `b * 2^k` with `b` in 4..7 and `k >= 1`. Default 28. */
  readonly resolution?: number;
  /** Image channels. Default 1. */
  readonly channels?: number;
  /** Filters of G's last hidden layer; they double toward the input. Default 64. */
  readonly generatorFilters?: number;
  /** Filters of D's first convolution; they double with each stride-2 layer. Default 64. */
  readonly discriminatorFilters?: number;
  /** Convolution kernel size. Default 5. */
  readonly kernelSize?: number;
  /** Slope of LeakyReLU for negative inputs. Default 0.2. */
  readonly leakyAlpha?: number;
  /** Seed of the N(0, 0.02) weight initialization (the DCGAN paper's). Default: unseeded. */
  readonly seed?: number;
  /** Makes the model class-conditional: G gets the one-hot label joined to z. Default: unconditional. */
  readonly numClasses?: number;
  /**
   * How D uses the label: `'projection'` (Miyato & Koyama 2018, default), `'concat'` (one-hot
   * maps joined to the image channels) or `'acgan'` (no label input; an auxiliary class head).
   */
  readonly conditioning?: DiscriminatorConditioning;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

/** Splits a resolution into a base size (4..7) and a number of stride-2 stages. */
export function dcganStages(resolution: number): { base: number; stages: number } {
  let base = resolution;
  let stages = 0;
  while (Number.isInteger(base) && base % 2 === 0 && base / 2 >= 4) {
    base /= 2;
    stages++;
  }
  if (!Number.isInteger(resolution) || stages === 0 || base > 7) {
    throw new InvalidArgumentError(
      'resolution',
      `resolution must be 28, 32, 64 or another b * 2^k (b in 4..7, k >= 1), got ${String(resolution)}.`,
    );
  }
  return { base, stages };
}

/**
 * The DCGAN pair (Radford et al. 2016). For 28x28x1, G is z -> Dense 7x7x128 -> BN -> LeakyReLU
 * -> ConvTranspose 64 k5 s2 -> BN -> LeakyReLU -> ConvTranspose 1 k5 s2 -> tanh, and D is
 * Conv 64 k5 s2 -> LeakyReLU -> Conv 128 k5 s2 -> LeakyReLU -> Flatten -> Dense 1 (a logit). Larger
 * resolutions add stride-2 stages. With `numClasses` it returns a conditional model.
 */
export function dcgan(options: DcganOptions = {}): LayersGan {
  checkKeys('dcgan', options, { latentDim: true, resolution: true, channels: true, generatorFilters: true, discriminatorFilters: true, kernelSize: true, leakyAlpha: true, seed: true, numClasses: true, conditioning: true });
  const latentDim = positive('latentDim', options.latentDim ?? 100);
  const resolution = options.resolution ?? 28;
  const channels = positive('channels', options.channels ?? 1);
  const gf = positive('generatorFilters', options.generatorFilters ?? 64);
  const df = positive('discriminatorFilters', options.discriminatorFilters ?? 64);
  const kernelSize = positive('kernelSize', options.kernelSize ?? 5);
  const alpha = options.leakyAlpha ?? 0.2;
  if (!(alpha >= 0 && alpha < 1)) throw new InvalidArgumentError('leakyAlpha', `leakyAlpha must be in [0, 1), got ${String(alpha)}.`);
  const k = options.numClasses;
  if (k !== undefined && (!Number.isInteger(k) || k < 2)) {
    throw new InvalidArgumentError('numClasses', `numClasses must be an integer >= 2, got ${String(k)}.`);
  }
  if (options.conditioning !== undefined && k === undefined) {
    throw new InvalidArgumentError('conditioning', 'conditioning needs numClasses; pass both or neither.');
  }
  const conditioning = options.conditioning ?? 'projection';
  if (!['projection', 'concat', 'acgan'].includes(conditioning)) {
    throw new InvalidArgumentError('conditioning', `conditioning must be 'projection', 'concat' or 'acgan', got ${String(conditioning)}.`);
  }
  const { base, stages } = dcganStages(resolution);
  const init = normalInitializers(options.seed);
  const leaky = () => tfl.layers.leakyReLU({ alpha });

  // Generator
  const z = tfl.input({ shape: [latentDim], name: 'z' });
  const gLabel = k === undefined ? undefined : tfl.input({ shape: [k], name: 'label_one_hot' });
  let g: tfl.SymbolicTensor = gLabel === undefined ? z : (tfl.layers.concatenate().apply([z, gLabel]) as tfl.SymbolicTensor);
  const top = gf * 2 ** (stages - 1);
  g = tfl.layers.dense({ units: base * base * top, useBias: false, kernelInitializer: init() }).apply(g) as tfl.SymbolicTensor;
  g = tfl.layers.batchNormalization().apply(g) as tfl.SymbolicTensor;
  g = leaky().apply(g) as tfl.SymbolicTensor;
  g = tfl.layers.reshape({ targetShape: [base, base, top] }).apply(g) as tfl.SymbolicTensor;
  for (let i = 1; i < stages; i++) {
    const filters = gf * 2 ** (stages - 1 - i);
    const conv = tfl.layers.conv2dTranspose({ filters, kernelSize, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() });
    g = conv.apply(g) as tfl.SymbolicTensor;
    g = tfl.layers.batchNormalization().apply(g) as tfl.SymbolicTensor;
    g = leaky().apply(g) as tfl.SymbolicTensor;
  }
  const out = tfl.layers.conv2dTranspose({ filters: channels, kernelSize, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init() });
  g = out.apply(g) as tfl.SymbolicTensor;
  const generator = tfl.model({ inputs: gLabel === undefined ? z : [z, gLabel], outputs: g, name: 'generator' });

  // Discriminator
  const image = tfl.input({ shape: [resolution, resolution, channels], name: 'image' });
  const dLabel = k === undefined || conditioning === 'acgan' ? undefined : tfl.input({ shape: [k], name: 'label_one_hot' });
  let d: tfl.SymbolicTensor = image;
  if (dLabel !== undefined && conditioning === 'concat') {
    let maps = tfl.layers.repeatVector({ n: resolution * resolution }).apply(dLabel) as tfl.SymbolicTensor;
    maps = tfl.layers.reshape({ targetShape: [resolution, resolution, k as number] }).apply(maps) as tfl.SymbolicTensor;
    d = tfl.layers.concatenate({ axis: -1 }).apply([image, maps]) as tfl.SymbolicTensor;
  }
  for (let i = 0; i < stages; i++) {
    const conv = tfl.layers.conv2d({ filters: df * 2 ** i, kernelSize, strides: 2, padding: 'same', kernelInitializer: init() });
    d = leaky().apply(conv.apply(d)) as tfl.SymbolicTensor;
  }
  const features = tfl.layers.flatten().apply(d) as tfl.SymbolicTensor;
  let logit = tfl.layers.dense({ units: 1, kernelInitializer: init(), name: 'logit' }).apply(features) as tfl.SymbolicTensor;
  if (dLabel !== undefined && conditioning === 'projection') {
    const featureCount = features.shape[1] as number;
    const embedded = tfl.layers.dense({ units: featureCount, useBias: false, kernelInitializer: init(), name: 'class_embedding' }).apply(dLabel);
    const projection = tfl.layers.dot({ axes: 1 }).apply([embedded as tfl.SymbolicTensor, features]) as tfl.SymbolicTensor;
    logit = tfl.layers.add().apply([logit, projection]) as tfl.SymbolicTensor;
  }
  const outputs =
    conditioning === 'acgan' && k !== undefined
      ? [logit, tfl.layers.dense({ units: k, kernelInitializer: init(), name: 'class_logits' }).apply(features) as tfl.SymbolicTensor]
      : logit;
  const discriminator = tfl.model({ inputs: dLabel === undefined ? image : [image, dLabel], outputs, name: 'discriminator' });

  if (k === undefined) return new LayersGanModel(generator, discriminator);
  return new ConditionalGanModel(generator, discriminator, { numClasses: k, auxiliaryClassifier: conditioning === 'acgan' });
}
