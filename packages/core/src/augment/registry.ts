import { InvalidArgumentError } from '../errors.js';
import type { Augmentation, AugmentJson } from './types.js';

/** Settings stored with an augmentation in checkpoints (its `config`). */
export type AugmentationConfig = { readonly [key: string]: AugmentJson };

/** Builds an augmentation from its stored `config`. */
export type AugmentationFactory = (config: AugmentationConfig) => Augmentation;

const AUGMENTATIONS = new Map<string, AugmentationFactory>();

/** Registers a factory so checkpoints that name `name` can rebuild an augmentation; replaces an earlier one of that name. Built-ins register themselves. */
export function registerAugmentation(name: string, factory: AugmentationFactory): void {
  if (typeof name !== 'string' || name === '' || typeof factory !== 'function') {
    throw new InvalidArgumentError('name', 'registerAugmentation needs a non-empty name and a factory (config) => Augmentation.');
  }
  AUGMENTATIONS.set(name, factory);
}

/** Rebuilds a registered augmentation from its `name` and `config` (as stored in checkpoints): built-ins `data`, `diff-augment`, `adaptive`. */
export function augmentationFromConfig(name: string, config: AugmentationConfig = {}): Augmentation {
  const make = AUGMENTATIONS.get(name);
  if (make === undefined) {
    throw new InvalidArgumentError(
      'augment',
      `Unknown augmentation "${name}". Known: ${[...AUGMENTATIONS.keys()].join(', ')}; register yours with registerAugmentation(name, factory) before resuming, or pass it in the augment option.`,
    );
  }
  return make(config);
}
