/**
 * @aigc/core: train and sample generative adversarial networks on TensorFlow.js.
 * @packageDocumentation
 */
export { tf, tfl } from './tf.js';
export * from './errors.js';
export { Rng, type RngState } from './random/rng.js';
export * from './backends/index.js';
export * from './losses/index.js';
export * from './sampling/index.js';
export * from './models/index.js';
export * from './training/index.js';
export { vaeObjective, vaeLoss, type VaeLossTerms, type VaeStepTensors, type VaeObjective, type VaeObjectiveOptions, type VaeObjectiveConfig, type VaeTrainerOptions } from './training/objectives/vae.js';
export * from './io/index.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './augment/index.js';
