/**
 * Small dense float64 linear algebra for the metrics: symmetric eigendecomposition (cyclic
 * Jacobi), products and the trace of a matrix square root. Matrices are row-major `Float64Array`s.
 */
import { InvalidArgumentError } from '../errors.js';

/** Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major `n x n`) of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Eigenvectors as columns: `vectors[i * n + j]` is component i of eigenvector j. */
  readonly vectors: Float64Array;
}

function checkSquare(a: Float64Array, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) {
    throw new InvalidArgumentError(what, `${what} must be an n x n matrix (${n * n} values for n = ${n}), got ${a.length}.`);
  }
}

/**
 * Eigendecomposition of the symmetric `n x n` matrix `a` (only its symmetric part is used) by
 * cyclic Jacobi rotations in float64; accurate to a few ulps of the largest eigenvalue.
 * `maxSweeps` (default 100) bounds the work; convergence usually takes under 15.
 */
export function symmetricEigen(a: Float64Array, n: number, maxSweeps = 100): SymmetricEigen {
  checkSquare(a, n, 'matrix');
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * n + j] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += m[i]! * m[i]!;
  scale = Math.sqrt(scale);
  for (let sweep = 0; sweep < maxSweeps && scale > 0; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! * m[i * n + j]!;
    if (Math.sqrt(off) <= 1e-15 * scale) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[x * n + x]! - m[y * n + y]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = m[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/** Product `a (n x k) * b (k x m)`, row-major float64. */
export function matMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += ail * b[l * m + j]!;
    }
  }
  return out;
}

/**
 * Square root of a symmetric positive semi-definite matrix, `V sqrt(max(L, 0)) V^T`; tiny
 * negative eigenvalues from rounding are clamped to 0.
 */
export function sqrtPsd(a: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const s = Math.sqrt(Math.max(values[j]!, 0));
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const vis = vectors[i * n + j]! * s;
      for (let k = 0; k < n; k++) out[i * n + k]! += vis * vectors[k * n + j]!;
    }
  }
  return out;
}

/** Trace of a square matrix. */
export function trace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i]!;
  return t;
}

/**
 * `tr(sqrt(A B))` for symmetric PSD `A`, `B`: computed as the sum of square roots of the
 * eigenvalues of the symmetric PSD matrix `sqrt(A) B sqrt(A)`, which shares them with `A B`.
 */
export function traceSqrtProduct(a: Float64Array, b: Float64Array, n: number): number {
  checkSquare(a, n, 'a');
  checkSquare(b, n, 'b');
  const ra = sqrtPsd(a, n);
  const m = matMul(matMul(ra, b, n, n, n), ra, n, n, n);
  const { values } = symmetricEigen(m, n);
  let t = 0;
  for (const v of values) t += Math.sqrt(Math.max(v, 0));
  return t;
}
