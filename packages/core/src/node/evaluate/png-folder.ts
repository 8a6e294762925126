/** Reads a folder of PNG files (one image each) as pixels. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { convertIndexedToRgb, decode } from 'fast-png';
import { InvalidDataError } from '../../errors.js';
import type { PixelArray } from './image-array.js';

/**
 * Decodes every `*.png` in `dir` (sorted by name, at most `limit`), which must all have the same
 * size and channels, into 0..255 pixels `[n, h, w, c]` (16-bit images are scaled to 8 bits;
 * palettes are expanded to RGB).
 */
export async function readPngFolder(dir: string, limit = Infinity): Promise<PixelArray> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new InvalidDataError(
      code === 'ENOENT' ? `${dir} does not exist; pass a folder of PNG images.` : code === 'ENOTDIR' ? `${dir} is not a folder; pass a folder of PNG images.` : `Cannot read the folder ${dir}: ${(cause as Error).message}; pass a readable folder of PNG images.`,
      { cause },
    );
  }
  const names = entries.filter((f) => /\.png$/i.test(f)).sort().slice(0, limit);
  if (names.length === 0) throw new InvalidDataError(`${dir} holds no .png files; pass a folder of PNG images, an IDX file or an .npy file.`);
  let first: { width: number; height: number; channels: number } | undefined;
  let data: Float32Array | undefined;
  for (const [i, file] of names.entries()) {
    const path = join(dir, file);
    let png;
    try {
      png = decode(await readFile(path));
    } catch (cause) {
      throw new InvalidDataError(`${path} is not a readable PNG: ${(cause as Error).message}`, { cause });
    }
    const pixels = png.palette ? convertIndexedToRgb(png) : png.data;
    const channels = png.palette ? pixels.length / (png.width * png.height) : png.channels;
    if (first === undefined) {
      first = { width: png.width, height: png.height, channels };
      data = new Float32Array(names.length * png.width * png.height * channels);
    } else if (png.width !== first.width || png.height !== first.height || channels !== first.channels) {
      throw new InvalidDataError(
        `${path} is ${png.width}x${png.height} with ${channels} channels but ${names[0]} is ` +
          `${first.width}x${first.height} with ${first.channels}; all images must match.`,
      );
    }
    const per = first.width * first.height * first.channels;
    const scale = png.depth === 16 ? 255 / 65535 : png.depth < 8 && !png.palette ? 255 / (2 ** png.depth - 1) : 1;
    for (let p = 0; p < per; p++) data![i * per + p] = pixels[p]! * scale;
  }
  const { width, height, channels } = first!;
  // Gray + alpha: keep the gray channel.
  if (channels === 2) {
    const gray = new Float32Array(names.length * width * height);
    for (let p = 0; p < gray.length; p++) gray[p] = data![p * 2]!;
    return { shape: [names.length, height, width, 1], data: gray, integer: true };
  }
  return { shape: [names.length, height, width, channels], data: data!, integer: true };
}
