import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import type { ReconstructOptions } from '../models/vae.js';
import { imageGrid, imageGridAsync, type ImageGridOptions, type RasterImage } from './grid.js';

/** Options of {@link reconstructionGrid}: the grid's look (its `columns` count pairs) and how to reconstruct. */
export interface ReconstructionGridOptions extends Omit<ImageGridOptions, 'range'>, ReconstructOptions {}

/** What {@link reconstructionGrid} needs from a model: a VaeModel has it. */
export interface Reconstructor {
  /** Returns reconstructions of `[n, h, w, c]` images in [-1, 1]. */
  reconstruct(images: tf.Tensor4D, options?: ReconstructOptions): tf.Tensor4D;
}

/**
 * Tiles each image beside its reconstruction (original left, reconstruction right) into one
 * raster; `columns` counts pairs per row (default: the ceiling of the square root of the count).
 * Images are in [-1, 1]; the tensor is not disposed. Reads synchronously: use
 * {@link reconstructionGridAsync} on WebGPU in Node and in pages.
 */
export function reconstructionGrid(model: Reconstructor, images: tf.Tensor4D, options: ReconstructionGridOptions = {}): RasterImage {
  const { tiles, grid } = pairTiles('reconstructionGrid', model, images, options);
  try {
    return imageGrid(tiles, grid);
  } finally {
    tiles.dispose();
  }
}

/** {@link reconstructionGrid} with an asynchronous read, so it works on every backend (WebGPU in Node included). */
export async function reconstructionGridAsync(model: Reconstructor, images: tf.Tensor4D, options: ReconstructionGridOptions = {}): Promise<RasterImage> {
  const { tiles, grid } = pairTiles('reconstructionGridAsync', model, images, options);
  try {
    return await imageGridAsync(tiles, grid);
  } finally {
    tiles.dispose();
  }
}

/** The interleaved originals and reconstructions `[2n, h, w, c]` (the caller disposes them) and the grid options. */
function pairTiles(where: string, model: Reconstructor, images: tf.Tensor4D, options: ReconstructionGridOptions): { tiles: tf.Tensor4D; grid: ImageGridOptions } {
  if (typeof model?.reconstruct !== 'function') {
    throw new InvalidArgumentError('model', `${where} needs a model with reconstruct(images), such as mlpVae() or convVae().`);
  }
  const n = images.shape[0];
  const pairs = options.columns ?? Math.ceil(Math.sqrt(n));
  if (!Number.isInteger(pairs) || pairs <= 0) throw new InvalidArgumentError('columns', `columns must be a positive integer, got ${String(pairs)}.`);
  const tiles = tf.tidy(() => {
    const rec = model.reconstruct(images, options.seed === undefined ? {} : { seed: options.seed });
    // [n, 2, h, w, c] -> [2n, h, w, c]: original i then reconstruction i.
    return tf.reshape(tf.stack([images, rec], 1), [2 * n, images.shape[1], images.shape[2], images.shape[3]]) as tf.Tensor4D;
  });
  const { seed: _seed, columns: _columns, ...look } = options;
  return { tiles, grid: { ...look, columns: 2 * pairs } };
}
