/** Improved precision and recall on k-NN manifolds (Kynkäänniemi et al. 2019). */
import { InvalidArgumentError } from '../errors.js';
import { assertSameDim, type FeatureMatrix } from './features.js';
import { countInsideBalls, kthNeighbourSquaredDistances } from './neighbours.js';

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
  assertSameDim(real, generated, 'precision/recall');
  const smaller = Math.min(real.count, generated.count);
  if (!Number.isInteger(k) || k < 1 || k >= smaller) {
    throw new InvalidArgumentError(
      'k',
      `precision/recall needs an integer k in [1, ${smaller - 1}] (fewer than the smaller set's ${smaller} samples), got ${String(k)}.`,
    );
  }
  const realRadii = kthNeighbourSquaredDistances(real, k);
  const genRadii = kthNeighbourSquaredDistances(generated, k);
  return {
    precision: countInsideBalls(generated, real, realRadii) / generated.count,
    recall: countInsideBalls(real, generated, genRadii) / real.count,
    k,
  };
}
