/**
 * The DCGAN example's training recipes: `classic` (DCGAN's Adam(2e-4, 0.5) for both networks, EMA
 * 0.99 from step 50) and `fast` (spectral norm in D, four times G's learning rate, samples from G
 * itself), each with a hinge loss or WGAN-GP. `docs/metrics.md` has the measured FIDs of both at
 * equal step budgets, and of the EMA variants that lost to G itself in the fast recipe.
 */
import { adam, dcgan, gradientPenalty, hingeLoss, tf, wassersteinLoss, type LayersGan, type TrainerOptions } from '@aigc/core';

/** A recipe name. */
export type DcganRecipe = 'classic' | 'fast';

/** Every recipe, with what it changes (for help texts and docs). */
export const RECIPES: Readonly<Record<DcganRecipe, string>> = {
  classic: 'Adam(2e-4, beta1 0.5) for G and D, EMA of G with decay --ema-decay (0.99) from step 50',
  fast: "spectral norm on D's weights, Adam(beta1 0.5) at 8e-4 for G and 2e-4 for D with the hinge loss (WGAN-GP keeps its Adam), samples from G itself (no EMA)",
};

/** What a recipe needs from the command line. */
export interface RecipeInputs {
  readonly recipe: DcganRecipe;
  readonly loss: 'hinge' | 'wgan-gp';
  readonly seed: number;
  readonly filters: number;
  /** The EMA decay of the classic recipe (the fast one samples from G itself). */
  readonly emaDecay: number;
}

/** The model and the Trainer options of a recipe (the caller adds backend, batch size and seed). */
export function buildRecipe(r: RecipeInputs): { model: LayersGan; trainer: TrainerOptions } {
  const fast = r.recipe === 'fast';
  const model = dcgan({ seed: r.seed, generatorFilters: r.filters, discriminatorFilters: r.filters, ...(fast ? { spectralNorm: true } : {}) });
  const wgan = r.loss === 'wgan-gp';
  // WGAN-GP's paper uses Adam(1e-4, 0, 0.9); for hinge, DCGAN's Adam(2e-4, 0.5).
  // The classic recipe keeps tfjs' own Adam, so its runs repeat those measured before the fast one existed.
  // The fast one gives G four times DCGAN's hinge learning rate (D keeps DCGAN's), which spectral norm on D keeps stable; WGAN-GP keeps its paper's.
  const optimizers = fast
    ? wgan
      ? { generator: adam(1e-4, 0, 0.9), discriminator: adam(1e-4, 0, 0.9) }
      : { generator: adam(8e-4, 0.5), discriminator: adam(2e-4, 0.5) }
    : wgan
      ? { generator: tf.train.adam(1e-4, 0, 0.9), discriminator: tf.train.adam(1e-4, 0, 0.9) }
      : { generator: tf.train.adam(2e-4, 0.5), discriminator: tf.train.adam(2e-4, 0.5) };
  return {
    model,
    trainer: {
      loss: wgan ? wassersteinLoss() : hingeLoss(),
      ...(wgan ? { regularizers: [gradientPenalty({ weight: 10 })], discriminatorSteps: 2 } : {}),
      optimizers,
      // At the fast recipe's 1,000 steps every EMA measured scored worse than G itself (docs/metrics.md).
      ema: fast ? false : { decay: r.emaDecay, startStep: 50 },
    },
  };
}
