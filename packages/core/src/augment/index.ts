import './builtins.js';
export type { Augmentation, AugmentContext, AugmentJson } from './types.js';
export { dataAugmentation, type DataAugmentationOptions } from './data-augmentation.js';
export { diffAugment, type DiffAugmentOptions, type DiffAugmentPolicy } from './diff-augment.js';
export { adaptiveAugment, ADA_DEFAULT_OPS, type AdaptiveAugmentOptions, type AdaOp } from './adaptive.js';
export { augmentationFromConfig, registerAugmentation, type AugmentationConfig, type AugmentationFactory } from './registry.js';
export type { AugmentPadding } from './sampler.js';
