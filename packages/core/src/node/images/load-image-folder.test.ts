import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { appendFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { tf } from '../../tf.js';
import type { LoadedImageDataset } from '../../data/images/loaded.js';
import { loadImageFolder, type ImageFolderOptions } from './load-image-folder.js';
import { checker, MODE_COLOURS, pngRgb, put, rgb, viaSharp, writeModeFolder } from './images.test-utils.js';

let base: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  base = await mkdtemp(join(tmpdir(), 'aigc-images-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

let folders = 0;
async function folder(): Promise<string> {
  return mkdtemp(join(base, `f${folders++}-`));
}

/** Loads with the cache off unless asked, and near-constant images kept (most fixtures are solid colours). */
function load(dir: string, options: Partial<ImageFolderOptions> = {}): Promise<LoadedImageDataset> {
  return loadImageFolder(dir, { size: 4, minPixelStd: 0, cache: false, ...options });
}

/** Pixel (x, y) of image `i`. */
function px(data: LoadedImageDataset, i: number, x: number, y: number): number[] {
  const [h, w, c] = data.imageShape;
  const at = ((i * h + y) * w + x) * c;
  return Array.from(data.pixels!.subarray(at, at + c));
}

function imageOf(data: LoadedImageDataset, file: string): number {
  const i = data.report.loadedFiles.indexOf(file);
  expect(i, `${file} loaded`).toBeGreaterThanOrEqual(0);
  return i;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadImageFolder: decoding every mode', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await folder();
    await writeModeFolder(dir);
  });

  it('decodes every PNG mode, JPEG, WebP and GIF to the known colours (alpha over white)', async () => {
    const data = await load(dir);
    expect(data.size).toBe(Object.keys(MODE_COLOURS).length + 1);
    expect(data.storage).toBe('uint8');
    expect(data.imageShape).toEqual([4, 4, 3]);
    expect(data.report.skipped).toEqual([]);
    // The interlaced fixture really is Adam7 (IHDR interlace byte).
    expect((await readFile(join(dir, 'interlaced.png')))[28]).toBe(1);
    for (const [file, colour] of Object.entries(MODE_COLOURS)) {
      const i = imageOf(data, file);
      const tolerance = file.endsWith('.jpg') ? 4 : file.endsWith('.gif') ? 3 : 1;
      for (const [x, y] of [[0, 0], [3, 3], [1, 2]] as const) {
        px(data, i, x, y).forEach((v, c) => expect(Math.abs(v - colour[c]!), `${file} (${x},${y}) channel ${c}: ${v} vs ${colour[c]}`).toBeLessThanOrEqual(tolerance));
      }
    }
    const g1 = imageOf(data, 'gray1.png');
    expect(px(data, g1, 0, 0)).toEqual([0, 0, 0]);
    expect(px(data, g1, 3, 1)).toEqual([255, 255, 255]);
  });

  it('converts to one channel with sRGB luminance, and batches as float32 v / 127.5 - 1', async () => {
    const data = await load(dir, { channels: 1 });
    expect(data.imageShape).toEqual([4, 4, 1]);
    expect(px(data, imageOf(data, 'gray8.png'), 2, 2)).toEqual([100]);
    const red = px(data, imageOf(data, 'rgba-half.png'), 0, 0)[0]!; // (255,127,127): luminance ~166
    expect(red).toBeGreaterThan(150);
    expect(red).toBeLessThan(180);
    const i = imageOf(data, 'gray4.png');
    const batch = data.batch([i], 0, 1);
    expect(batch.images.dtype).toBe('float32');
    expect(batch.images.shape).toEqual([1, 4, 4, 1]);
    const values = batch.images.dataSync();
    expect(values[0]).toBeCloseTo(85 / 127.5 - 1, 6);
    batch.images.dispose();
  });

  it('applies EXIF orientation before cropping', async () => {
    const d = await folder();
    // Stored 16 wide x 8 tall, left half black; orientation 6 shows it rotated 90 degrees clockwise: top half black.
    const stored = rgb(16, 8, (x) => (x < 8 ? [0, 0, 0] : [255, 255, 255]));
    await put(d, 'rotated.jpg', await viaSharp(16, 8, stored, 'jpeg', 6));
    await put(d, 'plain.jpg', await viaSharp(16, 8, stored, 'jpeg'));
    const data = await load(d);
    const r = imageOf(data, 'rotated.jpg');
    expect(px(data, r, 0, 0)[0]).toBeLessThan(30);
    expect(px(data, r, 3, 0)[0]).toBeLessThan(30);
    expect(px(data, r, 0, 3)[0]).toBeGreaterThan(225);
    const p = imageOf(data, 'plain.jpg');
    expect(px(data, p, 0, 0)[0]).toBeLessThan(30);
    expect(px(data, p, 3, 0)[0]).toBeGreaterThan(225);
  });

  it('resizes with cover, contain and fill, and an antialiasing filter on a gradient', async () => {
    const d = await folder();
    // 8 wide x 4 tall: the left quarter red, the rest blue.
    await put(d, 'wide.png', pngRgb(8, 4, rgb(8, 4, (x) => (x < 2 ? [255, 0, 0] : [0, 0, 255]))));
    const cover = await load(d, { fit: 'cover' });
    expect(px(cover, 0, 0, 0)[2]).toBeGreaterThan(200); // centre crop: no red left
    expect(px(cover, 0, 0, 0)[0]).toBeLessThan(40);
    const fill = await load(d, { fit: 'fill' });
    expect(px(fill, 0, 0, 0)[0]).toBeGreaterThan(200);
    expect(px(fill, 0, 3, 3)[2]).toBeGreaterThan(200);
    const contain = await load(d, { fit: 'contain', background: '#00ff00' });
    expect(px(contain, 0, 1, 0)).toEqual([0, 255, 0]); // padding row
    expect(px(contain, 0, 1, 3)).toEqual([0, 255, 0]);
    expect(px(contain, 0, 0, 1)[0]).toBeGreaterThan(200);
    // A horizontal gray gradient 0..255 squeezed to 4 columns: each is the mean of 64 source columns.
    const g = await folder();
    await put(g, 'gradient.png', encode({ width: 256, height: 16, channels: 1, depth: 8, data: Uint8Array.from({ length: 256 * 16 }, (_, i) => i % 256) }));
    const grad = await load(g, { fit: 'fill', channels: 1 });
    const row = [0, 1, 2, 3].map((x) => px(grad, 0, x, 2)[0]!);
    [31.5, 95.5, 159.5, 223.5].forEach((want, x) => expect(Math.abs(row[x]! - want), `column ${x}: ${row[x]}`).toBeLessThanOrEqual(3));
  });
});

