/**
 * In-memory image dataset with validation, seeded epoch order and batching into tensors.
 * Isomorphic: built from buffers, no Node modules.
 */
import { InvalidArgumentError, InvalidDataError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { tf } from '../tf.js';
import { decodeImages, decodeLabels, normalizeUint8Pixels, uint8PixelTable } from './mnist-format.js';
import type { ParseIdxOptions } from './idx.js';

import type { ImageShape } from '../models/types.js';

/** Input of {@link ImageDataset.fromArrays}. */
export interface ImageDatasetInit {
  /** Pixels of all images, row-major `[count, h, w, c]`, each in [-1, 1]. Not copied. */
  images: Float32Array;
  /** Shape of one image, `[h, w, c]`. */
  imageShape: readonly [number, number, number];
  /** One integer class per image (optional). */
  labels?: Int32Array | ArrayLike<number>;
  /** Number of classes (default: largest label + 1); only valid with `labels`. */
  numClasses?: number;
}

/** Input of {@link ImageDataset.fromUint8}. */
export interface ImageDatasetUint8Init {
  /** Pixels of all images as bytes 0..255, row-major `[count, h, w, c]`. Not copied. */
  pixels: Uint8Array;
  /** Shape of one image, `[h, w, c]`. */
  imageShape: readonly [number, number, number];
  /** One integer class per image (optional). */
  labels?: Int32Array | ArrayLike<number>;
  /** Number of classes (default: `classNames.length`, else largest label + 1); only valid with `labels`. */
  numClasses?: number;
  /** Name of each class, index = label (optional; its length must equal `numClasses`). */
  classNames?: readonly string[];
}

/** How an {@link ImageDataset} keeps its pixels: float32 in [-1, 1] (4 bytes each) or bytes 0..255 (1 byte each). */
export type PixelStorage = 'float32' | 'uint8';

/** Options of {@link ImageDataset.fromIdx}. */
export interface FromIdxOptions {
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /** Per-file payload cap passed to {@link parseIdx} (default 2^31 bytes). */
  maxBytes?: number;
  /** Images file name used in error messages (default `'images file'`). */
  imagesName?: string;
  /** Labels file name used in error messages (default `'labels file'`). */
  labelsName?: string;
}

/** A batch of images as a `[n, h, w, c]` float32 tensor, with int32 labels when the dataset has them. Dispose both. */
export interface DatasetBatch {
  /** Images `[n, h, w, c]`, float32 in [-1, 1]. */
  images: tf.Tensor4D;
  /** Class labels `[n]`, int32; absent for unlabeled datasets. */
  labels?: tf.Tensor1D;
}

/** A batch as plain arrays (see {@link ImageDataset.gather}). */
export interface BatchArrays {
  /** Number of images in the batch. */
  count: number;
  /** `count * h * w * c` pixels, row-major. */
  images: Float32Array;
  /** `count` labels; absent for unlabeled datasets. */
  labels?: Int32Array;
}

function positiveInt(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * Normalized histogram of `values` over [-1, 1] with `bins` equal bins (default 10); the result
 * sums to 1. Finite values outside [-1, 1] are counted in the edge bins; non-finite values are an error.
 */
export function pixelHistogram(values: Float32Array, bins = 10): Float64Array {
  positiveInt('bins', bins);
  if (values.length === 0) {
    throw new InvalidDataError('pixelHistogram: no values to histogram; pass at least one pixel.');
  }
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new InvalidDataError(
        `pixelHistogram: value ${i} is ${String(v)}; pixels must be finite (did training diverge?).`
      );
    }
    let b = Math.floor(((v + 1) / 2) * bins);
    if (b < 0) b = 0;
    else if (b >= bins) b = bins - 1;
    counts[b]! += 1;
  }
  for (let b = 0; b < bins; b++) counts[b]! /= values.length;
  return counts;
}

/**
 * Images (`[h, w, c]` each, seen as float32 in [-1, 1]) with optional integer labels. Pixels are
 * stored either as float32 ({@link ImageDataset.fromArrays}, {@link ImageDataset.fromIdx}) or as
 * uint8 bytes ({@link ImageDataset.fromUint8}, the image-folder loaders: a quarter of the memory),
 * which are converted to float32 per batch. Immutable: the selection methods return new datasets
 * of the same storage, and the pixel arrays must not be modified.
 */
