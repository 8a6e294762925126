/** Kernel Inception Distance style metric: unbiased polynomial-kernel MMD^2 averaged over subsets. */
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { assertMinRows, assertSameDim, selectRows, type FeatureMatrix } from './features.js';
import { readSync, type Reading } from './reads.js';

/** Options of {@link kernelDistance}. */
export interface KernelDistanceOptions {
  /** Samples per subset (capped at the smaller set). Default 1000. */
  readonly subsetSize?: number;
  /** Number of random subsets averaged. Default 100. */
  readonly subsets?: number;
  /** Seed of the subset draws. Default 0. */
  readonly seed?: number;
}

/** KID: mean and (population) standard deviation of the per-subset unbiased MMD^2 estimates. */
export interface KernelDistanceResult {
  /** Mean MMD^2 over subsets; 0 for identical distributions (can be slightly negative). */
  readonly mean: number;
  /** Standard deviation of the per-subset estimates. */
  readonly std: number;
  /** Samples per subset used. */
  readonly subsetSize: number;
  /** Number of subsets used. */
  readonly subsets: number;
}

/** Draws `k` distinct indices from `0..n-1` (partial Fisher-Yates). */
function sampleWithoutReplacement(rng: Rng, n: number, k: number): Int32Array {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(n - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, k);
}

/** Sum of all entries and of the diagonal of the kernel `(a b^T / d + 1)^3`, in float64. */
function* kernelSums(a: tf.Tensor2D, b: tf.Tensor2D, dim: number, square: boolean): Reading<{ sum: number; diag: number }> {
  const values = yield tf.tidy(() => tf.pow(tf.add(tf.div(tf.matMul(a, b, false, true), dim), 1), 3));
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  let diag = 0;
  if (square) {
    const n = a.shape[0];
    for (let i = 0; i < n; i++) diag += values[i * n + i]!;
  }
  return { sum, diag };
}

/** Unbiased MMD^2 between two equally sized sets with the cubic polynomial kernel. */
function* unbiasedMmd2(x: FeatureMatrix, y: FeatureMatrix): Reading<number> {
  const m = x.count;
  const xt = tf.tensor2d(x.data, [m, x.dim]);
  const yt = tf.tensor2d(y.data, [m, y.dim]);
  try {
    const kxx = yield* kernelSums(xt, xt, x.dim, true);
    const kyy = yield* kernelSums(yt, yt, x.dim, true);
    const kxy = yield* kernelSums(xt, yt, x.dim, false);
    return (kxx.sum - kxx.diag + (kyy.sum - kyy.diag)) / (m * (m - 1)) - (2 * kxy.sum) / (m * m);
  } finally {
    xt.dispose();
    yt.dispose();
  }
}

/**
 * KID (Bińkowski et al. 2018) between two feature sets: the unbiased MMD^2 with kernel
 * `k(a, b) = (a.b / d + 1)^3`, averaged over `subsets` (100) random subsets of `subsetSize` (1000).
 */
export function kernelDistance(
  x: FeatureMatrix,
  y: FeatureMatrix,
  options: KernelDistanceOptions = {},
): KernelDistanceResult {
  return readSync(kernelDistanceReading(x, y, options));
}

/** @internal {@link kernelDistance} as a {@link Reading}, for synchronous or asynchronous reads. */
export function* kernelDistanceReading(
  x: FeatureMatrix,
  y: FeatureMatrix,
  options: KernelDistanceOptions = {},
): Reading<KernelDistanceResult> {
  assertSameDim(x, y, 'KID');
  assertMinRows(x, 2, 'KID');
  assertMinRows(y, 2, 'KID');
  const subsets = options.subsets ?? 100;
  const requested = options.subsetSize ?? 1000;
  for (const [name, v] of [['subsets', subsets], ['subsetSize', requested]] as const) {
    if (!Number.isInteger(v) || v < (name === 'subsetSize' ? 2 : 1)) {
      throw new InvalidArgumentError(name, `${name} must be an integer >= ${name === 'subsetSize' ? 2 : 1}, got ${String(v)}.`);
    }
  }
  const subsetSize = Math.min(requested, x.count, y.count);
  const rng = new Rng(options.seed ?? 0);
  const estimates = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    const xs = selectRows(x, sampleWithoutReplacement(rng, x.count, subsetSize));
    const ys = selectRows(y, sampleWithoutReplacement(rng, y.count, subsetSize));
    estimates[s] = yield* unbiasedMmd2(xs, ys);
  }
  let mean = 0;
  for (const e of estimates) mean += e;
  mean /= subsets;
  let variance = 0;
  for (const e of estimates) variance += (e - mean) ** 2;
  return { mean, std: Math.sqrt(variance / subsets), subsetSize, subsets };
}
