import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ModelFormatError, ShapeMismatchError } from '../../errors.js';
import { tf, tfl } from '../../tf.js';
import { evaluate } from '../../metrics/evaluate.js';
import { featureExtractorFromModel, type PredictingModel } from '../../metrics/extractor/model-extractor.js';
import { ImageDataset } from '../../data/dataset.js';
import { saveLayersModelToDir } from '../model-io.js';
import { loadFeatureExtractorModel } from './extractor-file.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'aigc-extractor-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A model whose features are the per-channel means of its [8, 8, 3] input. */
function meanModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3] });
  const out = tfl.layers.globalAveragePooling2d({}).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** `n` images of shape [s, s, c] whose channel k is the constant values[k] (in [-1, 1]). */
function solid(n: number, s: number, values: readonly number[]): tf.Tensor4D {
  const c = values.length;
  const data = new Float32Array(n * s * s * c);
  for (let i = 0; i < data.length; i++) data[i] = values[i % c]!;
  return tf.tensor4d(data, [n, s, s, c]);
}

describe('featureExtractorFromModel', () => {
  it('computes features with the given preprocessing and refuses images it does not fit, naming the way out', () => {
    const ex = featureExtractorFromModel(meanModel(), { name: 'means', preprocess: 'zero-one' });
    expect(ex.imageShape).toEqual([8, 8, 3]);
    expect(ex.featureDim).toBe(3);
    expect(ex.numClasses).toBeUndefined();
    const images = solid(5, 8, [-1, 0, 0.5]);
    const { features, probabilities } = ex.extract(images, 5, { batchSize: 2 });
    expect(probabilities).toBeUndefined();
    expect(features.count).toBe(5);
    expect(Array.from(features.data.subarray(0, 3))).toEqual([0, 0.5, 0.75]);
    const big = solid(2, 16, [0, 0, 0]);
    expect(() => ex.extract(big, 2)).toThrow(ShapeMismatchError);
    expect(() => ex.extract(big, 2)).toThrow(/resize: true/);
    const gray = solid(2, 8, [0.2]);
    expect(() => ex.extract(gray, 2)).toThrow(/grayToRgb: true/);
    tf.dispose([images, big, gray]);
    ex.dispose();
  });

  it('resizes and repeats gray channels when asked; bytes preprocessing', () => {
    const ex = featureExtractorFromModel(meanModel(), { resize: true, grayToRgb: true, preprocess: 'bytes' });
    const gray = solid(3, 20, [1]);
    const before = tf.memory().numTensors;
    const f = ex.extract(gray, 3).features;
    expect(tf.memory().numTensors).toBe(before);
    for (const v of f.data) expect(v).toBeCloseTo(255, 3);
    gray.dispose();
    ex.dispose();
  });

  it('accepts a GraphModel-like model with named outputs and a function preprocessing', () => {
    const model: PredictingModel = {
      inputs: [{ shape: [-1, 4, 4, 3] }],
      predict: (x) => ({ logits: tf.sum(x, [1, 2, 3]), pool: tf.mean(x, [1, 2]) }),
      dispose: () => undefined,
    };
    const ex = featureExtractorFromModel(model, { output: 'pool', preprocess: (x) => tf.mul(x, 2) });
    const images = solid(2, 4, [0.25, -0.5, 0]);
    expect(Array.from(ex.extract(images, 2).features.data)).toEqual([0.5, -1, 0, 0.5, -1, 0]);
    expect(() => featureExtractorFromModel({ ...model, inputs: [{ shape: [null, null, null, 3] }] })).toThrow(InvalidArgumentError);
    images.dispose();
  });
});

describe('evaluate with a user-supplied extractor', () => {
  it('the default Fashion-MNIST extractor refuses 64x64 colour images, naming featureExtractorFromModel', async () => {
    const images = solid(4, 64, [0, 0.5, -0.5]);
    const error = await evaluate(images, { real: images, n: 4 }).catch((e: unknown) => e as Error);
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('default extractor "fashion-mnist-cnn-v1" scores only [28, 28, 1]');
    expect((error as Error).message).toContain('featureExtractorFromModel');
    images.dispose();
  });

  it('scores colour images with the model extractor: features-only metrics, and class metrics refused', async () => {
    const ex = featureExtractorFromModel(meanModel(), { name: 'means', resize: true });
    const pixels = new Uint8Array(40 * 16 * 16 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + Math.floor(i / 768) * 13) % 256;
    const real = ImageDataset.fromUint8({ pixels, imageShape: [16, 16, 3] });
    const report = await evaluate(real, { real, n: 40, extractor: ex, kid: { subsetSize: 20, subsets: 2 } });
    expect(report.extractor).toEqual({ name: 'means', featureDim: 3 });
    expect(report.metrics.map((m) => m.name)).toEqual(['fid', 'kid', 'precision', 'recall']);
    expect(report.metrics[0]!.value).toBeCloseTo(0, 4);
    await expect(evaluate(real, { real, n: 40, extractor: ex, metrics: ['classifierScore'] })).rejects.toThrow(/classifier head/);
    const strict = featureExtractorFromModel(meanModel());
    await expect(evaluate(real, { real, n: 40, extractor: strict })).rejects.toThrow(/generated images are \[16, 16, 3\].*resize: true/);
    ex.dispose();
    strict.dispose();
  });
});

describe('loadFeatureExtractorModel', () => {
  it('loads a LayersModel folder and a model.json URL, and names the way out for a graph model', async () => {
    const folder = join(dir, 'means');
    await saveLayersModelToDir(meanModel(), folder);
    const images = solid(2, 8, [0.5, 0, -0.5]);
    const ex = await loadFeatureExtractorModel(folder);
    expect(ex.name).toBe(folder);
    expect(Array.from(ex.extract(images, 2).features.data.subarray(0, 3))).toEqual([0.5, 0, -0.5]);
    ex.dispose();
    const fetch = (async (url: string | URL) => {
      const name = new URL(String(url)).pathname.split('/').pop()!;
      return new Response(await readFile(join(folder, name)));
    }) as typeof globalThis.fetch;
    const fromUrl = await loadFeatureExtractorModel('https://models.example/means/model.json', { fetch });
    expect(Array.from(fromUrl.extract(images, 2).features.data.subarray(0, 3))).toEqual([0.5, 0, -0.5]);
    fromUrl.dispose();
    const graph = join(dir, 'graph');
    await saveLayersModelToDir(meanModel(), graph);
    const json = JSON.parse(await readFile(join(graph, 'model.json'), 'utf8'));
    await writeFile(join(graph, 'model.json'), JSON.stringify({ ...json, format: 'graph-model' }));
    const error = await loadFeatureExtractorModel(graph).catch((e: unknown) => e as Error);
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('@tensorflow/tfjs-converter');
    images.dispose();
  });
});
