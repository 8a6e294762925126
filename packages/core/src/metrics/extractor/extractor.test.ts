import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../tf.js';
import { useBackend } from '../../backends/registry.js';
import { ModelFormatError, ShapeMismatchError } from '../../errors.js';
import type { ImageDataset } from '../../data/dataset.js';
import { fashionSplits } from '../fashion-data.test-utils.js';
import { FASHION_MNIST_EXTRACTOR, loadFeatureExtractor } from './default.js';
import { extractorFromWeights } from './feature-extractor.js';
import { classifierAccuracy, serializeExtractor, trainFeatureExtractor } from './train.js';

let test: ImageDataset;
let train: ImageDataset;

beforeAll(async () => {
  ({ train, test } = await fashionSplits());
});

afterAll(async () => {
  await useBackend('wasm');
});

describe('shipped Fashion-MNIST extractor', () => {
  it('carries a training record and fits in 1 MB', () => {
    const r = FASHION_MNIST_EXTRACTOR.record;
    expect(r.dataset).toContain('Fashion-MNIST');
    expect(r.trainImages).toBe(60_000);
    expect(r.storedTestAccuracy).toBeGreaterThanOrEqual(0.9);
    const bytes = FASHION_MNIST_EXTRACTOR.weights.reduce((s, w) => s + (w.data.length * 3) / 4, 0);
    expect(bytes).toBeLessThan(1_000_000);
  });

  it('loads with one call and gives the same features on cpu, wasm and (where available) webgpu', async () => {
    const images = test.take(64);
    const run = async (backend: string) => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const ex = loadFeatureExtractor();
      const out = ex.extract(images, 64, { batchSize: 20 });
      ex.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const cpu = await run('cpu');
    expect(cpu.features.dim).toBe(64);
    expect(cpu.probabilities.dim).toBe(10);
    const others = ['wasm'];
    // WebGPU in Node (Dawn) through @aigc/backend-webgpu, where this machine can run it.
    try {
      await useBackend('webgpu');
      others.push('webgpu');
    } catch (error) {
      console.warn(`[extractor] not checking webgpu here: ${(error as Error).message}`);
    }
    for (const backend of others) {
      const other = await run(backend);
      let maxDiff = 0;
      cpu.features.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - other.features.data[i]!))));
      console.log(`[extractor] max |feature(cpu) - feature(${backend})| = ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThan(1e-3 * (1 + Math.max(...cpu.features.data)));
    }
    for (let r = 0; r < 64; r++) {
      const row = cpu.probabilities.data.subarray(r * 10, r * 10 + 10);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('caches the features of a dataset (not of batches with a callback) and returns them unchanged', async () => {
    await useBackend('wasm');
    const ex = loadFeatureExtractor();
    const images = test.take(30);
    const first = ex.extract(images, 30);
    expect(ex.extract(images, 30)).toBe(first);
    expect(ex.extract(images, 20)).not.toBe(first);
    let calls = 0;
    const viaCallback = ex.extract(images, 30, { onBatch: () => calls++, batchSize: 10 });
    expect(calls).toBe(3);
    expect(viaCallback).not.toBe(first);
    expect(viaCallback.features.data).toEqual(first.features.data);
    ex.dispose();
  });

  it('classifies the test images it reports accuracy for (first 2,000: >= 88%)', async () => {
    await useBackend('wasm');
    const ex = loadFeatureExtractor();
    expect(classifierAccuracy(ex, test.take(2000))).toBeGreaterThanOrEqual(0.88);
    ex.dispose();
  });

  it('rejects other formats, wrong shapes and mismatched images', async () => {
    await useBackend('cpu');
    expect(() => extractorFromWeights({ ...FASHION_MNIST_EXTRACTOR, format: 'x' as never })).toThrow(ModelFormatError);
    const weights = [...FASHION_MNIST_EXTRACTOR.weights];
    weights[0] = { ...weights[0]!, shape: [1, 2, 3] };
    expect(() => extractorFromWeights({ ...FASHION_MNIST_EXTRACTOR, weights })).toThrow(/shape/);
    expect(() => extractorFromWeights({ ...FASHION_MNIST_EXTRACTOR, weights: weights.slice(1) })).toThrow(ModelFormatError);
    const ex = loadFeatureExtractor();
    expect(() => ex.predict(tf.zeros([1, 32, 32, 1]) as tf.Tensor4D)).toThrow(ShapeMismatchError);
    ex.dispose();
  });
});

describe('trainFeatureExtractor', () => {
  it('is deterministic under a seed, learns above chance, round-trips through serialization, and leaks nothing', async () => {
    await useBackend('wasm');
    const small = train.take(512);
    const check = test.take(500);
    const topology = { imageShape: [28, 28, 1] as const, convFilters: [4], kernelSize: 3, featureUnits: 16, numClasses: 10 };
    const before = tf.memory().numTensors;
    const run = () => trainFeatureExtractor(small, check, { topology, epochs: 2, batchSize: 32, seed: 5, learningRate: 0.003 });
    const a = await run();
    const b = await run();
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
    expect(a.testAccuracy).toBeGreaterThan(0.4);
    const record = { ...FASHION_MNIST_EXTRACTOR.record, testAccuracy: a.testAccuracy };
    const exact = extractorFromWeights(serializeExtractor(a.extractor, 'tiny', record, 'float32'));
    const half = extractorFromWeights(serializeExtractor(a.extractor, 'tiny', record));
    const f = (ex: typeof exact) => ex.extract(check, 50).features.data;
    expect(f(exact)).toEqual(f(a.extractor));
    const h = f(half);
    f(a.extractor).forEach((v, i) => expect(Math.abs(v - h[i]!)).toBeLessThan(0.02 * (1 + Math.abs(v))));
    expect(exact.name).toBe('tiny');
    for (const ex of [a.extractor, b.extractor, exact, half]) ex.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
