import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { seededSampler, type Sampler } from './sampler.js';
import { registerSampler } from './table.js';
import { checkKeys } from '../options.js';

/** Smallest threshold accepted: at 0.01 about 1 draw in 125 is kept. */
const MIN_THRESHOLD = 0.01;

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
  checkKeys('truncatedNormalSampler', options, { threshold: true, seed: true });
  const threshold = options.threshold ?? 2;
  if (!(threshold > 0) || !Number.isFinite(threshold)) {
    throw new InvalidArgumentError('threshold', `threshold must be a positive finite number (2 is usual, 0.5 strong), got ${String(threshold)}.`);
  }
  if (threshold < MIN_THRESHOLD) {
    // Below this almost every draw is redrawn (about 1 in 0.8 * threshold is kept), so sampling would not return.
    throw new InvalidArgumentError('threshold', `threshold must be at least ${MIN_THRESHOLD} (2 is usual, 0.5 strong), got ${threshold}; for near-constant latents pass a tiny truncation through your own sampler.`);
  }
  return seededSampler(
    'truncated-normal',
    latentDim,
    options.seed ?? 0,
    (shape, seed) => {
      // Drawn in JavaScript and uploaded, never read back: works on every backend (WebGPU in Node too).
      const values = new Float32Array(shape[0] * shape[1]);
      const rng = new Rng(seed);
      for (let i = 0; i < values.length; i++) {
        let v = gaussian(rng);
        while (Math.abs(v) > threshold) v = gaussian(rng);
        values[i] = v;
      }
      return tf.tensor2d(values, shape, 'float32');
    },
    { threshold },
  );
}

registerSampler('truncated-normal', (latentDim, config, seed) => truncatedNormalSampler(latentDim, { ...config, seed }));
