export type { GanModel, ImageGenerator, ImageShape, GenerateOptions } from './types.js';
export { LayersGanModel, LayersImageGenerator, ganFromLayers } from './layers-gan.js';
export { mlpGan, type MlpGanOptions } from './mlp-gan.js';
