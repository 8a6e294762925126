import { encode } from 'fast-png';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from './header.js';
import { resolveImageOptions, parseColor } from './options.js';
import { pixelStd } from './collect.js';
import { srgbToGray } from './gray.js';

async function make(width: number, height: number, channels: 3 | 4, format: (s: ReturnType<typeof sharp>) => ReturnType<typeof sharp>): Promise<Uint8Array> {
  const data = new Uint8Array(width * height * channels).map((_, i) => (i * 37) % 256);
  return new Uint8Array(await format(sharp(data, { raw: { width, height, channels } })).toBuffer());
}

describe('readImageHeader', () => {
  it('reads format and size of PNG, JPEG (baseline, progressive), GIF and every WebP kind without decoding', async () => {
    const cases: [string, Uint8Array, string][] = [
      ['png', encode({ width: 13, height: 7, data: new Uint8Array(13 * 7 * 3), channels: 3 }), 'png'],
      ['jpeg', await make(21, 9, 3, (s) => s.jpeg()), 'jpeg'],
      ['progressive jpeg', await make(21, 9, 3, (s) => s.jpeg({ progressive: true })), 'jpeg'],
      ['gif', await make(17, 5, 3, (s) => s.gif()), 'gif'],
      ['lossy webp', await make(19, 11, 3, (s) => s.webp({ quality: 80 })), 'webp'],
      ['lossless webp', await make(19, 11, 3, (s) => s.webp({ lossless: true })), 'webp'],
      ['webp with alpha (VP8X)', await make(19, 11, 4, (s) => s.webp({ quality: 80 })), 'webp'],
    ];
    for (const [name, bytes, format] of cases) {
      const want = name === 'png' ? [13, 7] : name.includes('jpeg') ? [21, 9] : name === 'gif' ? [17, 5] : [19, 11];
      expect(readImageHeader(bytes), name).toEqual({ kind: 'image', format, width: want[0], height: want[1] });
    }
  });

  it('tells non-images from broken images', () => {
    expect(readImageHeader(new TextEncoder().encode('hello, not an image'))).toEqual({ kind: 'not-image' });
    expect(readImageHeader(new Uint8Array(0))).toEqual({ kind: 'not-image' });
    expect(readImageHeader(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)).kind).toBe('corrupt');
    expect(readImageHeader(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 1, 2)).kind).toBe('corrupt');
    const zeroWide = encode({ width: 1, height: 1, data: new Uint8Array(3), channels: 3 });
    new DataView(zeroWide.buffer).setUint32(16, 0);
    expect(readImageHeader(zeroWide)).toMatchObject({ kind: 'corrupt', format: 'png' });
  });
});

describe('options and pure helpers', () => {
  it('parses colours and applies defaults', () => {
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('#102030')).toEqual([16, 32, 48]);
    expect(parseColor([1, 2, 3])).toEqual([1, 2, 3]);
    expect(() => parseColor([1, 2, 300])).toThrow(/background/);
    const o = resolveImageOptions({ size: 8 }, 2);
    expect(o).toMatchObject({ size: 8, channels: 3, fit: 'cover', background: [255, 255, 255], minSize: 1, maxPixels: 100_000_000, minPixelStd: 2, dedupe: true, strict: false, concurrency: 2 });
    expect(() => resolveImageOptions({ size: 8, minPixelStd: -1 }, 2)).toThrow(/minPixelStd/);
    expect(() => resolveImageOptions({ size: 8, labels: 'folders' as 'subfolders' }, 2)).toThrow(/labels/);
  });

  it('computes pixel spread and sRGB luminance', () => {
    expect(pixelStd(new Uint8Array(10).fill(7))).toBe(0);
    expect(pixelStd(Uint8Array.of(0, 255))).toBeCloseTo(127.5, 6);
    expect([srgbToGray(255, 0, 0), srgbToGray(0, 255, 0), srgbToGray(0, 0, 255), srgbToGray(128, 128, 128)]).toEqual([127, 220, 76, 128]);
  });
});
