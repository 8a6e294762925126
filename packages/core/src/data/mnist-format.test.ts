import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../errors.js';
import { decodeImages, decodeLabels, normalizeUint8Pixels } from './mnist-format.js';
import { encodeIdx, gzip } from './idx.test-utils.js';

describe('normalizeUint8Pixels', () => {
  it('maps 0 to -1, 255 to 1 and x to x/127.5-1', () => {
    const out = normalizeUint8Pixels(new Uint8Array([0, 255, 51, 127, 128]));
    expect(out[0]).toBe(-1);
    expect(out[1]).toBe(1);
    expect(out[2]).toBeCloseTo(51 / 127.5 - 1, 6);
    expect(out[3]).toBeCloseTo(-0.0039216, 6);
    expect(out[4]).toBeCloseTo(0.0039216, 6);
  });
});

describe('decodeImages', () => {
  it('decodes a uint8 rank-3 file (raw and gzip) to [-1, 1]', () => {
    const raw = encodeIdx('uint8', [2, 2, 3], [0, 255, 0, 255, 0, 255, 51, 102, 153, 204, 255, 0]);
    for (const bytes of [raw, gzip(raw)]) {
      const d = decodeImages(bytes);
      expect(d.count).toBe(2);
      expect(d.height).toBe(2);
      expect(d.width).toBe(3);
      expect(d.channels).toBe(1);
      expect(d.images).toBeInstanceOf(Float32Array);
      expect(d.images.length).toBe(12);
      expect(Array.from(d.images.subarray(0, 6))).toEqual([-1, 1, -1, 1, -1, 1]);
      expect(d.images[6]).toBeCloseTo(-0.6, 6);
      expect(d.images[9]).toBeCloseTo(0.6, 6);
    }
  });

  it('keeps only the first `limit` images', () => {
    const raw = encodeIdx('uint8', [3, 1, 2], [0, 0, 255, 255, 0, 255]);
    const d = decodeImages(raw, { limit: 2 });
    expect(d.count).toBe(2);
    expect(Array.from(d.images)).toEqual([-1, -1, 1, 1]);
    expect(decodeImages(raw, { limit: 10 }).count).toBe(3);
    expect(() => decodeImages(raw, { limit: 0 })).toThrow(InvalidArgumentError);
  });

  it('rejects a labels file, a wrong dtype and a wrong rank', () => {
    const labels = encodeIdx('uint8', [3], [1, 2, 3]);
    let error: unknown;
    try {
      decodeImages(labels, { name: 'train-labels-idx1-ubyte' });
    } catch (e) {
      error = e;
    }
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/train-labels-idx1-ubyte: expected uint8 images of rank 3.*dims \[3\]/);
    expect(() => decodeImages(encodeIdx('float32', [1, 1, 1], [0.5]))).toThrow(/found float32/);
    expect(() => decodeImages(encodeIdx('uint8', [1, 1, 1, 1], [0]))).toThrow(/rank 3/);
  });
});

describe('decodeLabels', () => {
  it('decodes a uint8 rank-1 file to Int32Array', () => {
    const raw = encodeIdx('uint8', [5], [9, 0, 3, 255, 1]);
    for (const bytes of [raw, gzip(raw)]) {
      const labels = decodeLabels(bytes);
      expect(labels).toBeInstanceOf(Int32Array);
      expect(Array.from(labels)).toEqual([9, 0, 3, 255, 1]);
    }
    expect(Array.from(decodeLabels(raw, { limit: 2 }))).toEqual([9, 0]);
  });

  it('rejects an images file and a wrong dtype', () => {
    expect(() => decodeLabels(encodeIdx('uint8', [1, 1, 1], [0]))).toThrow(/expected uint8 labels of rank 1/);
    expect(() => decodeLabels(encodeIdx('int32', [2], [1, 2]))).toThrow(InvalidDataError);
  });
});
