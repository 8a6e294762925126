import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../tf.js';
import { useBackend } from '../backends/registry.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { ImageDataset } from '../data/dataset.js';
import { mlpGan } from '../models/mlp-gan.js';
import { evaluate } from './evaluate.js';
import { kernelDistance } from './kid.js';
import { precisionRecall } from './precision-recall.js';
import { formatReport, METRIC_NAMES } from './report.js';
import { loadFeatureExtractor } from './extractor/default.js';
import type { FeatureExtractor } from './extractor/feature-extractor.js';
import { blendWithNoise, fashionSplits } from './fashion-data.test-utils.js';

let extractor: FeatureExtractor;
let train: ImageDataset;
let test: ImageDataset;
const N = 1000;

beforeAll(async () => {
  await useBackend('wasm');
  extractor = loadFeatureExtractor();
  ({ train, test } = await fashionSplits());
});

afterAll(() => extractor?.dispose());

function noiseSet(alpha: number, base: ImageDataset): ImageDataset {
  return ImageDataset.fromArrays({ images: blendWithNoise(base.images, alpha), imageShape: base.imageShape });
}

const fid = async (source: ImageDataset, n = N) =>
  (await evaluate(source, { real: test, n, metrics: ['fid'], extractor })).metrics[0]!.value;

