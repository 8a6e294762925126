/** Options shared by the image loaders ({@link loadImageFiles} in browsers, `loadImageFolder` in Node) and their validation. */
import { InvalidArgumentError } from '../../errors.js';

/** How an image is brought to `size` x `size`: centre crop, pad with `background`, or stretch. */
export type ImageFit = 'cover' | 'contain' | 'fill';

/** An RGB colour: `'#rrggbb'`, `'#rgb'`, or `[r, g, b]` bytes 0..255. */
export type ColorInput = string | readonly [number, number, number];

/** Progress of a load, reported after the scan and after every file. */
export interface ImageLoadProgress {
  /** `'scan'`: the file list is known; `'decode'`: a file was handled; `'cache'`: pixels came from the cache. */
  readonly phase: 'scan' | 'decode' | 'cache';
  /** Files handled so far. */
  readonly done: number;
  /** Files to handle. */
  readonly total: number;
  /** Images kept so far. */
  readonly loaded: number;
  /** Files skipped so far. */
  readonly skipped: number;
  /** The file just handled (phase `'decode'`). */
  readonly file?: string;
}

/** Options of both image loaders. Only `size` is required. */
export interface ImageLoadOptions {
  /** Side of the square output images in pixels (a positive integer, e.g. 64). */
  readonly size: number;
  /** 1 (grayscale) or 3 (RGB). Default 3. Alpha is always composited onto `background`. */
  readonly channels?: 1 | 3;
  /** Default `'cover'`: scale to cover the square and crop the centre. */
  readonly fit?: ImageFit;
  /** Colour transparent pixels are composited onto, and `'contain'` pads with. Default white. */
  readonly background?: ColorInput;
  /** `'subfolders'`: one class per top-level subfolder (sorted by name); files at the top are skipped. Default: unlabeled. */
  readonly labels?: 'subfolders';
  /** Skip images whose width or height (before resizing) is below this. Default 1 (no minimum). */
  readonly minSize?: number;
  /** Reject, before decoding, images whose header declares more than this many pixels (decompression bombs). Default 100,000,000. */
  readonly maxPixels?: number;
  /** Skip files larger than this many bytes, before reading them. Default 256 MiB. */
  readonly maxFileBytes?: number;
  /** Skip near-constant images: those whose pixel standard deviation (0..255 scale, after resizing) is below this. Default 2; 0 keeps them. */
  readonly minPixelStd?: number;
  /** Skip files whose bytes equal an earlier file's (SHA-256). Default true. */
  readonly dedupe?: boolean;
  /** Throw an InvalidDataError at the first file that would be skipped, instead of skipping it. Default false. */
  readonly strict?: boolean;
  /** Files decoded at once. Default: 4 in browsers, twice the number of CPUs (at most 16) in Node. */
  readonly concurrency?: number;
  /** Called after the scan and after every file. */
  readonly onProgress?: (progress: ImageLoadProgress) => void;
  /** Aborting stops the load between files; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Default of {@link ImageLoadOptions.maxPixels}. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
/** Default of {@link ImageLoadOptions.maxFileBytes}: 256 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Default of {@link ImageLoadOptions.minPixelStd}. */
export const DEFAULT_MIN_PIXEL_STD = 2;

/** Options with defaults applied and checked; what the cache key is built from. */
export interface ResolvedImageOptions {
  readonly size: number;
  readonly channels: 1 | 3;
  readonly fit: ImageFit;
  readonly background: readonly [number, number, number];
  readonly labels: 'subfolders' | undefined;
  readonly minSize: number;
  readonly maxPixels: number;
  readonly maxFileBytes: number;
  readonly minPixelStd: number;
  readonly dedupe: boolean;
  readonly strict: boolean;
  readonly concurrency: number;
}

function positiveInt(name: string, value: unknown, advice: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(value)}; ${advice}`);
  }
  return value;
}

/** Parses `'#rrggbb'`, `'#rgb'` or `[r, g, b]` into bytes; anything else is an InvalidArgumentError. */
export function parseColor(color: ColorInput, name = 'background'): readonly [number, number, number] {
  if (typeof color === 'string') {
    const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
    if (hex !== undefined) {
      const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
      return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
    }
    if (color.trim().toLowerCase() === 'white') return [255, 255, 255];
    if (color.trim().toLowerCase() === 'black') return [0, 0, 0];
  } else if (Array.isArray(color) && color.length === 3 && color.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
    return [color[0], color[1], color[2]];
  }
  throw new InvalidArgumentError(name, `${name} must be '#rrggbb', '#rgb', 'white', 'black' or [r, g, b] bytes 0..255, got ${JSON.stringify(color)}.`);
}

/** Applies the defaults and checks every option; a bad one is an InvalidArgumentError naming it. */
export function resolveImageOptions(options: ImageLoadOptions, defaultConcurrency: number): ResolvedImageOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'pass options with at least `size`, e.g. { size: 64 }.');
  }
  const size = positiveInt('size', options.size, 'pass the side of the square images to produce, e.g. size: 64.');
  if (size > 16384) throw new InvalidArgumentError('size', `size ${size} is too large; use at most 16384.`);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new InvalidArgumentError('channels', `channels must be 1 (grayscale) or 3 (RGB), got ${String(channels)}; alpha is composited onto \`background\`.`);
  }
  const fit = options.fit ?? 'cover';
  if (fit !== 'cover' && fit !== 'contain' && fit !== 'fill') {
    throw new InvalidArgumentError('fit', `fit must be 'cover', 'contain' or 'fill', got ${JSON.stringify(fit)}.`);
  }
  if (options.labels !== undefined && options.labels !== 'subfolders') {
    throw new InvalidArgumentError('labels', `labels must be 'subfolders' or omitted, got ${JSON.stringify(options.labels)}.`);
  }
  const minPixelStd = options.minPixelStd ?? DEFAULT_MIN_PIXEL_STD;
  if (typeof minPixelStd !== 'number' || !Number.isFinite(minPixelStd) || minPixelStd < 0) {
    throw new InvalidArgumentError('minPixelStd', `minPixelStd must be a number >= 0 (0 keeps constant images), got ${String(minPixelStd)}.`);
  }
  return {
    size,
    channels,
    fit,
    background: parseColor(options.background ?? [255, 255, 255]),
    labels: options.labels,
    minSize: positiveInt('minSize', options.minSize ?? 1, 'pass the smallest width or height to keep.'),
    maxPixels: positiveInt('maxPixels', options.maxPixels ?? DEFAULT_MAX_PIXELS, 'pass the largest width x height to decode.'),
    maxFileBytes: positiveInt('maxFileBytes', options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, 'pass the largest file size in bytes to read.'),
    minPixelStd,
    dedupe: options.dedupe ?? true,
    strict: options.strict ?? false,
    concurrency: positiveInt('concurrency', options.concurrency ?? defaultConcurrency, 'pass how many files to decode at once.'),
  };
}