export class ImageDataset {
  /** Number of images. */
  readonly size: number;
  /** Shape of one image, `[h, w, c]`. */
  readonly imageShape: ImageShape;
  /** Class of each image, or undefined for an unlabeled dataset. */
  readonly labels: Int32Array | undefined;
  /** Number of classes, or undefined for an unlabeled dataset. */
  readonly numClasses: number | undefined;
  /** Name of each class (index = label) when known, e.g. the subfolder names of an image folder. */
  readonly classNames: readonly string[] | undefined;
  /** Whether pixels are kept as float32 or as uint8 bytes. */
  readonly storage: PixelStorage;
  private readonly data: Float32Array | Uint8Array;

  protected constructor(
    data: Float32Array | Uint8Array,
    imageShape: ImageShape,
    labels: Int32Array | undefined,
    numClasses: number | undefined,
    classNames?: readonly string[]
  ) {
    this.data = data;
    this.storage = data instanceof Uint8Array ? 'uint8' : 'float32';
    this.imageShape = Object.freeze([imageShape[0], imageShape[1], imageShape[2]] as const);
    this.size = data.length / (imageShape[0] * imageShape[1] * imageShape[2]);
    this.labels = labels;
    this.numClasses = numClasses;
    this.classNames = classNames === undefined ? undefined : Object.freeze([...classNames]);
  }

  /**
   * All pixels as float32 in [-1, 1], row-major `[size, h, w, c]`. Do not modify. For a uint8
   * dataset every access builds a new float32 copy (4 bytes per pixel); prefer {@link ImageDataset.batch},
   * {@link ImageDataset.gather} or {@link ImageDataset.pixels} there.
   */
  get images(): Float32Array {
    return this.data instanceof Float32Array ? this.data : normalizeUint8Pixels(this.data);
  }

  /** The stored bytes 0..255 `[size, h, w, c]` of a uint8 dataset (do not modify), undefined for float32 storage. */
  get pixels(): Uint8Array | undefined {
    return this.data instanceof Uint8Array ? this.data : undefined;
  }

  /** Bytes held by the pixel array (1 per value for uint8 storage, 4 for float32). */
  get byteLength(): number {
    return this.data.byteLength;
  }

  /** A dataset of the same storage, labels and class names over other rows. */
  private derive(data: Float32Array | Uint8Array, labels: Int32Array | undefined): ImageDataset {
    return new ImageDataset(data, this.imageShape, labels, this.numClasses, this.classNames);
  }

  /** Pixels per image, `h * w * c`. */
  get pixelsPerImage(): number {
    return this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
  }

  /**
   * Builds a dataset from normalized pixels, checking that the length fits `imageShape`, that
   * every value is finite and in [-1, 1], and that labels are integers in [0, numClasses).
   * `images` is not copied; `labels` is copied into an Int32Array.
   */
  static fromArrays(init: ImageDatasetInit): ImageDataset {
    const { images, imageShape, labels, numClasses } = init;
    if (!(images instanceof Float32Array)) {
      throw new InvalidArgumentError('images', 'images must be a Float32Array of pixels normalized to [-1, 1].');
    }
    const shape = checkShape(imageShape);
    const per = shape[0] * shape[1] * shape[2];
    if (images.length === 0) {
      throw new InvalidDataError('The dataset is empty (images has length 0); pass at least one image.');
    }
    if (images.length % per !== 0) {
      throw new InvalidDataError(
        `images has ${images.length} values, not a multiple of ${per} (imageShape [${shape.join(', ')}]); ` +
          `check imageShape or that no image is truncated.`
      );
    }
    const count = images.length / per;
    for (let i = 0; i < images.length; i++) {
      const v = images[i]!;
      if (!Number.isFinite(v)) {
        throw new InvalidDataError(
          `images[${i}] (image ${Math.floor(i / per)}, pixel ${i % per}) is ${String(
            v
          )}; every pixel must be finite. ` + `Remove or repair the bad images.`
        );
      }
      if (v < -1 || v > 1) {
        throw new InvalidDataError(
          `images[${i}] (image ${Math.floor(i / per)}, pixel ${i % per}) is ${v}, outside [-1, 1]; normalize pixels ` +
            `first, e.g. x / 127.5 - 1 for 0..255 bytes or 2 * x - 1 for 0..1 values.`
        );
      }
    }
    if (labels === undefined) {
      if (numClasses !== undefined) {
        throw new InvalidArgumentError(
          'numClasses',
          'numClasses was given without labels; pass labels or omit numClasses.'
        );
      }
      return new ImageDataset(images, shape, undefined, undefined);
    }
    const checked = checkLabels(labels, count, numClasses);
    return new ImageDataset(images, shape, checked.labels, checked.numClasses);
  }

