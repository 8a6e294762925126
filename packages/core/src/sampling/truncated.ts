import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { seededSampler, type Sampler } from './sampler.js';
import { registerSampler } from './table.js';

/** Options of {@link truncatedNormalSampler}. */
export interface TruncatedNormalSamplerOptions {
  /** Coordinates with `|z| > threshold` are redrawn. Default 2 (lower means higher fidelity, less variety). */
  readonly threshold?: number;
  /** Seed of the sampler's stream used when a call gives no seed. Default 0. */
  readonly seed?: number;
}

/** A standard normal draw from `rng` (Box-Muller). */
function gaussian(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/**
 * The truncation trick (Brock et al. 2019, BigGAN): N(0, 1) latents where every coordinate with
 * `|z| > threshold` is redrawn until it falls inside, so samples stay near the mode. Seeded.
 */
export function truncatedNormalSampler(latentDim: number, options: TruncatedNormalSamplerOptions = {}): Sampler {
  const threshold = options.threshold ?? 2;
  if (!(threshold > 0) || !Number.isFinite(threshold)) {
    throw new InvalidArgumentError('threshold', `threshold must be a positive finite number (2 is usual, 0.5 strong), got ${String(threshold)}.`);
  }
  return seededSampler(
    'truncated-normal',
    latentDim,
    options.seed ?? 0,
    (shape, seed) => {
      const values = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);
      const rng = new Rng(seed);
      for (let i = 0; i < values.length; i++) {
        let v = values[i] as number;
        while (Math.abs(v) > threshold) v = gaussian(rng);
        values[i] = v;
      }
      return tf.tensor2d(values, shape, 'float32');
    },
    { threshold },
  );
}

registerSampler('truncated-normal', (latentDim, config, seed) => truncatedNormalSampler(latentDim, { ...config, seed }));
