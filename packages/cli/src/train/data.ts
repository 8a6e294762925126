/**
 * The training data of `aigc train`, behind one function so the source can change in one place.
 * Today: a folder of MNIST-format IDX files (train split preferred) or a folder of same-size PNGs,
 * resized (bilinear) and converted to the asked size and channels.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { ImageDataset, InvalidDataError, tf } from '@aigc/core';
import { findIdxSplit, loadIdxDirectory, readImages } from '@aigc/core/node';

/** Options of {@link loadTrainingData}. */
export interface TrainingDataOptions {
  /** Image side in pixels. */
  readonly size: number;
  /** 1 (gray) or 3 (RGB). */
  readonly channels: 1 | 3;
  /** Keep only the first N images. Default: all. */
  readonly limit?: number;
}

/** What was loaded: the dataset, class names when labeled, a description and the cleaning report. */
export interface TrainingSet {
  /** Images in [-1, 1], `[size, size, channels]`. */
  readonly data: ImageDataset;
  /** Class names in label order (labeled data only). */
  readonly classNames: readonly string[] | undefined;
  /** One line saying what was read. */
  readonly description: string;
  /** The data's cleaning report (JSON), written to `data-report.json`. */
  readonly report: Readonly<Record<string, unknown>>;
}

/** Resizes and converts `[n, h, w, c]` images to `[size, size, channels]` in chunks (gray -> RGB repeats, RGB -> gray averages). */
export function fitImages(data: ImageDataset, size: number, channels: 1 | 3): ImageDataset {
  const [h, w, c] = data.imageShape;
  if (h === size && w === size && c === channels) return data;
  const per = h * w * c;
  const outPer = size * size * channels;
  const out = new Float32Array(data.size * outPer);
  const chunk = 256;
  for (let start = 0; start < data.size; start += chunk) {
    const n = Math.min(chunk, data.size - start);
    const values = tf.tidy(() => {
      let x: tf.Tensor4D = tf.tensor4d(data.images.subarray(start * per, (start + n) * per), [n, h, w, c]);
      if (c === 4) x = tf.slice(x, [0, 0, 0, 0], [n, h, w, 3]);
      const cc = c === 4 ? 3 : c;
      if (cc === 1 && channels === 3) x = tf.tile(x, [1, 1, 1, 3]);
      if (cc === 3 && channels === 1) x = tf.mean(x, 3, true) as tf.Tensor4D;
      if (h !== size || w !== size) x = tf.image.resizeBilinear(x, [size, size], true);
      return tf.clipByValue(x, -1, 1).dataSync() as Float32Array;
    });
    out.set(values, start * outPer);
  }
  return ImageDataset.fromArrays({
    images: out,
    imageShape: [size, size, channels],
    ...(data.labels === undefined ? {} : { labels: data.labels, numClasses: data.numClasses }),
  });
}

/** Loads the training images of `dir` for `aigc train`; InvalidDataError says what is wrong with the folder. */
export async function loadTrainingData(dir: string, options: TrainingDataOptions): Promise<TrainingSet> {
  const full = path.resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(full).isDirectory();
  } catch {
    throw new InvalidDataError(`The data folder ${full} does not exist; pass --data with a folder of images.`);
  }
  if (!isDir) throw new InvalidDataError(`${full} is a file, not a folder; pass --data with a folder of images.`);
  const limit = options.limit === undefined ? {} : { limit: options.limit };
  const split = findIdxSplit(full, 'train') !== undefined ? 'train' : findIdxSplit(full, 't10k') !== undefined ? 't10k' : undefined;
  let raw: ImageDataset;
  let description: string;
  if (split !== undefined) {
    raw = await loadIdxDirectory(full, { split, ...limit });
    description = `IDX ${split} split in ${full}`;
  } else {
    const read = await readImages(full, limit);
    raw = read.images;
    description = read.description;
  }
  if (raw.size === 0) throw new InvalidDataError(`${full} holds no images; put PNG files (or MNIST-format IDX files) in it.`);
  const [h, w, c] = raw.imageShape;
  const data = fitImages(raw, options.size, options.channels);
  const classNames = data.numClasses === undefined ? undefined : Array.from({ length: data.numClasses }, (_, i) => String(i));
  return {
    data,
    classNames,
    description: `${description}: ${data.size} images ${h}x${w}x${c}` +
      (h !== options.size || c !== options.channels ? `, resized to ${options.size}x${options.size}x${options.channels}` : ''),
    report: { folder: full, source: description, loaded: data.size, skipped: [], imageShape: [options.size, options.size, options.channels], ...(classNames ? { classes: classNames } : {}) },
  };
}
