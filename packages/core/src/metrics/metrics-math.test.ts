import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { Rng } from '../random/rng.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { featureMatrix, type FeatureMatrix } from './features.js';
import { kernelDistance } from './kid.js';
import { precisionRecall } from './precision-recall.js';
import { classCoverage, classifierScore } from './classifier-score.js';
import { memorization } from './memorization.js';
import { kthNeighbourSquaredDistances, nearestSquaredDistances } from './neighbours.js';
import { readSync } from './reads.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gaussian(rng: Rng, count: number, dim: number, shift = 0, scale = 1): FeatureMatrix {
  const data = new Float32Array(count * dim);
  for (let i = 0; i < data.length; i++) {
    const u = 1 - rng.nextFloat();
    data[i] = shift + scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  }
  return featureMatrix(data, dim);
}

function row(m: FeatureMatrix, i: number): Float32Array {
  return m.data.subarray(i * m.dim, (i + 1) * m.dim);
}

function sqDist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

/** Brute-force float64 unbiased MMD^2 with the cubic kernel. */
function bruteMmd(x: FeatureMatrix, y: FeatureMatrix): number {
  const k = (a: Float32Array, b: Float32Array) => {
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
    return (dot / x.dim + 1) ** 3;
  };
  const m = x.count;
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) {
        xx += k(row(x, i), row(x, j));
        yy += k(row(y, i), row(y, j));
      }
      xy += k(row(x, i), row(y, j));
    }
  }
  return (xx + yy) / (m * (m - 1)) - (2 * xy) / (m * m);
}

/** Brute-force k-NN precision. */
function brutePrecision(real: FeatureMatrix, gen: FeatureMatrix, k: number): number {
  const radii = Array.from({ length: real.count }, (_, i) => {
    const d = Array.from({ length: real.count }, (_, j) => sqDist(row(real, i), row(real, j))).sort((a, b) => a - b);
    return d[k]!;
  });
  let inside = 0;
  for (let g = 0; g < gen.count; g++) {
    if (radii.some((r, i) => sqDist(row(gen, g), row(real, i)) <= r)) inside++;
  }
  return inside / gen.count;
}

describe('kernelDistance (KID)', () => {
  it('equals a brute-force float64 unbiased MMD^2 when one subset holds every sample', () => {
    const rng = new Rng(1);
    const x = gaussian(rng, 60, 5);
    const y = gaussian(rng, 60, 5, 0.3);
    const kid = kernelDistance(x, y, { subsetSize: 60, subsets: 1 });
    expect(kid.mean).toBeCloseTo(bruteMmd(x, y), 4);
    expect(kid.std).toBe(0);
  });

  it('is ~0 within its std for two samples of one distribution, and large for shifted ones', () => {
    const rng = new Rng(2);
    const x = gaussian(rng, 600, 8);
    const y = gaussian(rng, 600, 8);
    const same = kernelDistance(x, y, { subsetSize: 200, subsets: 20, seed: 3 });
    expect(Math.abs(same.mean)).toBeLessThan(2 * same.std + 1e-9);
    const shifted = kernelDistance(x, gaussian(rng, 600, 8, 1), { subsetSize: 200, subsets: 20, seed: 3 });
    expect(shifted.mean).toBeGreaterThan(10 * Math.abs(same.mean) + 5 * shifted.std);
  });

  it('is deterministic under a seed and validates its options', () => {
    const rng = new Rng(3);
    const x = gaussian(rng, 100, 4);
    const y = gaussian(rng, 100, 4);
    expect(kernelDistance(x, y, { subsetSize: 50, subsets: 5, seed: 9 })).toEqual(
      kernelDistance(x, y, { subsetSize: 50, subsets: 5, seed: 9 }),
    );
    expect(() => kernelDistance(x, y, { subsets: 0 })).toThrow(InvalidArgumentError);
    expect(() => kernelDistance(x, gaussian(rng, 10, 3))).toThrow(ShapeMismatchError);
  });
});

