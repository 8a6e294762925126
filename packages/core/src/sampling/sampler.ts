import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { seededNormalValues } from '../random/normal.js';
import { Rng, type RngState } from '../random/rng.js';
import { registerSampler } from './table.js';
import { checkKeys } from '../options.js';

/** Options of {@link Sampler.sample}. */
export interface SampleOptions {
  /** Seed for this call alone; the same seed always gives the same latents. Without it the sampler's own seeded stream advances. */
  readonly seed?: number;
}

/** Draws latent vectors `z` of shape `[n, latentDim]` for the generator. */
export interface Sampler {
  /** Name for logs and checkpoints, e.g. `'normal'`. */
  readonly name: string;
  /** Width of each latent vector. */
  readonly latentDim: number;
  /** Returns a new `[n, latentDim]` float32 tensor; the caller disposes it. */
  sample(n: number, options?: SampleOptions): tf.Tensor2D;
  /** State of the sampler's own random stream, for checkpoints. */
  getState(): RngState;
  /** Restores a state taken with `getState`. */
  setState(state: RngState): void;
  /** The options it was made with (without the seed), stored in checkpoints so `Trainer.resume` can rebuild it. */
  readonly config?: Readonly<Record<string, number>>;
}

/** Options of {@link normalSampler}. */
export interface NormalSamplerOptions {
  /** Mean of each latent coordinate. Default 0. */
  readonly mean?: number;
  /** Standard deviation of each latent coordinate. Default 1. */
  readonly stddev?: number;
  /** Seed of the sampler's stream used when a call gives no seed. Default 0. */
  readonly seed?: number;
}

/** @internal Validates `n` and `latentDim` for samplers. */
export function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(value)}.`);
  }
}

/** Base for seeded samplers: one {@link Rng} stream turned into per-call tfjs op seeds. */
export function seededSampler(
  name: string,
  latentDim: number,
  seed: number,
  draw: (shape: [number, number], opSeed: number) => tf.Tensor2D,
  config: Readonly<Record<string, number>> = {},
): Sampler {
  checkCount('latentDim', latentDim);
  const rng = new Rng(seed);
  return {
    name,
    latentDim,
    sample(n, options = {}) {
      checkCount('n', n);
      const opSeed = options.seed ?? rng.nextSeed();
      return draw([n, latentDim], opSeed);
    },
    getState: () => rng.getState(),
    setState: (s) => rng.setState(s),
    config,
  };
}

/** Isotropic Gaussian latents N(mean, stddev^2), the standard GAN prior (default N(0, 1)). */
export function normalSampler(latentDim: number, options: NormalSamplerOptions = {}): Sampler {
  checkKeys('normalSampler', options, { mean: true, stddev: true, seed: true });
  const mean = options.mean ?? 0;
  const stddev = options.stddev ?? 1;
  if (!Number.isFinite(mean)) throw new InvalidArgumentError('mean', `mean must be finite, got ${mean}.`);
  if (!(stddev > 0) || !Number.isFinite(stddev)) {
    throw new InvalidArgumentError('stddev', `stddev must be a positive finite number, got ${stddev}.`);
  }
  return seededSampler(
    'normal',
    latentDim,
    options.seed ?? 0,
    // tf.randomNormal's values, drawn without its per-value calls; a 0 seed means none to tfjs.
    (shape, seed) => (seed ? tf.tensor2d(seededNormalValues(shape[0] * shape[1], mean, stddev, seed), shape) : tf.randomNormal(shape, mean, stddev, 'float32', seed)),
    { mean, stddev },
  );
}

registerSampler('normal', (latentDim, config, seed) => normalSampler(latentDim, { ...config, seed }));
