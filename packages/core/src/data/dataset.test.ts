import '@tensorflow/tfjs-backend-cpu';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { tf } from '../tf.js';
import { ImageDataset, pixelHistogram } from './dataset.js';
import { encodeIdx, fakeImagesIdx, fakeLabelsIdx, gzip } from './idx.test-utils.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** `count` 2x2x1 images; image i has every pixel equal to i / count (distinct rows). */
function rows(count: number, labels = true): ImageDataset {
  const images = new Float32Array(count * 4);
  for (let i = 0; i < count; i++) images.fill(i / count, i * 4, i * 4 + 4);
  return ImageDataset.fromArrays({
    images,
    imageShape: [2, 2, 1],
    ...(labels ? { labels: Array.from({ length: count }, (_, i) => i % 3) } : {}),
  });
}

describe('ImageDataset.fromArrays validation', () => {
  it('builds a dataset and infers numClasses', () => {
    const ds = rows(6);
    expect(ds.size).toBe(6);
    expect(ds.imageShape).toEqual([2, 2, 1]);
    expect(ds.pixelsPerImage).toBe(4);
    expect(ds.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(ds.numClasses).toBe(3);
    const unlabeled = rows(2, false);
    expect(unlabeled.labels).toBeUndefined();
    expect(unlabeled.numClasses).toBeUndefined();
  });

  it('keeps an explicit numClasses', () => {
    const ds = ImageDataset.fromArrays({
      images: new Float32Array(2),
      imageShape: [1, 1, 1],
      labels: [0, 1],
      numClasses: 10,
    });
    expect(ds.numClasses).toBe(10);
  });

  it('rejects NaN and Infinity, naming the first bad index', () => {
    const images = new Float32Array(8);
    images[5] = Number.NaN;
    images[6] = Number.POSITIVE_INFINITY;
    const error = errorOf(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1] }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('images[5] (image 1, pixel 1) is NaN');
    images[5] = 0;
    expect(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1] })).toThrow(/images\[6\].*Infinity/);
  });

  it('rejects values outside [-1, 1] with a normalization hint', () => {
    const images = new Float32Array([0, 0.5, 255, 0]);
    const error = errorOf(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1] }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('images[2]');
    expect(error.message).toContain('outside [-1, 1]');
    expect(error.message).toContain('x / 127.5 - 1');
    expect(() => ImageDataset.fromArrays({ images: new Float32Array([-1.0001]), imageShape: [1, 1, 1] })).toThrow(
      /outside/
    );
  });

  it('rejects an empty dataset and a length that does not fit the shape', () => {
    expect(() => ImageDataset.fromArrays({ images: new Float32Array(0), imageShape: [2, 2, 1] })).toThrow(/empty/);
    const error = errorOf(() => ImageDataset.fromArrays({ images: new Float32Array(7), imageShape: [2, 2, 1] }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('not a multiple of 4');
    expect(() => ImageDataset.fromArrays({ images: new Float32Array(4), imageShape: [2, 2] as never })).toThrow(
      InvalidArgumentError
    );
  });

  it('rejects label count mismatch and bad label values', () => {
    const images = new Float32Array(12);
    const mismatch = errorOf(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1], labels: [0, 1] }));
    expect(InvalidDataError.isInstance(mismatch)).toBe(true);
    expect(mismatch.message).toContain('labels has 2 entries but there are 3 images');
    expect(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1], labels: [0, 1.5, 2] })).toThrow(
      /labels\[1\] is 1.5/
    );
    expect(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1], labels: [0, -1, 2] })).toThrow(
      /labels\[1\] is -1/
    );
    expect(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1], labels: [0, 1, 2], numClasses: 2 })).toThrow(
      /labels\[2\] is 2, not an integer in \[0, 2\)/
    );
    expect(() => ImageDataset.fromArrays({ images, imageShape: [2, 2, 1], numClasses: 2 })).toThrow(
      InvalidArgumentError
    );
  });
});