  /**
   * Builds a dataset that stores bytes 0..255 (converted to [-1, 1] as `v / 127.5 - 1` per batch),
   * checking that the length fits `imageShape`, that labels are integers in [0, numClasses) and
   * that `classNames` has one name per class. `pixels` is not copied; `labels` is copied.
   */
  static fromUint8(init: ImageDatasetUint8Init): ImageDataset {
    const { pixels, imageShape, labels, classNames } = init;
    if (!(pixels instanceof Uint8Array)) {
      throw new InvalidArgumentError('pixels', 'pixels must be a Uint8Array of bytes 0..255; use fromArrays for float pixels in [-1, 1].');
    }
    const shape = checkShape(imageShape);
    const per = shape[0] * shape[1] * shape[2];
    if (pixels.length === 0) {
      throw new InvalidDataError('The dataset is empty (pixels has length 0); pass at least one image.');
    }
    if (pixels.length % per !== 0) {
      throw new InvalidDataError(
        `pixels has ${pixels.length} values, not a multiple of ${per} (imageShape [${shape.join(', ')}]); ` +
          `check imageShape or that no image is truncated.`
      );
    }
    if (classNames !== undefined) {
      if (!Array.isArray(classNames) || classNames.some((n) => typeof n !== 'string')) {
        throw new InvalidArgumentError('classNames', 'classNames must be an array of strings, one per class.');
      }
      if (labels === undefined) {
        throw new InvalidArgumentError('classNames', 'classNames was given without labels; pass labels or omit classNames.');
      }
    }
    const numClasses = init.numClasses ?? classNames?.length;
    if (classNames !== undefined && numClasses !== classNames.length) {
      throw new InvalidArgumentError(
        'classNames',
        `classNames has ${classNames.length} names but numClasses is ${String(numClasses)}; pass one name per class.`
      );
    }
    if (labels === undefined) {
      if (numClasses !== undefined) {
        throw new InvalidArgumentError('numClasses', 'numClasses was given without labels; pass labels or omit numClasses.');
      }
      return new ImageDataset(pixels, shape, undefined, undefined);
    }
    const checked = checkLabels(labels, pixels.length / per, numClasses);
    return new ImageDataset(pixels, shape, checked.labels, checked.numClasses, classNames);
  }

  /**
   * Decodes MNIST-format image and (optional) label files, raw or gzip, into a dataset of
   * `[h, w, 1]` images in [-1, 1]. The two files must hold the same number of items.
   */
  static fromIdx(imagesBytes: Uint8Array, labelsBytes?: Uint8Array, options: FromIdxOptions = {}): ImageDataset {
    const parse: ParseIdxOptions & { limit?: number } = {};
    if (options.limit !== undefined) parse.limit = options.limit;
    if (options.maxBytes !== undefined) parse.maxBytes = options.maxBytes;
    const decoded = decodeImages(imagesBytes, { ...parse, name: options.imagesName ?? 'images file' });
    const shape: ImageShape = [decoded.height, decoded.width, decoded.channels];
    if (labelsBytes === undefined) return new ImageDataset(decoded.images, shape, undefined, undefined);
    const labelsName = options.labelsName ?? 'labels file';
    const labels = decodeLabels(labelsBytes, { ...parse, name: labelsName });
    if (labels.length !== decoded.count) {
      throw new InvalidDataError(
        `${options.imagesName ?? 'images file'} holds ${decoded.count} images but ${labelsName} holds ` +
          `${labels.length} labels; pass the labels file of the same split (train with train, t10k with t10k).`
      );
    }
    const checked = checkLabels(labels, decoded.count, undefined);
    return new ImageDataset(decoded.images, shape, checked.labels, checked.numClasses);
  }

  /** The first `min(n, size)` images, sharing memory with this dataset. */
  take(n: number): ImageDataset {
    positiveInt('n', n);
    const k = Math.min(n, this.size);
    if (k === this.size) return this;
    return this.derive(this.data.subarray(0, k * this.pixelsPerImage), this.labels?.subarray(0, k));
  }

