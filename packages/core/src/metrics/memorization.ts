/** Memorization check: how close samples sit to their nearest training image, compared with fresh real images. */
import { InvalidArgumentError } from '../errors.js';
import { assertSameDim, type FeatureMatrix } from './features.js';
import { nearestSquaredDistances } from './neighbours.js';
import { readSync, type Reading } from './reads.js';

/** Result of {@link memorization}. */
export interface MemorizationResult {
  /** Mean nearest-training-neighbour distance of generated samples divided by that of held-out real images; below 1 hints at copying. */
  readonly ratio: number;
  /** Mean distance from a generated sample to its nearest training image. */
  readonly meanGenerated: number;
  /** Mean distance from a held-out real image to its nearest training image. */
  readonly meanHeldOut: number;
  /** Median of the generated samples' distances. */
  readonly medianGenerated: number;
  /** Median of the held-out images' distances. */
  readonly medianHeldOut: number;
  /** Share of generated samples nearer to a training image than the `quantile` of held-out distances. */
  readonly nearCopyFraction: number;
  /** The held-out quantile used for `nearCopyFraction`. */
  readonly quantile: number;
}

function sortedSqrt(squared: Float32Array): Float64Array {
  return Float64Array.from(squared, (v) => Math.sqrt(v)).sort();
}

function quantileOf(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Compares nearest-neighbour distances to the training set (`train`, the images the model saw)
 * of `generated` samples and of `heldOut` real images the model never saw. `quantile` (default
 * 0.01) sets the near-copy threshold. `heldOut` must not overlap `train`.
 */
export function memorization(
  generated: FeatureMatrix,
  heldOut: FeatureMatrix,
  train: FeatureMatrix,
  quantile = 0.01,
): MemorizationResult {
  return readSync(memorizationReading(generated, heldOut, train, quantile));
}

/** @internal {@link memorization} as a {@link Reading}, for synchronous or asynchronous reads. */
export function* memorizationReading(
  generated: FeatureMatrix,
  heldOut: FeatureMatrix,
  train: FeatureMatrix,
  quantile = 0.01,
): Reading<MemorizationResult> {
  assertSameDim(generated, train, 'memorization');
  assertSameDim(heldOut, train, 'memorization');
  if (!(quantile > 0 && quantile < 1)) {
    throw new InvalidArgumentError('quantile', `quantile must be strictly between 0 and 1, got ${String(quantile)}.`);
  }
  const gen = sortedSqrt(yield* nearestSquaredDistances(generated, train));
  const held = sortedSqrt(yield* nearestSquaredDistances(heldOut, train));
  const threshold = quantileOf(held, quantile);
  let near = 0;
  for (const d of gen) if (d < threshold) near++;
  const meanGenerated = mean(gen);
  const meanHeldOut = mean(held);
  return {
    ratio: meanHeldOut > 0 ? meanGenerated / meanHeldOut : Number.NaN,
    meanGenerated,
    meanHeldOut,
    medianGenerated: quantileOf(gen, 0.5),
    medianHeldOut: quantileOf(held, 0.5),
    nearCopyFraction: near / gen.length,
    quantile,
  };
}
