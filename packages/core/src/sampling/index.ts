export type { Sampler, SampleOptions, NormalSamplerOptions } from './sampler.js';
export { normalSampler } from './sampler.js';
export { uniformSampler, type UniformSamplerOptions } from './uniform.js';
export { truncatedNormalSampler, type TruncatedNormalSamplerOptions } from './truncated.js';
export { interpolate, type InterpolationMode } from './interpolate.js';
export { sampleClassGrid, type ClassGridOptions } from './class-grid.js';
export { registerSampler, type SamplerFactory } from './registry.js';
