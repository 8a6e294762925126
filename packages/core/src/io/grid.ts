import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { checkKeys } from '../options.js';

/** An 8-bit image in row-major order, `channels` values per pixel. */
export interface RasterImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 (gray), 3 (RGB) or 4 (RGBA). */
  readonly channels: 1 | 3 | 4;
  /** Pixel values 0..255. */
  readonly data: Uint8Array;
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row. Default: the ceiling of the square root of the count. */
  readonly columns?: number;
  /** Pixels between tiles, filled with `background`. Default 2. */
  readonly padding?: number;
  /** Value range of the input images. Default `[-1, 1]` (the generator's tanh range). */
  readonly range?: readonly [number, number];
  /** Gray level 0..255 of the padding. Default 0. */
  readonly background?: number;
}

/**
 * Tiles `[n, h, w, c]` images (c = 1, 3 or 4) into one 8-bit raster, mapping `range` to 0..255
 * and clipping outside it. Reads the tensor once, synchronously (which the WebGPU backend in Node
 * refuses: use {@link imageGridAsync} there and in pages); does not dispose it.
 */
export function imageGrid(images: tf.Tensor4D, options: ImageGridOptions = {}): RasterImage {
  const layout = gridLayout('imageGrid', images, options);
  return tile(layout, images.dataSync());
}

/**
 * {@link imageGrid} with an asynchronous read (`await images.data()`), so it works on every
 * backend (WebGPU in Node included) and does not stall a page. Does not dispose the tensor.
 */
export async function imageGridAsync(images: tf.Tensor4D, options: ImageGridOptions = {}): Promise<RasterImage> {
  const layout = gridLayout('imageGridAsync', images, options);
  return tile(layout, await images.data());
}

interface GridLayout {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: 1 | 3 | 4;
  readonly columns: number;
  readonly padding: number;
  readonly lo: number;
  readonly hi: number;
  readonly background: number;
}

function gridLayout(where: string, images: tf.Tensor4D, options: ImageGridOptions): GridLayout {
  checkKeys(where, options, { columns: true, padding: true, range: true, background: true });
  if (images.rank !== 4) {
    throw new ShapeMismatchError(`${where} needs [n, h, w, c] images, got rank ${images.rank}.`, [null, null, null, null], images.shape);
  }
  const [n, h, w, c] = images.shape;
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new ShapeMismatchError(`${where} supports 1, 3 or 4 channels, got ${c}.`, [n, h, w, 1], images.shape);
  }
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  const padding = options.padding ?? 2;
  const [lo, hi] = options.range ?? [-1, 1];
  if (!Number.isInteger(columns) || columns <= 0) throw new InvalidArgumentError('columns', `columns must be a positive integer, got ${columns}.`);
  if (!Number.isInteger(padding) || padding < 0) throw new InvalidArgumentError('padding', `padding must be a non-negative integer, got ${padding}.`);
  if (!(hi > lo)) throw new InvalidArgumentError('range', `range must be [low, high] with high > low, got [${lo}, ${hi}].`);
  return { n, h, w, c, columns, padding, lo, hi, background: options.background ?? 0 };
}

function tile({ n, h, w, c, columns, padding, lo, hi, background }: GridLayout, src: ArrayLike<number>): RasterImage {
  const rows = Math.ceil(n / columns);
  const width = columns * w + (columns + 1) * padding;
  const height = rows * h + (rows + 1) * padding;
  const data = new Uint8Array(width * height * c).fill(background);
  const scale = 255 / (hi - lo);
  for (let i = 0; i < n; i++) {
    const x0 = padding + (i % columns) * (w + padding);
    const y0 = padding + Math.floor(i / columns) * (h + padding);
    for (let y = 0; y < h; y++) {
      let s = ((i * h + y) * w) * c;
      let d = ((y0 + y) * width + x0) * c;
      for (let k = 0; k < w * c; k++) {
        const v = ((src[s++] as number) - lo) * scale;
        data[d++] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return { width, height, channels: c, data };
}
