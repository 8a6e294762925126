import { tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { LayersGanModel } from './layers-gan.js';
import { glorotInitializers } from './init.js';
import { spectralNormalization } from './layers/spectral-norm.js';
import { minibatchStdDev } from './layers/minibatch-std.js';
import type { ImageShape, LayersGan } from './types.js';
import { checkKeys } from '../options.js';

/** Options of {@link mlpGan}; the defaults reproduce the reference architecture. */
export interface MlpGanOptions {
  /** Latent width. Default 100. */
  readonly latentDim?: number;
  /** Image shape `[h, w, c]`. Default `[28, 28, 1]`. */
  readonly imageShape?: ImageShape;
  /** Hidden ReLU layer widths of G. Default `[128, 784]`. */
  readonly generatorUnits?: readonly number[];
  /** Hidden ReLU layer widths of D. Default `[128]`. */
  readonly discriminatorUnits?: readonly number[];
  /** Seed for weight initialization; the same seed gives the same initial weights. Default: unseeded. */
  readonly seed?: number;
  /** Activation of G's hidden layers. Default `'relu'` (the article's); `'leakyRelu'` uses slope {@link MlpGanOptions.leakyAlpha}. */
  readonly generatorActivation?: 'relu' | 'leakyRelu';
  /** Batch normalization after each of G's hidden Dense layers, before the activation (as in DCGAN). Default false. */
  readonly generatorBatchNorm?: boolean;
  /** Activation of D's hidden layers. Default `'relu'` (the article's); `'leakyRelu'` uses slope {@link MlpGanOptions.leakyAlpha}. */
  readonly discriminatorActivation?: 'relu' | 'leakyRelu';
  /** Negative slope of D's LeakyReLU. Default 0.2. */
  readonly leakyAlpha?: number;
  /** Dropout rate after each of D's hidden layers (training only; tfjs' unseeded masks, so runs with it do not repeat exactly). Default 0 (none). */
  readonly dropout?: number;
  /** Wraps every Dense layer of D in {@link SpectralNormalization}. Default false. */
  readonly spectralNorm?: boolean;
  /** Adds a {@link MinibatchStdDev} feature (group size 4, or the given one) before D's output layer. Default false. */
  readonly minibatchStd?: boolean | { readonly groupSize?: number };
}

function checkUnits(name: string, units: readonly number[]): void {
  if (units.some((u) => !Number.isInteger(u) || u <= 0)) {
    throw new InvalidArgumentError(name, `${name} must be positive integers, got [${units.join(', ')}].`);
  }
}

/**
 * The reference MLP GAN: G is z(100) -> Dense128 relu -> Dense784 relu -> Dense784 tanh ->
 * 28x28x1; D is Flatten -> Dense128 relu -> Dense1 (a logit: the sigmoid lives in the loss).
 * D's options (LeakyReLU, dropout, spectral norm, a minibatch-std feature) are off by default.
 */
export function mlpGan(options: MlpGanOptions = {}): LayersGan {
  checkKeys('mlpGan', options, { latentDim: true, imageShape: true, generatorUnits: true, discriminatorUnits: true, seed: true, discriminatorActivation: true, leakyAlpha: true, dropout: true, spectralNorm: true, minibatchStd: true, generatorActivation: true, generatorBatchNorm: true });
  const latentDim = options.latentDim ?? 100;
  const imageShape = options.imageShape ?? ([28, 28, 1] as const);
  const gUnits = options.generatorUnits ?? [128, 784];
  const dUnits = options.discriminatorUnits ?? [128];
  if (!Number.isInteger(latentDim) || latentDim <= 0) {
    throw new InvalidArgumentError('latentDim', `latentDim must be a positive integer, got ${latentDim}.`);
  }
  if (imageShape.length !== 3 || imageShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new InvalidArgumentError('imageShape', `imageShape must be [height, width, channels], got [${imageShape.join(', ')}].`);
  }
  checkUnits('generatorUnits', gUnits);
  checkUnits('discriminatorUnits', dUnits);
  const dActivation = options.discriminatorActivation ?? 'relu';
  if (dActivation !== 'relu' && dActivation !== 'leakyRelu') {
    throw new InvalidArgumentError('discriminatorActivation', `discriminatorActivation must be 'relu' or 'leakyRelu', got ${String(dActivation)}.`);
  }
  const gActivation = options.generatorActivation ?? 'relu';
  if (gActivation !== 'relu' && gActivation !== 'leakyRelu') {
    throw new InvalidArgumentError('generatorActivation', `generatorActivation must be 'relu' or 'leakyRelu', got ${String(gActivation)}.`);
  }
  const alpha = options.leakyAlpha ?? 0.2;
  if (!(alpha >= 0 && alpha < 1)) throw new InvalidArgumentError('leakyAlpha', `leakyAlpha must be in [0, 1), got ${String(alpha)}.`);
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new InvalidArgumentError('dropout', `dropout must be in [0, 1), got ${String(dropout)}.`);
  const init = glorotInitializers(options.seed);
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];
  const outputWeights = pixels * (gUnits[gUnits.length - 1] ?? latentDim);
  if (outputWeights > 2 ** 28) {
    throw new InvalidArgumentError(
      'imageShape',
      `imageShape [${imageShape.join(', ')}] gives G's output layer ${outputWeights.toExponential(2)} weights, over the 2^28 (1 GiB) an MLP GAN may hold; ` +
        'use smaller images, fewer generatorUnits, or dcgan() for large images.',
    );
  }

  const generator = tfl.sequential({ name: 'generator' });
  const plainG = gActivation === 'relu' && options.generatorBatchNorm !== true;
  gUnits.forEach((units, i) => {
    generator.add(
      tfl.layers.dense({
        units,
        ...(plainG ? { activation: 'relu' as const } : {}),
        kernelInitializer: init(),
        ...(i === 0 ? { inputShape: [latentDim] } : {}),
      }),
    );
    if (plainG) return;
    if (options.generatorBatchNorm === true) generator.add(tfl.layers.batchNormalization());
    generator.add(gActivation === 'relu' ? tfl.layers.reLU() : tfl.layers.leakyReLU({ alpha }));
  });
  generator.add(
    tfl.layers.dense({
      units: pixels,
      activation: 'tanh',
      kernelInitializer: init(),
      ...(gUnits.length === 0 ? { inputShape: [latentDim] } : {}),
    }),
  );
  generator.add(tfl.layers.reshape({ targetShape: [...imageShape] }));

  const discriminator = tfl.sequential({ name: 'discriminator' });
  discriminator.add(tfl.layers.flatten({ inputShape: [...imageShape] }));
  let snIndex = 0;
  const dense = (units: number, activation?: 'relu'): tfl.layers.Layer => {
    const layer = tfl.layers.dense({ units, kernelInitializer: init(), ...(activation ? { activation } : {}) });
    if (options.spectralNorm !== true) return layer;
    return spectralNormalization({ layer, ...(options.seed === undefined ? {} : { seed: options.seed * 1000 + 500 + snIndex++ }) });
  };
  for (const units of dUnits) {
    if (dActivation === 'relu') {
      discriminator.add(dense(units, 'relu'));
    } else {
      discriminator.add(dense(units));
      discriminator.add(tfl.layers.leakyReLU({ alpha }));
    }
    if (dropout > 0) discriminator.add(tfl.layers.dropout({ rate: dropout }));
  }
  if (options.minibatchStd !== undefined && options.minibatchStd !== false) {
    const groupSize = options.minibatchStd === true ? 4 : (options.minibatchStd.groupSize ?? 4);
    discriminator.add(minibatchStdDev({ groupSize }));
  }
  discriminator.add(dense(1));
  return new LayersGanModel(generator, discriminator);
}
