/** The models the page can train, by id, and the architecture of the shipped generator. */
import { dcgan, mlpGan, type LayersGan } from '@aigc/core';
import { PRETRAINED } from './pretrained-config.js';

/** A model the page offers in its model menu. */
export interface ModelChoice {
  /** Id used in messages and the menu. */
  readonly id: string;
  /** Label shown to people. */
  readonly label: string;
  /** Builds a fresh, seeded model for `[size, size, channels]` images (Fashion-MNIST: `[28, 28, 1]`). */
  readonly create: (seed: number, imageShape: readonly [number, number, number]) => LayersGan;
}

/** Every model the page can train; the first is the default. */
export const MODEL_CHOICES: readonly ModelChoice[] = [
  { id: 'mlp', label: 'Reference MLP GAN', create: (seed, imageShape) => mlpGan({ seed, imageShape }) },
  {
    id: 'dcgan',
    label: 'DCGAN (convolutional)',
    create: (seed, [size, , channels]) => dcgan({ seed, resolution: size, channels }),
  },
  {
    id: 'dcgan-small',
    label: 'DCGAN, half width (faster)',
    create: (seed, [size, , channels]) => dcgan({ seed, resolution: size, channels, generatorFilters: 32, discriminatorFilters: 32 }),
  },
];

/** Finds a model by id, falling back to the default. */
export function modelChoice(id: string): ModelChoice {
  return MODEL_CHOICES.find((m) => m.id === id) ?? (MODEL_CHOICES[0] as ModelChoice);
}

/**
 * The conditional DCGAN whose EMA generator ships with the page (see scripts/pretrain.ts): 28x28x1,
 * one of Fashion-MNIST's 10 classes joined to z, a projection discriminator with spectral norm.
 */
export function pretrainedGan(): LayersGan {
  return dcgan({
    latentDim: PRETRAINED.latentDim,
    numClasses: PRETRAINED.classNames.length,
    generatorFilters: PRETRAINED.generatorFilters,
    discriminatorFilters: PRETRAINED.discriminatorFilters,
    spectralNorm: true,
    seed: PRETRAINED.seed,
  });
}
