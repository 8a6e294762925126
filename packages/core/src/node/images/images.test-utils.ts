/** Writes the image folders the loader tests use: every PNG mode (fast-png), JPEG, WebP and GIF (sharp). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encode } from 'fast-png';
import sharp from 'sharp';

/** Writes `bytes` to `dir/name`, creating folders. */
export async function put(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const file = join(dir, name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return file;
}

/** RGB bytes of a `w x h` image from `f(x, y)`. */
export function rgb(w: number, h: number, f: (x: number, y: number) => readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(f(x, y), (y * w + x) * 3);
  return out;
}

/** A PNG of `w x h` RGB bytes. */
export function pngRgb(w: number, h: number, data: Uint8Array): Uint8Array {
  return encode({ width: w, height: h, data, channels: 3, depth: 8 });
}

/** A 4x4 checkerboard PNG of two colours (not near-constant). */
export function checker(a: readonly [number, number, number], b: readonly [number, number, number], w = 4, h = 4): Uint8Array {
  return pngRgb(w, h, rgb(w, h, (x, y) => ((x + y) % 2 === 0 ? a : b)));
}

/** Encodes raw RGB bytes with sharp (`jpeg`, `webp`, `gif`, optionally with an EXIF orientation). */
export async function viaSharp(
  w: number,
  h: number,
  data: Uint8Array,
  format: 'jpeg' | 'jpeg-progressive' | 'webp' | 'gif',
  orientation?: number,
): Promise<Uint8Array> {
  let img = sharp(data, { raw: { width: w, height: h, channels: 3 } });
  if (format === 'jpeg' || format === 'jpeg-progressive') img = img.jpeg({ quality: 95, progressive: format === 'jpeg-progressive' });
  else if (format === 'webp') img = img.webp({ lossless: true });
  else img = img.gif();
  if (orientation !== undefined) img = img.withMetadata({ orientation });
  return new Uint8Array(await img.toBuffer());
}

/** Expected RGB (after compositing on white) of each file written by {@link writeModeFolder}, 4x4 each. */
export const MODE_COLOURS: Record<string, readonly [number, number, number]> = {
  'gray2.png': [170, 170, 170],
  'gray4.png': [85, 85, 85],
  'gray8.png': [100, 100, 100],
  'gray16.png': [128, 128, 128],
  'gray-alpha.png': [127, 127, 127],
  'rgb.png': [10, 20, 30],
  'rgba-half.png': [255, 127, 127],
  'palette.png': [0, 128, 255],
  'palette-alpha.png': [127, 255, 127],
  'interlaced.png': [50, 100, 150],
  'progressive.jpg': [200, 50, 50],
  'lossless.webp': [0, 200, 100],
  'first-frame.gif': [255, 255, 0],
};

/** A folder with one solid 4x4 image per PNG mode and format, plus `gray1.png` (left half black, right half white). */
export async function writeModeFolder(dir: string): Promise<void> {
  const w = 4;
  const h = 4;
  const n = w * h;
  await put(dir, 'gray1.png', encode({ width: w, height: h, channels: 1, depth: 1, data: new Uint8Array(h).fill(0b0011_0000) }));
  await put(dir, 'gray2.png', encode({ width: w, height: h, channels: 1, depth: 2, data: new Uint8Array(h).fill(0b1010_1010) }));
  await put(dir, 'gray4.png', encode({ width: w, height: h, channels: 1, depth: 4, data: new Uint8Array(h * 2).fill(0x55) }));
  await put(dir, 'gray8.png', encode({ width: w, height: h, channels: 1, depth: 8, data: new Uint8Array(n).fill(100) }));
  await put(dir, 'gray16.png', encode({ width: w, height: h, channels: 1, depth: 16, data: new Uint16Array(n).fill(0x8080) }));
  const ga = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) ga.set([0, 128], i * 2);
  await put(dir, 'gray-alpha.png', encode({ width: w, height: h, channels: 2, depth: 8, data: ga }));
  await put(dir, 'rgb.png', pngRgb(w, h, rgb(w, h, () => [10, 20, 30])));
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) rgba.set([255, 0, 0, 128], i * 4);
  await put(dir, 'rgba-half.png', encode({ width: w, height: h, channels: 4, depth: 8, data: rgba }));
  await put(dir, 'palette.png', encode({ width: w, height: h, channels: 1, depth: 8, data: new Uint8Array(n), palette: [[0, 128, 255]] }));
  await put(
    dir,
    'palette-alpha.png',
    encode({ width: w, height: h, channels: 1, depth: 8, data: new Uint8Array(n), palette: [[0, 255, 0, 128]] }),
  );
  await put(dir, 'interlaced.png', encode({ width: w, height: h, channels: 3, depth: 8, data: rgb(w, h, () => [50, 100, 150]) }, { interlace: 'Adam7' }));
  await put(dir, 'progressive.jpg', await viaSharp(w, h, rgb(w, h, () => [200, 50, 50]), 'jpeg-progressive'));
  await put(dir, 'lossless.webp', await viaSharp(w, h, rgb(w, h, () => [0, 200, 100]), 'webp'));
  await put(dir, 'first-frame.gif', await viaSharp(w, h, rgb(w, h, () => [255, 255, 0]), 'gif'));
}