describe('ImageDataset.fromIdx', () => {
  it('decodes images and labels (gzip or raw)', () => {
    const ds = ImageDataset.fromIdx(gzip(fakeImagesIdx(5, 3, 4)), fakeLabelsIdx(5, 4));
    expect(ds.size).toBe(5);
    expect(ds.imageShape).toEqual([3, 4, 1]);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 2, 3, 0]);
    expect(ds.numClasses).toBe(4);
    const raw = encodeIdx('uint8', [1, 1, 2], [0, 255]);
    expect(Array.from(ImageDataset.fromIdx(raw).images)).toEqual([-1, 1]);
  });

  it('honours limit and rejects mismatched counts', () => {
    expect(ImageDataset.fromIdx(fakeImagesIdx(5, 2, 2), fakeLabelsIdx(5), { limit: 3 }).size).toBe(3);
    const error = errorOf(() =>
      ImageDataset.fromIdx(fakeImagesIdx(5, 2, 2), fakeLabelsIdx(4), { imagesName: 'a', labelsName: 'b' })
    );
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('a holds 5 images but b holds 4 labels');
  });
});

describe('selection', () => {
  it('take, subset and split return the right rows', () => {
    const ds = rows(10);
    const first = ds.take(3);
    expect(first.size).toBe(3);
    expect(Array.from(first.labels!)).toEqual([0, 1, 2]);
    expect(ds.take(100)).toBe(ds);
    const sub = ds.subset([9, 0, 9]);
    expect(sub.size).toBe(3);
    expect(Array.from(sub.images)).toEqual([0.9, 0.9, 0.9, 0.9, 0, 0, 0, 0, 0.9, 0.9, 0.9, 0.9].map(Math.fround));
    expect(Array.from(sub.labels!)).toEqual([0, 0, 0]);
    expect(sub.numClasses).toBe(3);
    const [a, b] = ds.split(0.8);
    expect(a.size).toBe(8);
    expect(b.size).toBe(2);
    expect(b.images[0]).toBeCloseTo(0.8, 6);
    expect(Array.from(b.labels!)).toEqual([2, 0]);
    expect(() => ds.split(1)).toThrow(InvalidArgumentError);
    expect(() => ds.split(0.01)).toThrow(/empty part/);
    expect(() => ds.subset([10])).toThrow(/not an image index/);
    expect(() => ds.subset([])).toThrow(InvalidArgumentError);
  });

  it('filterClasses keeps only the given classes', () => {
    const ds = rows(7);
    const only2 = ds.filterClasses(2);
    expect(only2.size).toBe(2);
    expect(Array.from(only2.labels!)).toEqual([2, 2]);
    expect(only2.numClasses).toBe(3);
    expect(ds.filterClasses([0, 1]).size).toBe(5);
    expect(() => ds.filterClasses(7)).toThrow(InvalidArgumentError);
    expect(() => rows(3, false).filterClasses(0)).toThrow(/labeled/);
  });
});