  /** A new dataset with the images at `indices` (copied, in that order; repeats allowed). */
  subset(indices: ArrayLike<number>): ImageDataset {
    if (indices.length === 0) {
      throw new InvalidArgumentError('indices', 'subset needs at least one index; an empty dataset is not allowed.');
    }
    const rows = this.copyRows(indices, 0, indices.length);
    return this.derive(rows.data, rows.labels);
  }

  /**
   * Splits deterministically into the first `round(size * fraction)` images and the rest;
   * `fraction` must be in (0, 1) and both parts non-empty.
   */
  split(fraction: number): [ImageDataset, ImageDataset] {
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
      throw new InvalidArgumentError('fraction', `fraction must be strictly between 0 and 1, got ${String(fraction)}.`);
    }
    const k = Math.round(this.size * fraction);
    if (k < 1 || k > this.size - 1) {
      throw new InvalidArgumentError(
        'fraction',
        `split(${fraction}) of ${this.size} images would leave an empty part; use a fraction nearer 0.5 or more data.`
      );
    }
    const per = this.pixelsPerImage;
    const first = this.derive(this.data.subarray(0, k * per), this.labels?.subarray(0, k));
    const rest = this.derive(this.data.subarray(k * per), this.labels?.subarray(k));
    return [first, rest];
  }

  /** A new dataset with only the images whose label is in `classes`; needs labels; `numClasses` is kept. */
  filterClasses(classes: number | ArrayLike<number>): ImageDataset {
    if (this.labels === undefined) {
      throw new InvalidArgumentError('classes', 'filterClasses needs a labeled dataset; load the labels file too.');
    }
    const wanted = new Set(typeof classes === 'number' ? [classes] : Array.from(classes));
    const indices: number[] = [];
    for (let i = 0; i < this.size; i++) if (wanted.has(this.labels[i]!)) indices.push(i);
    if (indices.length === 0) {
      throw new InvalidArgumentError(
        'classes',
        `no image has a class in [${[...wanted].join(', ')}]; classes range over 0..${(this.numClasses ?? 1) - 1}.`
      );
    }
    return this.subset(indices);
  }

  /**
   * Number of batches per epoch: `floor(size / batchSize)` when `dropRemainder` (default true),
   * else `ceil`. A batch size larger than the dataset is an InvalidArgumentError.
   */
  batchCount(batchSize: number, dropRemainder = true): number {
    positiveInt('batchSize', batchSize);
    if (batchSize > this.size) {
      throw new InvalidArgumentError(
        'batchSize',
        `batchSize ${batchSize} is larger than the dataset (${this.size} images); use a batch size of at most ` +
          `${this.size}, or more data.`
      );
    }
    return dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /** A seeded Fisher-Yates permutation of `0..size-1`; advances `rng`. */
  epochOrder(rng: Rng): Int32Array {
    const order = new Int32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    rng.shuffle(order);
    return order;
  }

  /**
   * Copies the rows `indices[start .. start + batchSize)` (fewer at the end of `indices`) into
   * fresh arrays. Every index must be an integer in [0, size).
   */
  gather(indices: ArrayLike<number>, start: number, batchSize: number): BatchArrays {
    const rows = this.copyRows(indices, start, batchSize);
    const images = rows.data instanceof Float32Array ? rows.data : normalizeUint8Pixels(rows.data);
    return rows.labels === undefined ? { count: rows.count, images } : { count: rows.count, images, labels: rows.labels };
  }

  /** Copies rows `indices[start .. start + batchSize)` in this dataset's storage type. */
  private copyRows(
    indices: ArrayLike<number>,
    start: number,
    batchSize: number
  ): { count: number; data: Float32Array | Uint8Array; labels: Int32Array | undefined } {
    positiveInt('batchSize', batchSize);
    if (!Number.isInteger(start) || start < 0 || start >= indices.length) {
      throw new InvalidArgumentError(
        'start',
        `start must be an integer in [0, ${indices.length}) (the number of indices), got ${String(start)}.`
      );
    }
    const count = Math.min(batchSize, indices.length - start);
    const per = this.pixelsPerImage;
    const data = this.data instanceof Uint8Array ? new Uint8Array(count * per) : new Float32Array(count * per);
    const labels = this.labels === undefined ? undefined : new Int32Array(count);
    for (let r = 0; r < count; r++) {
      const index = indices[start + r]!;
      if (!Number.isInteger(index) || index < 0 || index >= this.size) {
        throw new InvalidArgumentError(
          'indices',
          `indices[${start + r}] is ${String(index)}, not an image index in [0, ${this.size}).`
        );
      }
      data.set(this.data.subarray(index * per, (index + 1) * per), r * per);
      if (labels !== undefined) labels[r] = this.labels![index]!;
    }
    return { count, data, labels };
  }

  /**
   * Images `start .. start + count` (contiguous) as a new float32 `[count, h, w, c]` tensor in
   * [-1, 1]; the caller disposes it. Used by the metrics to stream a dataset in order.
   */
  rangeTensor(start: number, count: number): tf.Tensor4D {
    positiveInt('count', count);
    if (!Number.isInteger(start) || start < 0 || start + count > this.size) {
      throw new InvalidArgumentError('start', `images ${String(start)}..${String(start + count)} are not all in [0, ${this.size}).`);
    }
    const [h, w, c] = this.imageShape;
    const per = this.pixelsPerImage;
    const rows = this.data.subarray(start * per, (start + count) * per);
    return tf.tensor4d(rows instanceof Float32Array ? rows : normalizeUint8Pixels(rows), [count, h, w, c], 'float32');
  }

  /**
   * Builds one batch of tensors from `indices[start .. start + batchSize)` (fewer at the end):
   * images `[n, h, w, c]` float32 and, for labeled data, int32 labels `[n]`. The caller disposes them.
   */
  batch(indices: ArrayLike<number>, start: number, batchSize: number): DatasetBatch {
    const rows = this.gather(indices, start, batchSize);
    const [h, w, c] = this.imageShape;
    const images = tf.tensor4d(rows.images, [rows.count, h, w, c], 'float32');
    if (rows.labels === undefined) return { images };
    try {
      return { images, labels: tf.tensor1d(rows.labels, 'int32') };
    } catch (error) {
      images.dispose();
      throw error;
    }
  }

  /** Normalized histogram (sums to 1) of all pixels over [-1, 1] with `bins` bins (default 10). */
  pixelHistogram(bins = 10): Float64Array {
    if (this.data instanceof Float32Array) return pixelHistogram(this.data, bins);
    positiveInt('bins', bins);
    const byValue = new Float64Array(256);
    for (let i = 0; i < this.data.length; i++) byValue[this.data[i]!]! += 1;
    const table = uint8PixelTable();
    const counts = new Float64Array(bins);
    for (let v = 0; v < 256; v++) {
      const b = Math.min(bins - 1, Math.max(0, Math.floor(((table[v]! + 1) / 2) * bins)));
      counts[b]! += byValue[v]! / this.data.length;
    }
    return counts;
  }
}

