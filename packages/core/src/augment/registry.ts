import { Registry } from '../registry.js';
import type { Augmentation, AugmentJson } from './types.js';

/** Settings stored with an augmentation in checkpoints (its `config`). */
export type AugmentationConfig = { readonly [key: string]: AugmentJson };

/** Builds an augmentation from its stored `config`. */
export type AugmentationFactory = (config: AugmentationConfig) => Augmentation;

const AUGMENTATIONS = new Registry<AugmentationFactory>('augmentation', 'augmentations', 'augment', 'registerAugmentation');

/** Registers a factory so checkpoints that name `name` can rebuild an augmentation; replaces an earlier one of that name. */
export function registerAugmentation(name: string, factory: AugmentationFactory): void {
  AUGMENTATIONS.register(name, factory);
}

/** Rebuilds a registered augmentation from its `name` and `config` (as stored in checkpoints). */
export function augmentationFromConfig(name: string, config: AugmentationConfig = {}): Augmentation {
  return AUGMENTATIONS.get(name)(config);
}
