import { tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { ConditionalGanModel } from './conditional-gan.js';
import { LayersGanModel } from './layers-gan.js';
import { normalInitializers } from './init.js';
import { spectralNormalization } from './layers/spectral-norm.js';
import { minibatchStdDev } from './layers/minibatch-std.js';
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
  /** Wraps every convolution and Dense layer of D in {@link SpectralNormalization} (Miyato et al. 2018). Default false. */
  readonly spectralNorm?: boolean;
  /** Adds a {@link MinibatchStdDev} channel (group size 4, or the given one) before D's flatten and logit. Default false. */
  readonly minibatchStd?: boolean | { readonly groupSize?: number };
  /** Dropout rate after each of D's convolutions (training only; tfjs' unseeded masks). Default 0 (none). */
  readonly dropout?: number;
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
 * resolutions add stride-2 stages. With `numClasses` it returns a conditional model. D's options
 * (spectral norm, a minibatch-std channel, dropout) are off by default.
 */
export function dcgan(options: DcganOptions = {}): LayersGan {
  checkKeys('dcgan', options, { latentDim: true, resolution: true, channels: true, generatorFilters: true, discriminatorFilters: true, kernelSize: true, leakyAlpha: true, seed: true, numClasses: true, conditioning: true, spectralNorm: true, minibatchStd: true, dropout: true });
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
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new InvalidArgumentError('dropout', `dropout must be in [0, 1), got ${String(dropout)}.`);
  const { base, stages } = dcganStages(resolution);
  const init = normalInitializers(options.seed);
  const leaky = () => tfl.layers.leakyReLU({ alpha });
  let snIndex = 0;
  /** D's weight layers, spectral-normed when asked (the wrapper takes the layer's name, the layer gets `<name>_sn`). */
  const dLayer = (layer: tfl.layers.Layer, name?: string): tfl.layers.Layer =>
    options.spectralNorm !== true
      ? layer
      : spectralNormalization({
          layer,
          ...(name === undefined ? {} : { name }),
          ...(options.seed === undefined ? {} : { seed: options.seed * 1000 + 500 + snIndex++ }),
        });
  const sn = options.spectralNorm === true;

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
    const conv = dLayer(tfl.layers.conv2d({ filters: df * 2 ** i, kernelSize, strides: 2, padding: 'same', kernelInitializer: init() }));
    d = leaky().apply(conv.apply(d)) as tfl.SymbolicTensor;
    if (dropout > 0) d = tfl.layers.dropout({ rate: dropout }).apply(d) as tfl.SymbolicTensor;
  }
  if (options.minibatchStd !== undefined && options.minibatchStd !== false) {
    const groupSize = options.minibatchStd === true ? 4 : (options.minibatchStd.groupSize ?? 4);
    d = minibatchStdDev({ groupSize }).apply(d) as tfl.SymbolicTensor;
  }
  const features = tfl.layers.flatten().apply(d) as tfl.SymbolicTensor;
  const named = (name: string) => (sn ? `${name}_sn` : name);
  let logit = dLayer(tfl.layers.dense({ units: 1, kernelInitializer: init(), name: named('logit') }), 'logit').apply(features) as tfl.SymbolicTensor;
  if (dLabel !== undefined && conditioning === 'projection') {
    const featureCount = features.shape[1] as number;
    const embedded = dLayer(
      tfl.layers.dense({ units: featureCount, useBias: false, kernelInitializer: init(), name: named('class_embedding') }),
      'class_embedding',
    ).apply(dLabel);
    const projection = tfl.layers.dot({ axes: 1 }).apply([embedded as tfl.SymbolicTensor, features]) as tfl.SymbolicTensor;
    logit = tfl.layers.add().apply([logit, projection]) as tfl.SymbolicTensor;
  }
  const outputs =
    conditioning === 'acgan' && k !== undefined
      ? [logit, dLayer(tfl.layers.dense({ units: k, kernelInitializer: init(), name: named('class_logits') }), 'class_logits').apply(features) as tfl.SymbolicTensor]
      : logit;
  const discriminator = tfl.model({ inputs: dLabel === undefined ? image : [image, dLabel], outputs, name: 'discriminator' });

  if (k === undefined) return new LayersGanModel(generator, discriminator);
  return new ConditionalGanModel(generator, discriminator, { numClasses: k, auxiliaryClassifier: conditioning === 'acgan' });
}