function checkShape(imageShape: readonly number[]): ImageShape {
  if (
    !Array.isArray(imageShape) ||
    imageShape.length !== 3 ||
    !imageShape.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new InvalidArgumentError(
      'imageShape',
      `imageShape must be [height, width, channels] of positive integers, got ${JSON.stringify(imageShape)}.`
    );
  }
  return imageShape as unknown as ImageShape;
}

function checkLabels(
  labels: Int32Array | ArrayLike<number>,
  count: number,
  numClasses: number | undefined
): { labels: Int32Array; numClasses: number } {
  if (labels.length !== count) {
    throw new InvalidDataError(
      `labels has ${labels.length} entries but there are ${count} images; pass exactly one label per image.`
    );
  }
  if (numClasses !== undefined) positiveInt('numClasses', numClasses);
  const out = new Int32Array(count);
  let max = -1;
  for (let i = 0; i < count; i++) {
    const v = labels[i]!;
    if (
      typeof v !== 'number' ||
      !Number.isInteger(v) ||
      v < 0 ||
      v > 0x7fffffff ||
      (numClasses !== undefined && v >= numClasses)
    ) {
      const range = numClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${numClasses})`;
      throw new InvalidDataError(
        `labels[${i}] is ${String(v)}, not ${range}; labels must be class indices` +
          (numClasses === undefined ? '.' : ' (raise numClasses if there are more classes).')
      );
    }
    out[i] = v;
    if (v > max) max = v;
  }
  return { labels: out, numClasses: numClasses ?? max + 1 };
}
