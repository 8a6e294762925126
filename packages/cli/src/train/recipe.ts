/** What `aigc train`'s options mean in library terms: the model, the loss, the augmentation and the Trainer. */
import {
  adam,
  adaptiveAugment,
  diffAugment,
  dcgan,
  gradientPenalty,
  hingeLoss,
  InvalidArgumentError,
  leastSquaresLoss,
  minimaxLoss,
  mlpGan,
  nonSaturatingLoss,
  relativisticAverageLoss,
  Trainer,
  wasmBackend,
  wassersteinLoss,
  type BackendSpec,
  type LayersGan,
  type TrainerOptions,
} from '@aigc/core';
import type { AugmentName, LossName, RunConfig } from '../run/config.js';

/** The backend of a run: `wasm` with `threads` becomes a threaded wasm adapter; other names pass through. */
export function backendSpec(config: Pick<RunConfig, 'backend' | 'threads'>): BackendSpec {
  if (config.backend === 'wasm' && config.threads !== undefined) return wasmBackend({ threads: config.threads });
  return config.backend;
}

/** The GAN of a run: DCGAN (at `size`, `channels`, `filters`; conditional on the classes) or the article's MLP GAN. */
export function buildModel(config: RunConfig, numClasses: number | undefined): LayersGan {
  if (config.model === 'mlp') {
    if (config.conditional) throw new InvalidArgumentError('conditional', '--conditional needs --model dcgan; the MLP GAN is unconditional.');
    return mlpGan({ imageShape: [config.size, config.size, config.channels], seed: config.seed });
  }
  if (config.conditional && numClasses === undefined) {
    throw new InvalidArgumentError('conditional', '--conditional needs labeled data (one subfolder per class, or IDX labels); this data has no labels.');
  }
  return dcgan({
    resolution: config.size,
    channels: config.channels,
    generatorFilters: config.filters,
    discriminatorFilters: config.filters,
    seed: config.seed,
    ...(config.conditional ? { numClasses } : {}),
  });
}

/** Loss, regularizers, D steps and optimizers of each `--loss`: Adam(2e-4, 0.5) as in DCGAN; WGAN-GP's Adam(1e-4, 0, 0.9), penalty 10, 2 D steps. */
export function lossOptions(loss: LossName): Pick<TrainerOptions, 'loss' | 'regularizers' | 'discriminatorSteps' | 'optimizers'> {
  const dcganAdam = () => ({ generator: adam(2e-4, 0.5), discriminator: adam(2e-4, 0.5) });
  switch (loss) {
    case 'wgan-gp':
      return {
        loss: wassersteinLoss(),
        regularizers: [gradientPenalty({ weight: 10 })],
        discriminatorSteps: 2,
        optimizers: { generator: adam(1e-4, 0, 0.9), discriminator: adam(1e-4, 0, 0.9) },
      };
    case 'hinge':
      return { loss: hingeLoss(), optimizers: dcganAdam() };
    case 'non-saturating':
      return { loss: nonSaturatingLoss(), optimizers: dcganAdam() };
    case 'least-squares':
      return { loss: leastSquaresLoss(), optimizers: dcganAdam() };
    case 'relativistic-average':
      return { loss: relativisticAverageLoss(), optimizers: dcganAdam() };
    case 'minimax':
      return { loss: minimaxLoss(), optimizers: dcganAdam() };
  }
}

/**
 * The augmentation of each `--aug`: DiffAugment's colour, translation and cutout on every image D
 * sees (Zhao et al. 2020), ADA with its defaults (target r_t 0.6; Karras et al. 2020), or none.
 */
export function augmentOptions(aug: AugmentName): Partial<TrainerOptions> {
  switch (aug) {
    case 'none':
      return {};
    case 'diffaugment':
      return { augment: diffAugment(['color', 'translation', 'cutout']) };
    case 'ada':
      return { augment: adaptiveAugment() };
  }
}

/** A new Trainer for a run's configuration. */
export function newTrainer(config: RunConfig, numClasses: number | undefined): Trainer<LayersGan> {
  const model = buildModel(config, numClasses);
  try {
    return new Trainer(model, {
      backend: backendSpec(config),
      batchSize: config.batch,
      seed: config.seed,
      ...lossOptions(config.loss),
      ...augmentOptions(config.aug),
      ...(config.ema > 0 ? { ema: { decay: config.ema } } : {}),
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
}
