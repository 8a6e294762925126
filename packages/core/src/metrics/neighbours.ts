/**
 * Batched nearest-neighbour queries between feature matrices, run as tfjs matrix products in
 * row chunks so memory stays bounded; every chunk is tidied and only small results come back.
 */
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import type { FeatureMatrix } from './features.js';
import type { Reading, TensorValues } from './reads.js';

/** Most distance-matrix entries computed at once (default chunking: 4M floats = 16 MB). */
const MAX_CHUNK_ENTRIES = 4_000_000;

function chunkRows(refCount: number): number {
  return Math.max(1, Math.floor(MAX_CHUNK_ENTRIES / refCount));
}

/** Squared Euclidean distances `[a.rows, b.rows]` from precomputed squared norms, clamped at 0. */
function squaredDistances(a: tf.Tensor2D, b: tf.Tensor2D, bNormsRow: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const aNorms = tf.sum(tf.square(a), 1, true);
    const cross = tf.matMul(a, b, false, true);
    return tf.relu(tf.sub(tf.add(aNorms, bNormsRow), tf.mul(cross, 2))) as tf.Tensor2D;
  });
}

/**
 * Runs `perChunk` over row chunks of `query` against all of `ref` (uploaded once), yields each
 * chunk's small result tensor to be read, and hands its values to `use`.
 */
function* forEachChunk(
  query: FeatureMatrix,
  ref: FeatureMatrix,
  perChunk: (dist: tf.Tensor2D) => tf.Tensor,
  use: (start: number, values: TensorValues) => void,
): Reading<void> {
  // Centring both sides on the reference mean shrinks the norms and so the float32 cancellation
  // in |a|^2 + |b|^2 - 2 a.b.
  const centre = tf.tidy(() => tf.mean(tf.tensor2d(ref.data, [ref.count, ref.dim]), 0, true));
  const refT = tf.tidy(() => tf.sub(tf.tensor2d(ref.data, [ref.count, ref.dim]), centre) as tf.Tensor2D);
  const refNorms = tf.tidy(() => tf.reshape(tf.sum(tf.square(refT), 1), [1, ref.count]) as tf.Tensor2D);
  try {
    const rows = chunkRows(ref.count);
    for (let start = 0; start < query.count; start += rows) {
      const end = Math.min(query.count, start + rows);
      const out = tf.tidy(() => {
        const chunk = query.data.subarray(start * query.dim, end * query.dim);
        const q = tf.sub(tf.tensor2d(chunk, [end - start, query.dim]), centre) as tf.Tensor2D;
        return perChunk(squaredDistances(q, refT, refNorms));
      });
      use(start, yield out);
    }
  } finally {
    tf.dispose([centre, refT, refNorms]);
  }
}

/**
 * Squared distance from each row of `m` to its k-th nearest other row (the row itself, at
 * distance 0, is not counted). Needs `k < m.count`.
 */
export function* kthNeighbourSquaredDistances(m: FeatureMatrix, k: number): Reading<Float32Array> {
  if (!Number.isInteger(k) || k < 1 || k >= m.count) {
    throw new InvalidArgumentError('k', `k must be an integer in [1, ${m.count - 1}] for ${m.count} samples, got ${String(k)}.`);
  }
  const out = new Float32Array(m.count);
  yield* forEachChunk(
    m,
    m,
    (dist) => {
      // The k+1 smallest include the row itself; the last of them is the k-th neighbour.
      const { values } = tf.topk(tf.neg(dist), k + 1, true);
      return tf.neg(tf.slice(values, [0, k], [-1, 1]));
    },
    (start, values) => out.set(values, start),
  );
  return out;
}

/** Squared distance from each row of `query` to its nearest row of `ref`. */
export function* nearestSquaredDistances(query: FeatureMatrix, ref: FeatureMatrix): Reading<Float32Array> {
  const out = new Float32Array(query.count);
  yield* forEachChunk(query, ref, (dist) => tf.min(dist, 1), (start, values) => out.set(values, start));
  return out;
}

/**
 * Number of rows of `query` that lie within at least one ball centred on a row of `centres`
 * with the given squared radius (one per centre): the k-NN manifold membership test.
 */
export function* countInsideBalls(query: FeatureMatrix, centres: FeatureMatrix, radiiSquared: Float32Array): Reading<number> {
  let inside = 0;
  const radii = tf.tensor2d(radiiSquared, [1, centres.count]);
  try {
    yield* forEachChunk(
      query,
      centres,
      (dist) => tf.sum(tf.cast(tf.any(tf.lessEqual(dist, radii), 1), 'int32')),
      (_start, values) => (inside += values[0]!),
    );
  } finally {
    radii.dispose();
  }
  return inside;
}
