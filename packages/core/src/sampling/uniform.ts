import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { seededSampler, type Sampler } from './sampler.js';
import { registerSampler } from './table.js';
import { checkKeys } from '../options.js';

/** Options of {@link uniformSampler}. */
export interface UniformSamplerOptions {
  /** Lower bound (inclusive). Default -1. */
  readonly low?: number;
  /** Upper bound (exclusive). Default 1. */
  readonly high?: number;
  /** Seed of the sampler's stream used when a call gives no seed. Default 0. */
  readonly seed?: number;
}

/** Latents uniform in `[low, high)` per coordinate (default U[-1, 1), the original DCGAN prior). */
export function uniformSampler(latentDim: number, options: UniformSamplerOptions = {}): Sampler {
  checkKeys('uniformSampler', options, { low: true, high: true, seed: true });
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) {
    throw new InvalidArgumentError('high', `uniformSampler needs finite low < high, got [${low}, ${high}).`);
  }
  return seededSampler('uniform', latentDim, options.seed ?? 0, (shape, seed) => tf.randomUniform(shape, low, high, 'float32', seed), {
    low,
    high,
  });
}

registerSampler('uniform', (latentDim, config, seed) => uniformSampler(latentDim, { ...config, seed }));