describe('precisionRecall', () => {
  it('matches a brute-force k-NN manifold test', () => {
    const rng = new Rng(4);
    const real = gaussian(rng, 80, 3);
    const gen = gaussian(rng, 70, 3, 0.7, 0.6);
    const pr = precisionRecall(real, gen, 3);
    expect(pr.precision).toBeCloseTo(brutePrecision(real, gen, 3), 10);
    expect(pr.recall).toBeCloseTo(brutePrecision(gen, real, 3), 10);
  });

  it('gives 1 and 1 for a set against itself, ~0 for disjoint sets, and low recall for a collapsed set', () => {
    const rng = new Rng(5);
    const real = gaussian(rng, 300, 6);
    expect(precisionRecall(real, real)).toEqual({ precision: 1, recall: 1, k: 3 });
    const far = precisionRecall(real, gaussian(rng, 300, 6, 50));
    expect(far.precision).toBe(0);
    expect(far.recall).toBe(0);
    const collapsed = precisionRecall(real, gaussian(rng, 300, 6, 0, 0.05));
    expect(collapsed.precision).toBeGreaterThan(0.9);
    expect(collapsed.recall).toBeLessThan(0.2);
  });

  it('rejects k outside [1, n - 1]', () => {
    const rng = new Rng(6);
    expect(() => precisionRecall(gaussian(rng, 5, 2), gaussian(rng, 5, 2), 5)).toThrow(InvalidArgumentError);
  });
});

describe('neighbours', () => {
  it('finds exact nearest and k-th neighbour distances and leaks no tensors', () => {
    const m = featureMatrix(Float32Array.from([0, 1, 3, 6, 10]), 1);
    const before = tf.memory().numTensors;
    expect(Array.from(readSync(kthNeighbourSquaredDistances(m, 1)))).toEqual([1, 1, 4, 9, 16]);
    expect(Array.from(readSync(kthNeighbourSquaredDistances(m, 2)))).toEqual([9, 4, 9, 16, 49]);
    expect(Array.from(readSync(nearestSquaredDistances(featureMatrix(Float32Array.from([2, 7]), 1), m)))).toEqual([1, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('classifierScore and classCoverage', () => {
  const oneHot = (labels: number[], classes: number) => {
    const data = new Float32Array(labels.length * classes);
    labels.forEach((l, i) => (data[i * classes + l] = 1));
    return featureMatrix(data, classes);
  };

  it('is the number of classes for confident balanced predictions and 1 for uniform ones', () => {
    const balanced = oneHot(Array.from({ length: 100 }, (_, i) => i % 10), 10);
    const score = classifierScore(balanced, 10);
    expect(score.mean).toBeCloseTo(10, 10);
    expect(score.std).toBeCloseTo(0, 10);
    expect(classifierScore(featureMatrix(new Float32Array(50 * 4).fill(0.25), 4), 5).mean).toBeCloseTo(1, 6);
    expect(classifierScore(oneHot(new Array(40).fill(3), 10), 2).mean).toBeCloseTo(1, 10);
  });

  it('measures coverage: KL 0 when balanced, log(K) when collapsed', () => {
    const balanced = classCoverage(oneHot(Array.from({ length: 100 }, (_, i) => i % 10), 10));
    expect(balanced.klToUniform).toBeCloseTo(0, 12);
    expect(balanced.classesCovered).toBe(10);
    expect(balanced.histogram.every((h) => h === 0.1)).toBe(true);
    const collapsed = classCoverage(oneHot(new Array(50).fill(2), 10));
    expect(collapsed.klToUniform).toBeCloseTo(Math.log(10), 12);
    expect(collapsed.classesCovered).toBe(1);
    expect(collapsed.histogram[2]).toBe(1);
  });
});

describe('memorization', () => {
  it('flags copies of training samples and not fresh samples', () => {
    const rng = new Rng(7);
    const train = gaussian(rng, 400, 6);
    const heldOut = gaussian(rng, 200, 6);
    const copies = featureMatrix(train.data.slice(0, 200 * 6), 6);
    const copied = memorization(copies, heldOut, train);
    // Float32 distances of exact copies come out near, not exactly, 0.
    expect(copied.meanGenerated).toBeLessThan(1e-3);
    expect(copied.ratio).toBeLessThan(1e-3);
    expect(copied.nearCopyFraction).toBe(1);
    const fresh = memorization(gaussian(rng, 200, 6), heldOut, train);
    expect(fresh.ratio).toBeGreaterThan(0.85);
    expect(fresh.ratio).toBeLessThan(1.15);
    expect(fresh.nearCopyFraction).toBeLessThan(0.05);
  });
});
