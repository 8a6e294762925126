import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { InvalidDataError } from '../../errors.js';
import { encodePng } from '../../io/png.js';
import { parseNpy } from '../../io/npy.js';
import { imagesFromPixels, toGrayscale } from '../../io/image-array.js';
import { readImages } from './read-images.js';
import { npyBytes } from './npy.test-utils.js';

const EMBEDDED = fileURLToPath(new URL('../../../../../examples/data/fashion-mnist', import.meta.url));

function idxImages(count: number, h: number, w: number, fill: (i: number) => number): Uint8Array {
  const out = new Uint8Array(16 + count * h * w);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x00000803);
  v.setUint32(4, count);
  v.setUint32(8, h);
  v.setUint32(12, w);
  for (let i = 0; i < count * h * w; i++) out[16 + i] = fill(i);
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aigc-read-images-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseNpy', () => {
  it('reads uint8, little- and big-endian float32 arrays with their shapes', () => {
    const u8 = parseNpy(npyBytes('|u1', [2, 3], Uint8Array.from([0, 1, 2, 253, 254, 255])));
    expect(u8.shape).toEqual([2, 3]);
    expect(Array.from(u8.data)).toEqual([0, 1, 2, 253, 254, 255]);
    const f = parseNpy(npyBytes('<f4', [3], Float32Array.from([0.5, -1, 2])));
    expect(Array.from(f.data)).toEqual([0.5, -1, 2]);
    const be = new DataView(new ArrayBuffer(8));
    be.setFloat32(0, 1.5, false);
    be.setFloat32(4, -0.25, false);
    expect(Array.from(parseNpy(npyBytes('>f4', [2], new Uint8Array(be.buffer))).data)).toEqual([1.5, -0.25]);
  });

  it('rejects non-npy bytes, Fortran order, object dtypes and truncated data', () => {
    expect(() => parseNpy(new Uint8Array(20))).toThrow(InvalidDataError);
    expect(() => parseNpy(npyBytes('<f4', [1], new Float32Array(1), true))).toThrow(/Fortran/);
    expect(() => parseNpy(npyBytes('|O', [1], new Uint8Array(8)))).toThrow(/dtype/);
    expect(() => parseNpy(npyBytes('<f4', [4], new Float32Array(2)))).toThrow(/truncated/);
  });
});

describe('imagesFromPixels', () => {
  it('detects 0..255, [0, 1] and [-1, 1] ranges and maps them to [-1, 1]', () => {
    const a = imagesFromPixels({ shape: [1, 1, 2], data: [0, 255], integer: true }, 'a');
    expect(Array.from(a.images.images)).toEqual([-1, 1]);
    expect(a.range).toBe('0..255');
    const b = imagesFromPixels({ shape: [1, 1, 2], data: [0, 0.5], integer: false }, 'b');
    expect(Array.from(b.images.images)).toEqual([-1, 0]);
    const c = imagesFromPixels({ shape: [1, 1, 2], data: [-1, 0.5], integer: false }, 'c');
    expect(Array.from(c.images.images)).toEqual([-1, 0.5]);
    expect(() => imagesFromPixels({ shape: [1, 1, 2], data: [-3, 0.5], integer: false }, 'd')).toThrow(InvalidDataError);
    expect(() => imagesFromPixels({ shape: [1, 1, 2], data: [0, Number.NaN], integer: false }, 'e')).toThrow(/finite/);
  });

  it('handles NCHW, NHWC with alpha, flat square rows, and converts RGB to gray', () => {
    // One 1x2 RGB image in NCHW: R = [0, 255], G = [0, 255], B = [0, 255].
    const chw = imagesFromPixels({ shape: [1, 3, 1, 2], data: [0, 255, 0, 255, 0, 255], integer: true }, 'chw');
    expect(chw.images.imageShape).toEqual([1, 2, 3]);
    expect(Array.from(chw.images.images)).toEqual([-1, -1, -1, 1, 1, 1]);
    const gray = toGrayscale(chw.images);
    expect(gray.imageShape).toEqual([1, 2, 1]);
    expect(Array.from(gray.images).map((v) => Number(v.toFixed(5)))).toEqual([-1, 1]);
    const rgba = imagesFromPixels({ shape: [1, 1, 1, 4], data: [255, 0, 0, 7], integer: true }, 'rgba');
    expect(rgba.images.imageShape).toEqual([1, 1, 3]);
    const flat = imagesFromPixels({ shape: [2, 4], data: new Array(8).fill(255), integer: true }, 'flat');
    expect(flat.images.imageShape).toEqual([2, 2, 1]);
    expect(() => imagesFromPixels({ shape: [2, 5], data: new Array(10).fill(0), integer: true }, 'bad')).toThrow(/shape/);
  });
});

describe('readImages', () => {
  it('reads an .npy file, a gzip IDX file, a PNG folder and an IDX folder', async () => {
    const npyPath = join(dir, 'x.npy');
    await writeFile(npyPath, npyBytes('<f4', [3, 28, 28], Float32Array.from({ length: 3 * 784 }, (_, i) => (i % 7) / 6)));
    const npy = await readImages(npyPath, { limit: 2 });
    expect(npy.images.size).toBe(2);
    expect(npy.images.imageShape).toEqual([28, 28, 1]);
    expect(npy.description).toContain('[0, 1]');
    expect(npy.images.images[6]).toBeCloseTo(1, 6);

    const idxPath = join(dir, 'imgs-idx3-ubyte.gz');
    await writeFile(idxPath, gzipSync(idxImages(4, 5, 5, (i) => i % 256)));
    const idx = await readImages(idxPath);
    expect(idx.images.size).toBe(4);
    expect(idx.images.imageShape).toEqual([5, 5, 1]);

    const pngDir = join(dir, 'pngs');
    await mkdir(pngDir);
    for (let i = 0; i < 3; i++) {
      const data = Uint8Array.from({ length: 4 * 4 * 3 }, (_, p) => (p % 3 === 0 ? 255 : 0) * ((i + 1) % 2));
      await writeFile(join(pngDir, `s${i}.png`), encodePng({ width: 4, height: 4, channels: 3, data }));
    }
    await writeFile(join(pngDir, 'notes.txt'), 'ignored');
    const pngs = await readImages(pngDir);
    expect(pngs.images.size).toBe(3);
    expect(pngs.images.imageShape).toEqual([4, 4, 3]);
    expect(Array.from(pngs.images.images.subarray(0, 3))).toEqual([1, -1, -1]);

    const folder = await readImages(EMBEDDED, { limit: 10 });
    expect(folder.images.size).toBe(10);
    expect(folder.description).toContain('t10k');
  });

  it('says what is wrong with a missing path, an empty folder and mismatched PNGs', async () => {
    await expect(readImages(join(dir, 'nope'))).rejects.toThrow(InvalidDataError);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(readImages(empty)).rejects.toThrow(/no \.png files/);
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'a.png'), encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }));
    await writeFile(join(mixed, 'b.png'), encodePng({ width: 3, height: 2, channels: 1, data: new Uint8Array(6) }));
    await expect(readImages(mixed)).rejects.toThrow(/must match/);
  });
});
