/** Improved precision and recall on k-NN manifolds (Kynkäänniemi et al. 2019). */
import { InvalidArgumentError } from '../errors.js';
import { assertSameDim, type FeatureMatrix } from './features.js';
import { countInsideBalls, kthNeighbourSquaredDistances } from './neighbours.js';
import { readSync, type Reading } from './reads.js';

/** Result of {@link precisionRecall}. */
export interface PrecisionRecallResult {
  /** Fraction of generated samples inside the real manifold: quality. */
  readonly precision: number;
  /** Fraction of real samples inside the generated manifold: diversity. */
  readonly recall: number;
  /** Neighbourhood size used. */
  readonly k: number;
}

/**
 * Precision = share of `generated` rows within the k-NN ball of some `real` row; recall = share
 * of `real` rows within the k-NN ball of some `generated` row. Ball radius: distance to the k-th
 * nearest neighbour in the same set. Default `k` 3, as in the paper.
 */
export function precisionRecall(real: FeatureMatrix, generated: FeatureMatrix, k = 3): PrecisionRecallResult {
  return readSync(precisionRecallReading(real, generated, k));
}

/** @internal {@link precisionRecall} as a {@link Reading}, for synchronous or asynchronous reads. */
export function* precisionRecallReading(real: FeatureMatrix, generated: FeatureMatrix, k = 3): Reading<PrecisionRecallResult> {
  assertSameDim(real, generated, 'precision/recall');
  const smaller = Math.min(real.count, generated.count);
  if (!Number.isInteger(k) || k < 1 || k >= smaller) {
    throw new InvalidArgumentError(
      'k',
      `precision/recall needs an integer k in [1, ${smaller - 1}] (fewer than the smaller set's ${smaller} samples), got ${String(k)}.`,
    );
  }
  const realRadii = yield* kthNeighbourSquaredDistances(real, k);
  const genRadii = yield* kthNeighbourSquaredDistances(generated, k);
  const precision = (yield* countInsideBalls(generated, real, realRadii)) / generated.count;
  const recall = (yield* countInsideBalls(real, generated, genRadii)) / real.count;
  return { precision, recall, k };
}
