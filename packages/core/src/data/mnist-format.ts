/**
 * Decoders for MNIST-format image (idx3-ubyte) and label (idx1-ubyte) files.
 * Isomorphic: no Node modules.
 */
import { InvalidArgumentError, InvalidDataError } from '../errors.js';
import { parseIdx } from './idx.js';
import type { IdxArray, ParseIdxOptions } from './idx.js';

/** Images decoded from an idx3-ubyte file, normalized to [-1, 1]. */
export interface DecodedImages {
  /** `count * height * width` pixels in row-major order, each `x / 127.5 - 1`. */
  images: Float32Array;
  /** Number of images (after `limit`). */
  count: number;
  /** Rows per image. */
  height: number;
  /** Columns per image. */
  width: number;
  /** Always 1 (grayscale). */
  channels: 1;
}

/** Options of the IDX image and label decoders behind `ImageDataset.fromIdx` and `loadIdxDirectory`. */
export interface DecodeIdxOptions extends ParseIdxOptions {
  /** Keep only the first `limit` items (default: all). */
  limit?: number;
}

let pixelTable: Float32Array | undefined;

/** The 256 float32 values `v / 127.5 - 1` that byte pixels map to (shared, do not modify). */
export function uint8PixelTable(): Float32Array {
  if (pixelTable === undefined) {
    pixelTable = new Float32Array(256);
    for (let v = 0; v < 256; v++) pixelTable[v] = v / 127.5 - 1;
  }
  return pixelTable;
}

/** Maps uint8 pixels 0..255 to float32 `x / 127.5 - 1`, so 0 becomes -1 and 255 becomes 1. */
export function normalizeUint8Pixels(pixels: Uint8Array): Float32Array {
  const table = uint8PixelTable();
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
  return out;
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidArgumentError('limit', `limit must be a positive integer, got ${String(limit)}.`);
  }
  return limit;
}

function describe(idx: IdxArray): string {
  return `${idx.dtype} with dims [${idx.dims.join(', ')}]`;
}

/**
 * Decodes an MNIST-format image file (uint8, rank 3: count x height x width; raw or gzip) into
 * float32 pixels in [-1, 1]. `limit` keeps only the first images.
 */
export function decodeImages(bytes: Uint8Array, options: DecodeIdxOptions = {}): DecodedImages {
  const name = options.name ?? 'image file';
  const limit = checkLimit(options.limit);
  const idx = parseIdx(bytes, { ...options, name });
  if (idx.dtype !== 'uint8' || idx.dims.length !== 3) {
    throw new InvalidDataError(
      `${name}: expected uint8 images of rank 3 (count x height x width, an idx3-ubyte file), found ${describe(
        idx
      )}; ` + `pass an images file such as train-images-idx3-ubyte(.gz), not a labels file.`
    );
  }
  const [total, height, width] = idx.dims as [number, number, number];
  const count = Math.min(total, limit);
  const pixels = idx.data as Uint8Array;
  const images = normalizeUint8Pixels(count === total ? pixels : pixels.subarray(0, count * height * width));
  return { images, count, height, width, channels: 1 };
}

/** Decodes an MNIST-format label file (uint8, rank 1; raw or gzip) into class indices. `limit` keeps the first labels. */
export function decodeLabels(bytes: Uint8Array, options: DecodeIdxOptions = {}): Int32Array {
  const name = options.name ?? 'label file';
  const limit = checkLimit(options.limit);
  const idx = parseIdx(bytes, { ...options, name });
  if (idx.dtype !== 'uint8' || idx.dims.length !== 1) {
    throw new InvalidDataError(
      `${name}: expected uint8 labels of rank 1 (an idx1-ubyte file), found ${describe(idx)}; ` +
        `pass a labels file such as train-labels-idx1-ubyte(.gz), not an images file.`
    );
  }
  const labels = idx.data as Uint8Array;
  const count = Math.min(labels.length, limit);
  return Int32Array.from(labels.subarray(0, count));
}
