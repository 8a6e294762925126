/**
 * The training data of `aigc train`, behind one function: a folder of MNIST-format IDX files
 * (train split preferred; resized and converted here), or any folder of pictures through
 * `loadImageFolder` (PNG/JPEG/WebP/GIF, mixed sizes and modes, cleaning report, cache).
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { ImageDataset, InvalidDataError, tf } from '@aigc/core';
import { findIdxSplit, loadIdxDirectory, loadImageFolder } from '@aigc/core/node';

/** Options of {@link loadTrainingData}. */
export interface TrainingDataOptions {
  /** Image side in pixels. */
  readonly size: number;
  /** 1 (gray) or 3 (RGB). */
  readonly channels: 1 | 3;
  /** Keep only the first N images. Default: all. */
  readonly limit?: number;
  /** Image folders: one class per subfolder. Default false. */
  readonly labels?: boolean;
  /** Image folders: the preprocessed-pixel cache folder, or false for none. Default: the loader's (`.aigc-cache/images`). */
  readonly cache?: string | false;
  /** Image folders: called as files are decoded. */
  readonly onProgress?: (done: number, total: number) => void;
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
  if (split === undefined) {
    const loaded = await loadImageFolder(full, {
      size: options.size,
      channels: options.channels,
      ...(options.labels ? { labels: 'subfolders' as const } : {}),
      ...(options.cache === undefined ? {} : { cache: options.cache }),
      ...(options.onProgress ? { onProgress: (p: { done: number; total: number }) => options.onProgress?.(p.done, p.total) } : {}),
    });
    const data = options.limit !== undefined && options.limit < loaded.size ? loaded.take(options.limit) : loaded;
    const r = loaded.report;
    return {
      data,
      classNames: data.labels === undefined ? undefined : loaded.classNames,
      description:
        `image folder ${full}: ${data.size} images at ${options.size}x${options.size}x${options.channels} ` +
        `(${r.files} files, ${r.skipped.length} skipped, ${r.duplicates.length} duplicates; cache ${r.cache})`,
      report: r as unknown as Readonly<Record<string, unknown>>,
    };
  }
  const raw = await loadIdxDirectory(full, { split, ...limit });
  const description = `IDX ${split} split in ${full}`;
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
