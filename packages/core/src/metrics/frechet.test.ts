import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { ShapeMismatchError } from '../errors.js';
import { matMul, symmetricEigen, traceSqrtProduct } from './linalg.js';
import { frechetDistance } from './frechet.js';
import { gaussianStats } from './gaussian.js';
import { featureMatrix } from './features.js';

/** A random rotation (orthogonal matrix) from the eigenvectors of a random symmetric matrix. */
function rotation(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = rng.nextFloat() - 0.5;
  return symmetricEigen(a, n).vectors;
}

function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}

/** R diag(d) R^T. */
function withSpectrum(r: Float64Array, d: number[]): Float64Array {
  const n = d.length;
  const rd = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rd[i * n + j] = r[i * n + j]! * d[j]!;
  return matMul(rd, transpose(r, n), n, n, n);
}

function gaussianSamples(rng: Rng, count: number, mean: number[], chol: Float64Array): Float32Array {
  const n = mean.length;
  const out = new Float32Array(count * n);
  const z = new Float64Array(n);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < n; i++) {
      const u1 = 1 - rng.nextFloat();
      z[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextFloat());
    }
    for (let i = 0; i < n; i++) {
      let s = mean[i]!;
      for (let k = 0; k < n; k++) s += chol[i * n + k]! * z[k]!;
      out[r * n + i] = s;
    }
  }
  return out;
}

describe('symmetricEigen', () => {
  it('diagonalizes a random symmetric matrix: A V = V L, V orthogonal, values ascending', () => {
    const n = 12;
    const rng = new Rng(4);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.nextFloat() * 2 - 1;
    const { values, vectors } = symmetricEigen(a, n);
    const av = matMul(a, vectors, n, n, n);
    const vtv = matMul(transpose(vectors, n), vectors, n, n, n);
    for (let i = 0; i < n; i++) {
      if (i > 0) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
      for (let j = 0; j < n; j++) {
        expect(av[i * n + j]!).toBeCloseTo(vectors[i * n + j]! * values[j]!, 12);
        expect(vtv[i * n + j]!).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});

describe('frechetDistance', () => {
  it('matches the closed form for commuting covariances: |dmu|^2 + sum (sqrt a - sqrt b)^2', () => {
    const n = 6;
    const r = rotation(n, new Rng(1));
    const da = [0.5, 1, 2, 3, 4, 9];
    const db = [1, 1, 0.25, 5, 4, 1];
    const muA = [0, 1, 2, 3, 4, 5];
    const muB = [1, 1, 2, 3, 2, 5];
    const expected = 1 + 4 + da.reduce((s, a, i) => s + (Math.sqrt(a) - Math.sqrt(db[i]!)) ** 2, 0);
    const fd = frechetDistance(
      { dim: n, mean: Float64Array.from(muA), cov: withSpectrum(r, da) },
      { dim: n, mean: Float64Array.from(muB), cov: withSpectrum(r, db) },
    );
    expect(fd).toBeCloseTo(expected, 10);
  });

  it('matches the closed form for non-commuting 2x2 covariances', () => {
    // For 2x2 PSD A, B: tr sqrt(AB) = sqrt(tr(AB) + 2 sqrt(det A det B)).
    const a = Float64Array.from([2, 0.7, 0.7, 1]);
    const b = Float64Array.from([1, -0.4, -0.4, 3]);
    const ab = matMul(a, b, 2, 2, 2);
    const detA = 2 * 1 - 0.49;
    const detB = 3 - 0.16;
    const trSqrt = Math.sqrt(ab[0]! + ab[3]! + 2 * Math.sqrt(detA * detB));
    expect(traceSqrtProduct(a, b, 2)).toBeCloseTo(trSqrt, 12);
    const fd = frechetDistance(
      { dim: 2, mean: Float64Array.from([1, 2]), cov: a },
      { dim: 2, mean: Float64Array.from([-1, 2.5]), cov: b },
    );
    expect(fd).toBeCloseTo(4 + 0.25 + 3 + 4 - 2 * trSqrt, 12);
  });

  it('is 0 for identical Gaussians, |dmu|^2 for equal covariances, and works for singular ones', () => {
    const n = 5;
    const cov = withSpectrum(rotation(n, new Rng(7)), [0, 0, 1, 2, 3]);
    const mean = Float64Array.from([1, 2, 3, 4, 5]);
    expect(frechetDistance({ dim: n, mean, cov }, { dim: n, mean, cov })).toBeLessThan(1e-10);
    const shifted = Float64Array.from([1, 2, 3, 4, 7]);
    expect(frechetDistance({ dim: n, mean, cov }, { dim: n, mean: shifted, cov })).toBeCloseTo(4, 10);
  });

  it('estimated from samples, approaches the closed form of the generating Gaussians', () => {
    const n = 4;
    const rng = new Rng(11);
    const ra = rotation(n, rng);
    const specA = [0.25, 1, 2, 4];
    const specB = [1, 1, 1, 1];
    // Cholesky-like factors: R diag(sqrt d) gives covariance R diag(d) R^T.
    const factor = (d: number[]) => {
      const f = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) f[i * n + j] = ra[i * n + j]! * Math.sqrt(d[j]!);
      return f;
    };
    const count = 40_000;
    const x = gaussianStats(featureMatrix(gaussianSamples(rng, count, [0, 0, 0, 0], factor(specA)), n));
    const y = gaussianStats(featureMatrix(gaussianSamples(rng, count, [1, 0, 0, 0], factor(specB)), n));
    const expected = 1 + specA.reduce((s, a, i) => s + (Math.sqrt(a) - Math.sqrt(specB[i]!)) ** 2, 0);
    expect(frechetDistance(x, y)).toBeCloseTo(expected, 1);
  });

  it('rejects Gaussians of different dimensions', () => {
    const one = { dim: 1, mean: Float64Array.from([0]), cov: Float64Array.from([1]) };
    const two = { dim: 2, mean: Float64Array.from([0, 0]), cov: Float64Array.from([1, 0, 0, 1]) };
    expect(() => frechetDistance(one, two)).toThrow(ShapeMismatchError);
  });
});