describe('loadImageFolder: cleaning and the report', () => {
  let dir: string;
  let outside: string;
  beforeAll(async () => {
    dir = await folder();
    outside = await folder();
    const good = checker([0, 0, 0], [255, 255, 255]);
    await put(dir, 'a/good.png', good);
    await put(dir, 'a/deep/er/other.png', checker([255, 0, 0], [0, 0, 255]));
    await put(dir, 'b/copy-of-good.png', good);
    await put(dir, 'corrupt.png', good.subarray(0, 60));
    await put(dir, 'zero.png', new Uint8Array(0));
    await put(dir, 'notes.txt', 'not an image');
    await put(dir, 'tiny.png', checker([0, 0, 0], [255, 255, 255], 2, 2));
    await put(dir, 'flat.png', pngRgb(4, 4, rgb(4, 4, () => [90, 90, 90])));
    await put(dir, '.hidden.png', checker([1, 2, 3], [200, 100, 0]));
    await put(dir, '.git/objects/x.png', checker([1, 2, 3], [200, 100, 0]));
    // A PNG header declaring 100,000 x 100,000 pixels and no data: a decompression bomb.
    const bomb = new Uint8Array(good);
    new DataView(bomb.buffer).setUint32(16, 100_000);
    new DataView(bomb.buffer).setUint32(20, 100_000);
    await put(dir, 'bomb.png', bomb);
    await put(outside, 'secret.png', checker([9, 9, 9], [99, 99, 99]));
    await symlink(join(outside, 'secret.png'), join(dir, 'link-out.png'));
  });

  it('skips each bad file with its reason and keeps the first of duplicates', async () => {
    const data = await loadImageFolder(dir, { size: 4, minSize: 3, cache: false });
    const r = data.report;
    expect(r.loadedFiles).toEqual(['a/deep/er/other.png', 'a/good.png']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.file, s.reason]));
    expect(reasons).toEqual({
      'b/copy-of-good.png': 'duplicate',
      'bomb.png': 'too-large',
      'corrupt.png': 'corrupt',
      'flat.png': 'near-constant',
      'link-out.png': 'link-outside',
      'notes.txt': 'not-image',
      'tiny.png': 'too-small',
      'zero.png': 'empty',
    });
    expect(r.skipped.map((s) => s.file)).toEqual([...r.skipped.map((s) => s.file)].sort());
    expect(r.skipped.find((s) => s.file === 'bomb.png')!.detail).toContain('not decoded');
    expect(r.duplicates).toEqual([{ file: 'b/copy-of-good.png', duplicateOf: 'a/good.png' }]);
    expect(r.counts).toMatchObject({ duplicate: 1, 'too-large': 1, corrupt: 1, 'near-constant': 1, 'link-outside': 1, 'not-image': 1, 'too-small': 1, empty: 1, unreadable: 0 });
    expect(r.files).toBe(10);
    expect(r.loaded).toBe(2);
    expect(r.hidden).toBe(2);
    expect(r.bytes).toBe(2 * 4 * 4 * 3);
    expect(px(data, 1, 0, 0)).toEqual([0, 0, 0]);
    expect(px(data, 1, 1, 0)).toEqual([255, 255, 255]);
    expect(px(data, 0, 0, 0)).toEqual([255, 0, 0]);
  });

  it('strict: true throws at a bad file, naming it', async () => {
    const error = await rejection(loadImageFolder(dir, { size: 4, strict: true, cache: false }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/would be skipped \((link-outside|empty|not-image|corrupt|too-large|duplicate|near-constant)/);
    expect(error.message).toContain('strict');
  });

  it('labels from subfolders: sorted class names, nested files in their top folder, top-level files unlabeled', async () => {
    const d = await folder();
    await put(d, 'dogs/puppies/p1.png', checker([0, 0, 0], [255, 255, 255]));
    await put(d, 'cats/c1.png', checker([255, 0, 0], [0, 0, 255]));
    await put(d, 'cats/c2.png', checker([0, 255, 0], [0, 0, 255]));
    await put(d, 'top.png', checker([0, 255, 255], [0, 0, 255]));
    await put(d, 'empty-class/readme.txt', 'x');
    const data = await load(d, { labels: 'subfolders' });
    expect(data.classNames).toEqual(['cats', 'dogs', 'empty-class']);
    expect(data.numClasses).toBe(3);
    expect(Array.from(data.labels!)).toEqual([0, 0, 1]);
    expect(data.report.loadedFiles).toEqual(['cats/c1.png', 'cats/c2.png', 'dogs/puppies/p1.png']);
    expect(data.report.classes).toEqual([{ name: 'cats', count: 2 }, { name: 'dogs', count: 1 }, { name: 'empty-class', count: 0 }]);
    expect(data.report.skipped.find((s) => s.file === 'top.png')?.reason).toBe('unlabeled');
    const batch = data.batch([2, 0], 0, 2);
    expect(Array.from(batch.labels!.dataSync())).toEqual([1, 0]);
    tf.dispose([batch.images, batch.labels!]);
    expect(data.take(2).classNames).toEqual(['cats', 'dogs', 'empty-class']);
  });
});