describe('evaluate: sanity properties on Fashion-MNIST (1,000 images each)', () => {
  it('FID(train subset, test) is small and FID(uniform noise, test) is large', async () => {
    const realFid = await fid(train.take(N));
    const noise = ImageDataset.fromArrays({
      images: blendWithNoise(new Float32Array(N * 784), 1, 7),
      imageShape: [28, 28, 1],
    });
    const noiseFid = await fid(noise);
    console.log(`FID(train ${N}, test ${N}) = ${realFid.toFixed(3)}; FID(noise, test) = ${noiseFid.toFixed(1)}`);
    // Measured with fashion-mnist-cnn-v1: 1.48 and 191 (see docs/metrics.md for 10,000 samples).
    expect(realFid).toBeLessThan(3);
    expect(noiseFid).toBeGreaterThan(100);
    expect(noiseFid).toBeGreaterThan(50 * realFid);
  });

  it('FID grows monotonically as real images are blended with noise', async () => {
    const base = train.take(N);
    const values: number[] = [];
    for (const alpha of [0, 0.1, 0.25, 0.5, 0.75, 1]) values.push(await fid(alpha === 0 ? base : noiseSet(alpha, base)));
    console.log(`FID by noise share 0/0.1/0.25/0.5/0.75/1: ${values.map((v) => v.toFixed(2)).join(' / ')}`);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it('KID of two halves of one set is ~0 within its std; precision/recall of real vs real are ~1', async () => {
    const [a, b] = test.take(2 * N).split(0.5);
    const report = await evaluate(a, {
      real: b,
      n: N,
      metrics: ['kid', 'precision', 'recall'],
      kid: { subsetSize: 500, subsets: 20 },
      extractor,
    });
    const [kid, precision, recall] = report.metrics;
    console.log(`KID(half, half) = ${kid!.value.toExponential(2)} ± ${kid!.std!.toExponential(2)}; P/R = ${precision!.value}, ${recall!.value}`);
    expect(Math.abs(kid!.value)).toBeLessThanOrEqual(2 * kid!.std!);
    // Disjoint real sets: most samples fall in the other set's k-NN manifold.
    expect(precision!.value).toBeGreaterThan(0.65);
    expect(recall!.value).toBeGreaterThan(0.65);
    const same = await evaluate(a, { real: a, n: N, metrics: ['precision', 'recall'], extractor });
    expect(same.metrics.map((m) => m.value)).toEqual([1, 1]);
  });
});

describe('evaluate: API', () => {
  it('evaluates a GanModel with every metric, reports sample counts and extractor, and leaks no tensors', async () => {
    const gan = mlpGan({ seed: 3 });
    const options = { real: test, n: 300, train: train.take(500), kid: { subsetSize: 100, subsets: 5 }, extractor };
    await evaluate(gan, options); // warm-up: backend kernels and caches
    const before = tf.memory().numTensors;
    const report = await evaluate(gan, options);
    expect(tf.memory().numTensors).toBe(before);
    expect(report.metrics.map((m) => m.name)).toEqual([...METRIC_NAMES]);
    expect(report.samples).toEqual({ generated: 300, real: 300, train: 500 });
    expect(report.extractor.name).toBe(extractor.name);
    expect(report.backend).toBe('wasm');
    for (const m of report.metrics) expect(Number.isFinite(m.value)).toBe(true);
    const byName = Object.fromEntries(report.metrics.map((m) => [m.name, m]));
    // An untrained generator is far from the data and its untrained D is near chance.
    expect(byName.fid!.value).toBeGreaterThan(10 * (await fid(train.take(300), 300)));
    expect(byName.discriminatorAccuracy!.value).toBeGreaterThanOrEqual(0);
    expect(byName.discriminatorAccuracy!.value).toBeLessThanOrEqual(1);
    expect(byName.memorization!.samples.train).toBe(500);
    const again = await evaluate(gan, options);
    expect(again.metrics.map((m) => m.value)).toEqual(report.metrics.map((m) => m.value));
    const text = formatReport(report);
    expect(text).toContain('FID');
    expect(text).toContain('D accuracy');
    expect(text.split('\n')).toHaveLength(2 + METRIC_NAMES.length);
    gan.dispose();
  });

  it('reads tensors only asynchronously (WebGPU in Node has no dataSync), with the same numbers as the sync building blocks', async () => {
    const gan = mlpGan({ seed: 5 });
    const options = { real: test, n: 200, train: train.take(300), kid: { subsetSize: 100, subsets: 3 }, extractor };
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
      throw new Error('dataSync called');
    });
    let report: Awaited<ReturnType<typeof evaluate>>;
    const before = tf.memory().numTensors;
    try {
      report = await evaluate(gan, options);
    } finally {
      spy.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(report.metrics.map((m) => m.name)).toEqual([...METRIC_NAMES]);
    const gen = extractor.extract(gan, 200, { batchSize: 250, seed: 0 });
    const real = extractor.extract(test, 200, { batchSize: 250 });
    const byName = Object.fromEntries(report.metrics.map((m) => [m.name, m.value]));
    expect(byName.kid).toBeCloseTo(kernelDistance(gen.features, real.features, { subsetSize: 100, subsets: 3, seed: 0 }).mean, 6);
    expect(byName.precision).toBe(precisionRecall(real.features, gen.features, 3).precision);
    gan.dispose();
  });

  it('passes labels to a conditional GAN: balanced ones for samples, the real ones for real images', async () => {
    const seen: number[][] = [];
    // Stand-in conditional GAN: D says "real" exactly for even labels.
    const stub = {
      latentDim: 2,
      imageShape: [28, 28, 1] as const,
      numClasses: 10,
      sample: (n: number, o?: { labels?: ArrayLike<number> }) => {
        seen.push(Array.from(o!.labels!));
        return tf.zeros([n, 28, 28, 1]) as tf.Tensor4D;
      },
      discriminate: (images: tf.Tensor4D, labels?: tf.Tensor1D) =>
        tf.tidy(() => tf.reshape(tf.sub(tf.mul(tf.cast(tf.equal(tf.mod(labels!, 2), 0), 'float32'), 2), 1), [images.shape[0], 1])),
    } as unknown as Parameters<typeof evaluate>[0];
    const real = test.take(100);
    const report = await evaluate(stub, { real, n: 40, batchSize: 15, metrics: ['discriminatorAccuracy'], extractor });
    expect(seen[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
    expect(seen[1]![0]).toBe(5);
    const evenReal = Array.from(real.labels!.subarray(0, 40)).filter((l) => l % 2 === 0).length / 40;
    expect(report.metrics[0]!.details).toEqual({ accuracyReal: evenReal, accuracyFake: 0.5 });
    const unlabeled = tf.zeros([4, 28, 28, 1]) as tf.Tensor4D;
    await expect(evaluate(stub, { real: unlabeled, metrics: ['discriminatorAccuracy'], extractor })).rejects.toThrow(/labeled/);
    unlabeled.dispose();
  });

  it('rejects unknown metrics, memorization without train, D accuracy without a GanModel, and misshaped images', async () => {
    const images = test.take(50);
    await expect(evaluate(images, { real: test, metrics: ['nope' as 'fid'], extractor })).rejects.toThrow(InvalidArgumentError);
    await expect(evaluate(images, { real: test, metrics: ['memorization'], extractor })).rejects.toThrow(/train/);
    await expect(evaluate(images, { real: test, metrics: ['discriminatorAccuracy'], extractor })).rejects.toThrow(/GanModel/);
    const small = ImageDataset.fromArrays({ images: new Float32Array(4 * 64), imageShape: [8, 8, 1] });
    await expect(evaluate(small, { real: test, metrics: ['fid'], extractor })).rejects.toThrow(ShapeMismatchError);
  });

  it('caps n at the size of a fixed image set and omits inapplicable metrics by default', async () => {
    const report = await evaluate(test.take(120), { real: train.take(200), n: 10_000, kid: { subsetSize: 50, subsets: 3 }, extractor });
    expect(report.samples).toEqual({ generated: 120, real: 200 });
    expect(report.metrics.map((m) => m.name)).not.toContain('memorization');
    expect(report.metrics.map((m) => m.name)).not.toContain('discriminatorAccuracy');
  });
});
