/** Feature matrices: `count` rows of `dim` float32 values, row-major, as the metrics consume them. */
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';

/** A row-major `[count, dim]` matrix of features (or class probabilities) held in JS memory. */
export interface FeatureMatrix {
  /** Number of rows (images). */
  readonly count: number;
  /** Values per row. */
  readonly dim: number;
  /** `count * dim` values, row-major. */
  readonly data: Float32Array;
}

/** Wraps `data` as a `[count, dim]` matrix, checking that the length fits. */
export function featureMatrix(data: Float32Array, dim: number): FeatureMatrix {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new InvalidArgumentError('dim', `dim must be a positive integer, got ${String(dim)}.`);
  }
  if (data.length === 0 || data.length % dim !== 0) {
    throw new InvalidArgumentError(
      'data',
      `a feature matrix needs a non-empty multiple of dim = ${dim} values, got ${data.length}.`,
    );
  }
  return { count: data.length / dim, dim, data };
}

/** Throws unless two matrices have the same width; `what` names the metric in the message. */
export function assertSameDim(a: FeatureMatrix, b: FeatureMatrix, what: string): void {
  if (a.dim !== b.dim) {
    throw new ShapeMismatchError(
      `${what}: the two feature sets have ${a.dim} and ${b.dim} values per row; extract both with the same extractor.`,
      [null, a.dim],
      [null, b.dim],
    );
  }
}

/** Throws unless `m` has at least `min` rows. */
export function assertMinRows(m: FeatureMatrix, min: number, what: string): void {
  if (m.count < min) {
    throw new InvalidArgumentError(
      'samples',
      `${what} needs at least ${min} samples per set, got ${m.count}; evaluate more images.`,
    );
  }
}

/** Rows `indices` of `m`, copied into a new matrix. */
export function selectRows(m: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const out = new Float32Array(indices.length * m.dim);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    out.set(m.data.subarray(i * m.dim, (i + 1) * m.dim), r * m.dim);
  }
  return { count: indices.length, dim: m.dim, data: out };
}
