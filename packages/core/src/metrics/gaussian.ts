/** Mean and covariance of a feature set, accumulated in float64. */
import { assertMinRows, type FeatureMatrix } from './features.js';

/** A Gaussian fitted to features: mean `[dim]` and covariance `[dim, dim]` (row-major), in float64. */
export interface GaussianStats {
  /** Dimension of the features. */
  readonly dim: number;
  /** Number of samples the statistics came from. */
  readonly count: number;
  /** Mean vector. */
  readonly mean: Float64Array;
  /** Unbiased sample covariance (divided by `count - 1`). */
  readonly cov: Float64Array;
}

/** Fits mean and unbiased covariance to the rows of `m` (at least 2), in two float64 passes. */
export function gaussianStats(m: FeatureMatrix): GaussianStats {
  assertMinRows(m, 2, 'A covariance');
  const { count, dim, data } = m;
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) for (let j = 0; j < dim; j++) mean[j]! += data[r * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j]! /= count;
  const cov = new Float64Array(dim * dim);
  const centered = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < dim; j++) centered[j] = data[r * dim + j]! - mean[j]!;
    for (let i = 0; i < dim; i++) {
      const ci = centered[i]!;
      if (ci === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j]! += ci * centered[j]!;
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = cov[i * dim + j]! / (count - 1);
      cov[i * dim + j] = v;
      cov[j * dim + i] = v;
    }
  }
  return { dim, count, mean, cov };
}
