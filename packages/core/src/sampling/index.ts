export type { Sampler, SampleOptions, NormalSamplerOptions } from './sampler.js';
export { normalSampler, seededSampler } from './sampler.js';
