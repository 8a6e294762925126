/** Turns arrays of pixels of common layouts and ranges into an {@link ImageDataset} in [-1, 1]. */
import { ImageDataset } from '../data/dataset.js';
import { InvalidDataError } from '../errors.js';

/** Pixel values with their shape, as read from an NPY file or decoded PNGs. */
export interface PixelArray {
  /** Array shape: `[n, h, w]`, `[n, h, w, c]`, `[n, c, h, w]` (c of 1 or 3) or `[n, h * w]` for square images. */
  readonly shape: readonly number[];
  /** Values in C order. */
  readonly data: ArrayLike<number>;
  /** Whether the values are integers (then they must be 0..255). */
  readonly integer: boolean;
}

function layout(shape: readonly number[], name: string): { n: number; h: number; w: number; c: number; chw: boolean } {
  const [n, a, b, d] = shape;
  if (shape.length === 2 && n !== undefined && a !== undefined && Number.isInteger(Math.sqrt(a))) {
    return { n, h: Math.sqrt(a), w: Math.sqrt(a), c: 1, chw: false };
  }
  if (shape.length === 3) return { n: n!, h: a!, w: b!, c: 1, chw: false };
  if (shape.length === 4) {
    if ([1, 3, 4].includes(d!)) return { n: n!, h: a!, w: b!, c: d!, chw: false };
    if ([1, 3].includes(a!)) return { n: n!, h: b!, w: d!, c: a!, chw: true };
  }
  throw new InvalidDataError(
    `${name} has shape (${shape.join(', ')}); expected images as (n, h, w), (n, h, w, c), (n, c, h, w) or (n, h*w) with square images.`,
  );
}

/** How raw values map to [-1, 1]: chosen from the value range (and dtype). */
function scaling(data: ArrayLike<number>, integer: boolean, name: string): { scale: number; offset: number; range: string } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) throw new InvalidDataError(`${name}: value ${i} is ${v}; every pixel must be finite.`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (integer || max > 1) {
    if (min < 0 || max > 255) {
      throw new InvalidDataError(`${name}: values span [${min}, ${max}]; integer pixels must be 0..255 (floats: [0, 1] or [-1, 1]).`);
    }
    return { scale: 1 / 127.5, offset: -1, range: '0..255' };
  }
  if (min >= 0) return { scale: 2, offset: -1, range: '[0, 1]' };
  if (min >= -1) return { scale: 1, offset: 0, range: '[-1, 1]' };
  throw new InvalidDataError(`${name}: values span [${min}, ${max}]; pixels must be in 0..255, [0, 1] or [-1, 1].`);
}

/**
 * Builds a dataset of `[h, w, c]` images in [-1, 1] from pixels in 0..255, [0, 1] or [-1, 1]
 * (detected from the values), converting channels-first layouts and dropping an alpha channel.
 * Returns the dataset and the detected input range.
 */
export function imagesFromPixels(pixels: PixelArray, name: string): { images: ImageDataset; range: string } {
  const { n, h, w, c, chw } = layout(pixels.shape, name);
  if (n === 0) throw new InvalidDataError(`${name} holds no images.`);
  const { scale, offset, range } = scaling(pixels.data, pixels.integer, name);
  const outC = c === 4 ? 3 : c;
  const out = new Float32Array(n * h * w * outC);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < outC; k++) {
          const src = chw ? ((i * c + k) * h + y) * w + x : ((i * h + y) * w + x) * c + k;
          out[((i * h + y) * w + x) * outC + k] = Math.min(1, Math.max(-1, pixels.data[src]! * scale + offset));
        }
      }
    }
  }
  return { images: ImageDataset.fromArrays({ images: out, imageShape: [h, w, outC] }), range };
}

/** Converts RGB images to one luma channel (ITU-R BT.601 weights); single-channel sets are returned as they are. */
export function toGrayscale(images: ImageDataset): ImageDataset {
  const [h, w, c] = images.imageShape;
  if (c === 1) return images;
  if (c !== 3) throw new InvalidDataError(`Cannot convert ${c}-channel images to grayscale; expected 1 or 3 channels.`);
  const out = new Float32Array(images.size * h * w);
  for (let p = 0; p < out.length; p++) {
    out[p] = 0.299 * images.images[p * 3]! + 0.587 * images.images[p * 3 + 1]! + 0.114 * images.images[p * 3 + 2]!;
  }
  return ImageDataset.fromArrays({ images: out, imageShape: [h, w, 1] });
}
