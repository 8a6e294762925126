/** Reads images to evaluate from an IDX file, an `.npy` file, a folder of PNGs or a folder of IDX files. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ImageDataset } from '../../data/dataset.js';
import { InvalidDataError } from '../../errors.js';
import { findIdxSplit, loadIdxDirectory, type IdxSplit } from '../data/idx-directory.js';
import { imagesFromPixels } from '../../io/image-array.js';
import { isNpy, parseNpy } from '../../io/npy.js';
import { readPngFolder } from './png-folder.js';

/** Options of {@link readImages}. */
export interface ReadImagesOptions {
  /** Keep only the first `limit` images. Default: all. */
  readonly limit?: number;
  /** For a folder of IDX files: the split to load. Default `'t10k'` if present, else `'train'`. */
  readonly split?: IdxSplit;
}

/** Images read by {@link readImages}, with a one-line description of what was read. */
export interface ReadImagesResult {
  /** The images, in [-1, 1]. */
  readonly images: ImageDataset;
  /** E.g. `'npy file x.npy: 10000 images 28x28x1, values 0..255'`. */
  readonly description: string;
}

function describe(kind: string, path: string, images: ImageDataset, range?: string): string {
  const [h, w, c] = images.imageShape;
  return `${kind} ${path}: ${images.size} images ${h}x${w}x${c}${range ? `, values ${range}` : ''}`;
}

/**
 * Reads images from `path`: a folder of MNIST-format IDX files (t10k split by default), a folder
 * of PNG files, an `.npy` array (uint8 0..255 or float in [0, 1] / [-1, 1]; NHWC, NCHW, NHW or
 * N x (h*w)), or an IDX images file (raw or gzip). Pixels end up in [-1, 1].
 */
export async function readImages(path: string, options: ReadImagesOptions = {}): Promise<ReadImagesResult> {
  const full = resolve(path);
  let info;
  try {
    info = await stat(full);
  } catch (cause) {
    throw new InvalidDataError(`${full} does not exist or cannot be read; pass an IDX or .npy file, or a folder of PNGs or IDX files.`, { cause });
  }
  const limit = options.limit;
  if (info.isDirectory()) {
    const splits: IdxSplit[] = options.split ? [options.split] : ['t10k', 'train'];
    const split = splits.find((s) => findIdxSplit(full, s) !== undefined);
    if (split !== undefined) {
      const images = await loadIdxDirectory(full, { split, ...(limit === undefined ? {} : { limit }) });
      return { images, description: describe(`IDX ${split} split in`, full, images, '0..255') };
    }
    const { images, range } = imagesFromPixels(await readPngFolder(full, limit), `PNG folder ${full}`);
    return { images, description: describe('PNG folder', full, images, range) };
  }
  const bytes = await readFile(full);
  if (isNpy(bytes)) {
    const npy = parseNpy(bytes, full);
    const n = npy.shape[0] ?? 0;
    const keep = limit === undefined ? n : Math.min(limit, n);
    const per = n === 0 ? 0 : npy.data.length / n;
    const { images, range } = imagesFromPixels(
      { shape: [keep, ...npy.shape.slice(1)], data: npy.data.subarray(0, keep * per), integer: !npy.dtype.includes('f') },
      `.npy file ${full}`,
    );
    return { images, description: describe('.npy file', full, images, range) };
  }
  const images = ImageDataset.fromIdx(bytes, undefined, { imagesName: full, ...(limit === undefined ? {} : { limit }) });
  return { images, description: describe('IDX file', full, images, '0..255') };
}
