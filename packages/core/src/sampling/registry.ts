import { InvalidArgumentError } from '../errors.js';
import { normalSampler, type Sampler } from './sampler.js';
import { truncatedNormalSampler } from './truncated.js';
import { uniformSampler } from './uniform.js';

/** Rebuilds a built-in sampler from its `name`, `latentDim` and `config` (as stored in checkpoints). */
export function samplerFromConfig(name: string, latentDim: number, config: Readonly<Record<string, number>> = {}, seed = 0): Sampler {
  switch (name) {
    case 'normal':
      return normalSampler(latentDim, { ...config, seed });
    case 'uniform':
      return uniformSampler(latentDim, { ...config, seed });
    case 'truncated-normal':
      return truncatedNormalSampler(latentDim, { ...config, seed });
    default:
      throw new InvalidArgumentError(
        'sampler',
        `Unknown sampler "${name}". Built-ins: normal, uniform, truncated-normal; pass your own sampler to resume.`,
      );
  }
}