describe('batching', () => {
  it('batchCount drops or keeps the remainder, and rejects a batch larger than the data', () => {
    const ds = rows(10);
    expect(ds.batchCount(3)).toBe(3);
    expect(ds.batchCount(3, false)).toBe(4);
    expect(ds.batchCount(10)).toBe(1);
    const error = errorOf(() => ds.batchCount(64));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('batchSize');
    expect(error.message).toContain('dataset (10 images)');
    expect(error.message).toContain('at most 10');
    expect(() => ds.batchCount(0)).toThrow(InvalidArgumentError);
    expect(() => ds.batchCount(2.5)).toThrow(InvalidArgumentError);
  });

  it('epochOrder is a seeded permutation', () => {
    const ds = rows(50);
    const a = ds.epochOrder(new Rng(7));
    const b = ds.epochOrder(new Rng(7));
    const c = ds.epochOrder(new Rng(8));
    expect(a).toBeInstanceOf(Int32Array);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // Successive epochs from one generator differ, and resuming from a saved state repeats them.
    const rng = new Rng(1);
    const state = rng.getState();
    const e1 = Array.from(ds.epochOrder(rng));
    const e2 = Array.from(ds.epochOrder(rng));
    expect(e1).not.toEqual(e2);
    rng.setState(state);
    expect(Array.from(ds.epochOrder(rng))).toEqual(e1);
  });

  it('batch copies the selected rows into tensors', () => {
    const ds = rows(10);
    const order = Int32Array.from([4, 7, 1, 9, 0]);
    const { images, labels } = ds.batch(order, 1, 3);
    expect(images.shape).toEqual([3, 2, 2, 1]);
    expect(images.dtype).toBe('float32');
    const expected = [7, 1, 9].flatMap((i) => Array(4).fill(Math.fround(i / 10)) as number[]);
    expect(Array.from(images.dataSync())).toEqual(expected);
    expect(labels!.dtype).toBe('int32');
    expect(Array.from(labels!.dataSync())).toEqual([1, 1, 0]);
    images.dispose();
    labels!.dispose();
  });

  it('batch returns a short final batch and no labels for unlabeled data', () => {
    const ds = rows(5, false);
    const b = ds.batch([0, 1, 2, 3, 4], 3, 4);
    expect(b.images.shape).toEqual([2, 2, 2, 1]);
    expect(b.labels).toBeUndefined();
    b.images.dispose();
    expect(() => ds.batch([0, 1], 2, 1)).toThrow(/start must be an integer/);
    expect(() => ds.batch([0, 5], 0, 2)).toThrow(/indices\[1\] is 5/);
  });

  it('leaks no tensors over an epoch', () => {
    const ds = rows(20);
    const before = tf.memory().numTensors;
    const order = ds.epochOrder(new Rng(3));
    const batchSize = 6;
    for (let b = 0; b < ds.batchCount(batchSize); b++) {
      const batch = ds.batch(order, b * batchSize, batchSize);
      batch.images.dispose();
      batch.labels?.dispose();
    }
    expect(() => ds.batch([0, 99], 0, 2)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gather returns plain arrays', () => {
    const g = rows(4).gather([3, 2], 0, 8);
    expect(g.count).toBe(2);
    expect(g.images[0]).toBeCloseTo(0.75, 6);
    expect(g.images[4]).toBeCloseTo(0.5, 6);
    expect(Array.from(g.labels!)).toEqual([0, 2]);
  });
});

describe('pixelHistogram', () => {
  it('bins values over [-1, 1] and sums to 1', () => {
    const h = pixelHistogram(new Float32Array([-1, -0.99, 0, 0.5, 1, 1]), 4);
    expect(Array.from(h)).toEqual([2 / 6, 0, 1 / 6, 3 / 6]);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('dataset histogram has the requested bins and sums to 1', () => {
    const ds = ImageDataset.fromIdx(fakeImagesIdx(10, 4, 4));
    const h = ds.pixelHistogram();
    expect(h).toBeInstanceOf(Float64Array);
    expect(h.length).toBe(10);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(ds.pixelHistogram(3).length).toBe(3);
  });

  it('clamps out-of-range values to the edge bins and rejects NaN and bad bins', () => {
    expect(Array.from(pixelHistogram(new Float32Array([-5, 5]), 2))).toEqual([0.5, 0.5]);
    expect(() => pixelHistogram(new Float32Array([0, Number.NaN]))).toThrow(/value 1 is NaN/);
    expect(() => pixelHistogram(new Float32Array(0))).toThrow(InvalidDataError);
    expect(() => pixelHistogram(new Float32Array(1), 0)).toThrow(InvalidArgumentError);
  });
});

describe('isomorphic sources', () => {
  it('no non-test module in data/ imports a node: module', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test'));
    expect(sources).toEqual(expect.arrayContaining(['idx.ts', 'mnist-format.ts', 'dataset.ts', 'index.ts']));
    for (const file of sources) {
      expect(readFileSync(dir + file, 'utf8')).not.toMatch(/from ['"]node:|require\(['"]node:/);
    }
  });
});

describe('ImageDataset.fromUint8 (byte storage)', () => {
  const pixels = Uint8Array.from({ length: 5 * 4 }, (_, i) => (i * 53) % 256);
  const bytes = () => ImageDataset.fromUint8({ pixels, imageShape: [2, 2, 1], labels: [0, 1, 2, 0, 1], classNames: ['a', 'b', 'c'] });

  it('stores bytes, batches as v / 127.5 - 1, and matches the float32 dataset of the same pixels', () => {
    const ds = bytes();
    const floats = ImageDataset.fromArrays({ images: Float32Array.from(pixels, (v) => v / 127.5 - 1), imageShape: [2, 2, 1], labels: [0, 1, 2, 0, 1] });
    expect(ds.storage).toBe('uint8');
    expect(floats.storage).toBe('float32');
    expect(ds.byteLength).toBe(20);
    expect(floats.byteLength).toBe(80);
    expect(ds.pixels).toBe(pixels);
    expect(floats.pixels).toBeUndefined();
    expect(ds.numClasses).toBe(3);
    expect(ds.classNames).toEqual(['a', 'b', 'c']);
    const order = [4, 0, 2];
    const a = ds.batch(order, 0, 3);
    const b = floats.batch(order, 0, 3);
    expect(Array.from(a.images.dataSync())).toEqual(Array.from(b.images.dataSync()));
    expect(Array.from(a.labels!.dataSync())).toEqual([1, 0, 2]);
    tf.dispose([a.images, a.labels!, b.images, b.labels!]);
    expect(Array.from(ds.images)).toEqual(Array.from(floats.images));
    const hf = floats.pixelHistogram(7);
    ds.pixelHistogram(7).forEach((v, i) => expect(v).toBeCloseTo(hf[i]!, 12));
    const t = ds.rangeTensor(1, 2);
    expect(Array.from(t.dataSync())).toEqual(Array.from(floats.images.subarray(4, 12)));
    t.dispose();
  });

  it('keeps byte storage and class names through take, subset, split and filterClasses', () => {
    const ds = bytes();
    for (const part of [ds.take(2), ds.subset([3, 1]), ...ds.split(0.4), ds.filterClasses(1)]) {
      expect(part.storage).toBe('uint8');
      expect(part.classNames).toEqual(['a', 'b', 'c']);
      expect(part.numClasses).toBe(3);
    }
    expect(Array.from(ds.subset([3]).pixels!)).toEqual(Array.from(pixels.subarray(12, 16)));
  });

  it('rejects bad input with typed errors', () => {
    expect(() => ImageDataset.fromUint8({ pixels: new Float32Array(4) as unknown as Uint8Array, imageShape: [2, 2, 1] })).toThrow(InvalidArgumentError);
    expect(() => ImageDataset.fromUint8({ pixels: new Uint8Array(0), imageShape: [2, 2, 1] })).toThrow(InvalidDataError);
    expect(() => ImageDataset.fromUint8({ pixels: new Uint8Array(5), imageShape: [2, 2, 1] })).toThrow(/not a multiple of 4/);
    expect(() => ImageDataset.fromUint8({ pixels: new Uint8Array(8), imageShape: [2, 2, 1], labels: [0, 1], numClasses: 2, classNames: ['x'] })).toThrow(/classNames has 1/);
    expect(() => ImageDataset.fromUint8({ pixels: new Uint8Array(8), imageShape: [2, 2, 1], classNames: ['x'] })).toThrow(/without labels/);
    expect(() => ImageDataset.fromUint8({ pixels: new Uint8Array(8), imageShape: [2, 2, 1], labels: [0, 3], classNames: ['x', 'y'] })).toThrow(InvalidDataError);
  });
});