describe('loadImageFolder: bad input', () => {
  it('rejects a missing folder, an empty folder, a file, and bad size / channels / fit', async () => {
    const empty = await folder();
    const missing = await rejection(load(join(base, 'nope')));
    expect(InvalidDataError.isInstance(missing) && missing.message).toMatch(/does not exist/);
    const none = await rejection(load(empty));
    expect(InvalidDataError.isInstance(none) && none.message).toMatch(/holds no files/);
    const file = await put(empty, 'x.png', checker([0, 0, 0], [1, 1, 1]));
    expect((await rejection(load(file))).message).toMatch(/is a file, not a folder/);
    for (const [options, argument] of [
      [{ size: 0 }, 'size'],
      [{ size: 2.5 }, 'size'],
      [{ size: -3 }, 'size'],
      [{ channels: 2 }, 'channels'],
      [{ channels: 4 }, 'channels'],
      [{ fit: 'stretch' }, 'fit'],
      [{ background: '#12' }, 'background'],
      [{ cache: 3 }, 'cache'],
      [{ cacheMaxBytes: 0 }, 'cacheMaxBytes'],
      [{ cacheMaxBytes: Number.NaN }, 'cacheMaxBytes'],
    ] as const) {
      const error = await rejection(load(empty, options as Partial<ImageFolderOptions>));
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });

  it('every file skipped is an InvalidDataError with per-reason counts', async () => {
    const d = await folder();
    await put(d, 'a.txt', 'hello');
    await put(d, 'b.txt', 'world');
    await put(d, 'c.png', new Uint8Array(0));
    const error = await rejection(load(d));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('all 3 files were skipped (1 empty, 2 not-image)');
  });

  it('a file modified or removed after the scan is an InvalidDataError naming it', async () => {
    const d = await folder();
    await put(d, 'a.png', checker([0, 0, 0], [255, 255, 255]));
    const b = await put(d, 'b.png', checker([255, 0, 0], [0, 0, 255]));
    const modified = await rejection(load(d, { onProgress: (p) => void (p.phase === 'scan' && appendFileSyncLike(b)) }));
    expect(InvalidDataError.isInstance(modified) && modified.message).toMatch(/b\.png was modified while the folder was being loaded/);
    const removed = await rejection(load(d, { onProgress: (p) => void (p.phase === 'scan' && unlinkLater(b)) }));
    expect(removed.message).toMatch(/b\.png was removed while the folder was being loaded/);
  });
});

// The scan-phase callback is synchronous; these helpers change the file before any read starts.
function appendFileSyncLike(file: string): void {
  appendFileSync(file, 'more');
}
function unlinkLater(file: string): void {
  unlinkSync(file);
}

describe('loadImageFolder: cache and abort', () => {
  it('second load is a cache hit that reads no image file; cache: false and a changed mtime miss; a corrupt cache file is rebuilt', async () => {
    const d = await folder();
    const cache = await folder();
    const a = await put(d, 'a.png', checker([0, 0, 0], [255, 255, 255]));
    await put(d, 'b/b.png', checker([255, 0, 0], [0, 0, 255]));
    const when = new Date('2026-01-02T03:04:05Z');
    await utimes(a, when, when);
    const first = await load(d, { cache });
    expect(first.report.cache).toBe('miss');
    expect(await readdir(cache)).toHaveLength(1);
    // Same size, same mtime, other pixels: only a load that reads the file can see the change.
    const sizeBefore = (await stat(a)).size;
    await writeFile(a, checker([255, 255, 255], [0, 0, 0]));
    expect((await stat(a)).size).toBe(sizeBefore);
    expect((await stat(a)).mtimeMs).not.toBe(when.getTime());
    await utimes(a, when, when);
    const second = await load(d, { cache });
    expect(second.report.cache).toBe('hit');
    expect(Array.from(second.pixels!)).toEqual(Array.from(first.pixels!));
    expect(second.report.loadedFiles).toEqual(first.report.loadedFiles);
    const fresh = await load(d, { cache: false });
    expect(fresh.report.cache).toBe('off');
    expect(px(fresh, 0, 0, 0)).toEqual([255, 255, 255]);
    expect(px(second, 0, 0, 0)).toEqual([0, 0, 0]);
    // Another option is another key.
    expect((await load(d, { cache, channels: 1 })).report.cache).toBe('miss');
    // Corrupt every cache file: ignored and rebuilt, with the right pixels.
    for (const f of await readdir(cache)) {
      const bytes = await readFile(join(cache, f));
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      await writeFile(join(cache, f), bytes);
    }
    const rebuilt = await load(d, { cache });
    expect(rebuilt.report.cache).toBe('rebuilt');
    expect(px(rebuilt, 0, 0, 0)).toEqual([255, 255, 255]);
    expect((await load(d, { cache })).report.cache).toBe('hit');
  });

  it('an AbortSignal mid-load rejects and leaves no cache file', async () => {
    const d = await folder();
    const cache = join(await folder(), 'cache');
    for (let i = 0; i < 6; i++) await put(d, `i${i}.png`, checker([i * 20, 0, 0], [0, 0, 255 - i]));
    const controller = new AbortController();
    const error = await rejection(
      load(d, { cache, concurrency: 1, signal: controller.signal, onProgress: (p) => p.done === 2 && controller.abort() }),
    );
    expect(error.name).toBe('AbortError');
    const left = await readdir(cache).catch(() => []);
    expect(left).toEqual([]);
  });
});

