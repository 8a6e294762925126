/** Fréchet distance between Gaussians (FID when the Gaussians are fitted to classifier features). */
import { ShapeMismatchError } from '../errors.js';
import { trace, traceSqrtProduct } from './linalg.js';
import type { GaussianStats } from './gaussian.js';

/**
 * Squared Fréchet (2-Wasserstein) distance between N(mu1, S1) and N(mu2, S2):
 * `|mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2))`, all in float64. The square-root term
 * uses the eigenvalues of the symmetric `sqrt(S1) S2 sqrt(S1)`, so it is real and stable even
 * for singular covariances. Tiny negative results from rounding are returned as 0.
 */
export function frechetDistance(a: Pick<GaussianStats, 'dim' | 'mean' | 'cov'>, b: Pick<GaussianStats, 'dim' | 'mean' | 'cov'>): number {
  if (a.dim !== b.dim) {
    throw new ShapeMismatchError(
      `frechetDistance: the Gaussians have dimensions ${a.dim} and ${b.dim}; fit both to the same features.`,
      [a.dim],
      [b.dim],
    );
  }
  const n = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < n; i++) {
    const d = a.mean[i]! - b.mean[i]!;
    meanTerm += d * d;
  }
  const value = meanTerm + trace(a.cov, n) + trace(b.cov, n) - 2 * traceSqrtProduct(a.cov, b.cov, n);
  return Math.max(value, 0);
}
