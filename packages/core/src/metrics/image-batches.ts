/** Streams images in batches from a dataset, a tensor or a generator, so metrics never hold all images as tensors. */
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { ImageDataset } from '../data/dataset.js';
import type { ImageGenerator, ImageShape } from '../models/types.js';

/** A fixed set of images in [-1, 1]: an {@link ImageDataset} or a `[n, h, w, c]` tensor (not disposed by aigc). */
export type ImageSet = ImageDataset | tf.Tensor4D;

/** Images to evaluate: a fixed set, or a generator (a GanModel or a loaded ImageGenerator) to sample from. */
export type ImageSource = ImageSet | ImageGenerator;

/** True when `source` is a fixed set of images rather than a generator. */
export function isImageSet(source: ImageSource): source is ImageSet {
  return source instanceof ImageDataset || source instanceof tf.Tensor;
}

/** True when `x` looks like an {@link ImageGenerator}. */
export function isImageGenerator(x: unknown): x is ImageGenerator {
  return typeof x === 'object' && x !== null && typeof (x as ImageGenerator).sample === 'function' &&
    Array.isArray((x as ImageGenerator).imageShape);
}

/** Number of images in a set. */
export function imageSetSize(set: ImageSet): number {
  return set instanceof ImageDataset ? set.size : set.shape[0];
}

/** Shape `[h, w, c]` of the images of a source. */
export function imageShapeOf(source: ImageSource): ImageShape {
  if (source instanceof ImageDataset) return source.imageShape;
  if (source instanceof tf.Tensor) {
    if (source.rank !== 4) {
      throw new InvalidArgumentError('images', `an image tensor must be [n, h, w, c], got shape [${source.shape.join(', ')}].`);
    }
    return [source.shape[1], source.shape[2], source.shape[3]] as const;
  }
  return source.imageShape;
}

/** For conditional generators, labels cycling through the classes so every class is sampled equally. */
function balancedLabels(gen: ImageGenerator, start: number, size: number): Int32Array | undefined {
  const k = gen.numClasses;
  return k === undefined ? undefined : Int32Array.from({ length: size }, (_, i) => (start + i) % k);
}

/** Options of {@link forEachImageBatch}. */
export interface ImageBatchOptions {
  /** Images per batch. Default 250. */
  readonly batchSize?: number;
  /** Seed of a generator's latents; batch i uses a seed drawn from this stream. Default 0. */
  readonly seed?: number;
}

/** One batch of {@link imageBatches}: the images, the index of the first, and their labels if any. */
export interface ImageBatch {
  readonly batch: tf.Tensor4D;
  readonly start: number;
  readonly labels: Int32Array | undefined;
}

/**
 * The batches (and their labels: a dataset's own, or a conditional generator's) holding the first
 * `count` images of `source` (a generator draws `count` new ones; conditional ones get labels
 * cycling through the classes). The consumer disposes each batch tensor.
 */
export function* imageBatches(source: ImageSource, count: number, options: ImageBatchOptions = {}): Generator<ImageBatch, void, undefined> {
  const batchSize = options.batchSize ?? 250;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError('batchSize', `batchSize must be a positive integer, got ${String(batchSize)}.`);
  }
  if (isImageSet(source) && count > imageSetSize(source)) {
    throw new InvalidArgumentError('n', `asked for ${count} images but the set holds ${imageSetSize(source)}; lower n or pass more images.`);
  }
  const rng = new Rng(options.seed ?? 0);
  const [h, w, c] = imageShapeOf(source);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const labels =
      source instanceof ImageDataset
        ? source.labels?.subarray(start, start + size)
        : source instanceof tf.Tensor
          ? undefined
          : balancedLabels(source, start, size);
    const batch =
      source instanceof ImageDataset
        ? source.rangeTensor(start, size)
        : source instanceof tf.Tensor
          ? tf.slice(source, [start, 0, 0, 0], [size, h, w, c])
          : source.sample(size, { seed: rng.nextSeed(), ...(labels ? { labels } : {}) });
    yield { batch, start, labels };
  }
}

/**
 * Calls `fn` with each batch of {@link imageBatches}. Each batch tensor is disposed after `fn`
 * returns; `fn` must not keep it.
 */
export function forEachImageBatch(
  source: ImageSource,
  count: number,
  fn: (batch: tf.Tensor4D, start: number, labels: Int32Array | undefined) => void,
  options: ImageBatchOptions = {},
): void {
  for (const { batch, start, labels } of imageBatches(source, count, options)) {
    try {
      fn(batch, start, labels);
    } finally {
      batch.dispose();
    }
  }
}
