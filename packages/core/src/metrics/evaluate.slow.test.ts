/**
 * The sanity properties at the documented sample size (10,000 images each), and the shipped
 * extractor's accuracy on the full Fashion-MNIST test set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backends/registry.js';
import { ImageDataset } from '../data/dataset.js';
import { evaluate } from './evaluate.js';
import { loadFeatureExtractor } from './extractor/default.js';
import { classifierAccuracy } from './extractor/train.js';
import type { FeatureExtractor } from './extractor/feature-extractor.js';
import { blendWithNoise, fashionSplits } from './fashion-data.test-utils.js';

let extractor: FeatureExtractor;
let train: ImageDataset;
let test: ImageDataset;
let n = 10_000;

beforeAll(async () => {
  await useBackend('wasm');
  extractor = loadFeatureExtractor();
  ({ train, test } = await fashionSplits());
  n = Math.min(n, train.size, test.size);
});

afterAll(() => extractor?.dispose());

describe('metrics at 10,000 samples', () => {
  it('the shipped extractor reaches its recorded >= 90% accuracy on the full test set', () => {
    const acc = classifierAccuracy(extractor, test);
    console.log(`extractor test accuracy ${(100 * acc).toFixed(2)}% on ${test.size} images`);
    expect(acc).toBeGreaterThanOrEqual(0.9);
    expect(acc).toBeCloseTo(extractor.record!.storedTestAccuracy, 3);
  });

  it('FID: train vs test is small, noise is large, and blending with noise is monotone', async () => {
    const base = train.take(n);
    const values: number[] = [];
    for (const alpha of [0, 0.05, 0.25, 0.5, 1]) {
      const set = alpha === 0 ? base : ImageDataset.fromArrays({ images: blendWithNoise(base.images, alpha), imageShape: [28, 28, 1] });
      values.push((await evaluate(set, { real: test, n, metrics: ['fid'], extractor })).metrics[0]!.value);
    }
    console.log(`FID (n=${n}) by noise share 0/0.05/0.25/0.5/1: ${values.map((v) => v.toFixed(3)).join(' / ')}`);
    expect(values[0]!).toBeLessThan(0.5);
    expect(values[4]!).toBeGreaterThan(100 * values[0]!);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it('KID of two halves is ~0 within its std; precision and recall of real vs real are high (1 against itself)', async () => {
    const [a, b] = test.split(0.5);
    const kid = await evaluate(a, { real: b, metrics: ['kid'], extractor });
    const { value, std } = kid.metrics[0]!;
    console.log(`KID(test half, test half) = ${value.toExponential(2)} ± ${std!.toExponential(2)}`);
    expect(Math.abs(value)).toBeLessThanOrEqual(2 * std!);
    const pr = await evaluate(train.take(n), { real: test, n, metrics: ['precision', 'recall'], extractor });
    const [p, r] = pr.metrics.map((m) => m.value);
    console.log(`precision/recall (train ${n} vs test ${n}) = ${p} / ${r}`);
    const self = await evaluate(test, { real: test, n, metrics: ['precision', 'recall'], extractor });
    expect(self.metrics.map((m) => m.value)).toEqual([1, 1]);
    // Two disjoint real samples: ~0.87 each with k = 3 (a set against itself gives exactly 1; see docs/metrics.md).
    expect(p!).toBeGreaterThan(0.8);
    expect(r!).toBeGreaterThan(0.8);
  });
});
