/**
 * Your pictures -> a training set, in the worker (it has OffscreenCanvas): decodes each file with
 * createImageBitmap, drops what cannot be used (not an image, corrupt, too small, duplicates),
 * centre-crops and resizes to `size` x `size` and reports what it did. This file is the one place
 * to switch to `loadImageFiles` of `@aigc/core` once it lands.
 */
import { ImageDataset } from '@aigc/core';
import type { CleaningSummary, PictureFile } from './protocol.js';

/** Options of {@link decodePictures}. */
export interface DecodeOptions {
  /** Output height and width in pixels. */
  readonly size: number;
  /** 3 (colour) or 1 (gray). */
  readonly channels: 1 | 3;
  /** Images whose shorter side is under this many pixels are dropped. Default 8. */
  readonly minSide?: number;
  /** Called after each file with the number done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The decoded set: 8-bit pixels (kept for IndexedDB) and what cleaning did. */
export interface DecodedPictures {
  /** `count * size * size * channels` bytes, row-major. */
  readonly pixels: Uint8Array;
  /** `[size, size, channels]`. */
  readonly imageShape: readonly [number, number, number];
  /** What was kept and what was dropped, and why. */
  readonly summary: CleaningSummary;
}

const IMAGE_NAME = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;
const LISTED = 5;

/** FNV-1a of the resized pixels: equal pictures (after resizing) are duplicates. */
function hash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return `${(h >>> 0).toString(16)}:${bytes.length}`;
}

/** Decodes, cleans and resizes `files` (see the module comment). */
export async function decodePictures(files: readonly PictureFile[], options: DecodeOptions): Promise<DecodedPictures> {
  const { size, channels } = options;
  const minSide = options.minSide ?? 8;
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser has no 2D OffscreenCanvas in workers; try a recent Chrome, Edge or Firefox.');
  const kept: Uint8Array[] = [];
  const seen = new Set<string>();
  const dropped = { notImage: [] as string[], corrupt: [] as string[], tooSmall: [] as string[], duplicate: [] as string[] };
  const sizes = new Set<string>();
  let done = 0;
  for (const { file, path } of files) {
    done++;
    if (!IMAGE_NAME.test(path) && !file.type.startsWith('image/')) {
      dropped.notImage.push(path);
      options.onProgress?.(done, files.length);
      continue;
    }
    let bitmap: ImageBitmap | undefined;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      dropped.corrupt.push(path);
      options.onProgress?.(done, files.length);
      continue;
    }
    try {
      const { width, height } = bitmap;
      if (Math.min(width, height) < minSide) {
        dropped.tooSmall.push(path);
        continue;
      }
      sizes.add(`${width}x${height}`);
      // Centre crop to a square, then one high-quality resize.
      const side = Math.min(width, height);
      const resized = await createImageBitmap(bitmap, (width - side) >> 1, (height - side) >> 1, side, side, {
        resizeWidth: size,
        resizeHeight: size,
        resizeQuality: 'high',
      });
      ctx.fillStyle = '#fff'; // transparent pixels become white
      ctx.fillRect(0, 0, size, size);
      ctx.drawImage(resized, 0, 0);
      resized.close();
      const rgba = ctx.getImageData(0, 0, size, size).data;
      const out = new Uint8Array(size * size * channels);
      for (let p = 0, q = 0; p < rgba.length; p += 4) {
        if (channels === 3) {
          out[q++] = rgba[p] as number;
          out[q++] = rgba[p + 1] as number;
          out[q++] = rgba[p + 2] as number;
        } else {
          out[q++] = Math.round(0.299 * (rgba[p] as number) + 0.587 * (rgba[p + 1] as number) + 0.114 * (rgba[p + 2] as number));
        }
      }
      const key = hash(out);
      if (seen.has(key)) {
        dropped.duplicate.push(path);
        continue;
      }
      seen.add(key);
      kept.push(out);
    } finally {
      bitmap.close();
      options.onProgress?.(done, files.length);
    }
  }
  const per = size * size * channels;
  const pixels = new Uint8Array(kept.length * per);
  kept.forEach((img, i) => pixels.set(img, i * per));
  const summary: CleaningSummary = {
    found: files.length,
    used: kept.length,
    notImage: dropped.notImage.length,
    corrupt: dropped.corrupt.length,
    tooSmall: dropped.tooSmall.length,
    duplicate: dropped.duplicate.length,
    examples: Object.fromEntries(Object.entries(dropped).map(([k, v]) => [k, v.slice(0, LISTED)])),
    originalSizes: sizes.size,
    imageShape: [size, size, channels],
  };
  return { pixels, imageShape: [size, size, channels], summary };
}

/** The dataset of decoded pixels, in [-1, 1]. */
export function datasetOf(pixels: Uint8Array, imageShape: readonly [number, number, number]): ImageDataset {
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = (pixels[i] as number) / 127.5 - 1;
  return ImageDataset.fromArrays({ images, imageShape });
}
