import { tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { LayersGanModel } from './layers-gan.js';
import { glorotInitializers } from './init.js';
import type { ImageShape, LayersGan } from './types.js';

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
}

function checkUnits(name: string, units: readonly number[]): void {
  if (units.some((u) => !Number.isInteger(u) || u <= 0)) {
    throw new InvalidArgumentError(name, `${name} must be positive integers, got [${units.join(', ')}].`);
  }
}

/**
 * The reference MLP GAN: G is z(100) -> Dense128 relu -> Dense784 relu -> Dense784 tanh ->
 * 28x28x1; D is Flatten -> Dense128 relu -> Dense1 (a logit: the sigmoid lives in the loss).
 */
export function mlpGan(options: MlpGanOptions = {}): LayersGan {
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
  gUnits.forEach((units, i) =>
    generator.add(
      tfl.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: init(),
        ...(i === 0 ? { inputShape: [latentDim] } : {}),
      }),
    ),
  );
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
  for (const units of dUnits) {
    discriminator.add(tfl.layers.dense({ units, activation: 'relu', kernelInitializer: init() }));
  }
  discriminator.add(tfl.layers.dense({ units: 1, kernelInitializer: init() }));
  return new LayersGanModel(generator, discriminator);
}
