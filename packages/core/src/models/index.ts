export type { GanModel, LayersGan, ImageGenerator, ImageShape, GenerateOptions, AuxiliaryClassifierGan } from './types.js';
export { hasAuxiliaryClassifier } from './types.js';
export type { GanModelSpec } from './restore.js';
export { LayersGanModel, LayersImageGenerator, ganFromLayers } from './layers-gan.js';
export { LayersConditionalGenerator, generatorFromLayers } from './conditional-generator.js';
export { mlpGan, type MlpGanOptions } from './mlp-gan.js';
export { dcgan, type DcganOptions, type DiscriminatorConditioning } from './dcgan.js';
export { ConditionalGanModel, conditionalGanFromLayers, type ConditionalGanOptions } from './conditional-gan.js';
export {
  FunctionalGanModel,
  ganFromFunctions,
  type FunctionalGanOptions,
  type FunctionalNetwork,
  type NetworkContext,
} from './functional-gan.js';
export { registerModelKind, type ModelKind, type ModelDescription, type Json } from './kinds.js';
export {
  SpectralNormalization,
  spectralNormalization,
  type SpectralNormalizationArgs,
  MinibatchStdDev,
  minibatchStdDev,
  type MinibatchStdDevArgs,
  registerAigcLayers,
} from './layers/index.js';
export {
  VaeModel,
  vaeFromLayers,
  isVae,
  reparameterize,
  type VaeLikelihoodOptions,
  type ReconstructOptions,
  type LatentPosterior,
} from './vae.js';
export { mlpVae, convVae, type VaeOptions, type MlpVaeOptions, type ConvVaeOptions } from './vae-builders.js';
