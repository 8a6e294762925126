import { InvalidArgumentError } from '../errors.js';
import { adaptiveAugment, type AdaptiveAugmentOptions } from './adaptive.js';
import { dataAugmentation, type DataAugmentationOptions } from './data-augmentation.js';
import { diffAugment, type DiffAugmentPolicy } from './diff-augment.js';
import type { Augmentation, AugmentJson } from './types.js';

/** Settings stored with an augmentation in checkpoints (its `config`). */
export type AugmentationConfig = { readonly [key: string]: AugmentJson };

/** Builds an augmentation from its stored `config`. */
export type AugmentationFactory = (config: AugmentationConfig) => Augmentation;

const FACTORIES = new Map<string, AugmentationFactory>([
  ['data', (c) => dataAugmentation(c as DataAugmentationOptions)],
  ['diff-augment', (c) => diffAugment((c.policy ?? undefined) as DiffAugmentPolicy[] | undefined, c as { translation?: number; cutout?: number })],
  ['adaptive', (c) => adaptiveAugment(c as AdaptiveAugmentOptions)],
]);

/** Registers a factory so checkpoints that name `name` can rebuild a custom augmentation; replaces an earlier one of that name. */
export function registerAugmentation(name: string, factory: AugmentationFactory): void {
  if (typeof name !== 'string' || name === '' || typeof factory !== 'function') {
    throw new InvalidArgumentError('name', 'registerAugmentation needs a non-empty name and a factory (config) => Augmentation.');
  }
  FACTORIES.set(name, factory);
}

/** Rebuilds an augmentation from its `name` and `config` (as stored in checkpoints): built-ins `data`, `diff-augment`, `adaptive`, or registered ones. */
export function augmentationFromConfig(name: string, config: AugmentationConfig = {}): Augmentation {
  const make = FACTORIES.get(name);
  if (make === undefined) {
    throw new InvalidArgumentError(
      'augment',
      `Unknown augmentation "${name}". Known: ${[...FACTORIES.keys()].join(', ')}; register yours with registerAugmentation(name, factory) or pass it to resume.`,
    );
  }
  return make(config);
}
