import { SAMPLERS, registerSampler } from './table.js';
import type { Sampler } from './sampler.js';
import './builtins.js';

export { registerSampler, type SamplerFactory } from './table.js';

/** Rebuilds a registered sampler from its `name`, `latentDim` and `config` (as stored in checkpoints). */
export function samplerFromConfig(name: string, latentDim: number, config: Readonly<Record<string, number>> = {}, seed = 0): Sampler {
  return SAMPLERS.get(name)(latentDim, config, seed);
}
