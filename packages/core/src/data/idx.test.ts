import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../errors.js';
import { DEFAULT_IDX_MAX_BYTES, gunzipBytes, isGzip, parseIdx } from './idx.js';
import type { IdxDtype } from './idx.js';
import { encodeIdx, gzip, idxHeader } from './idx.test-utils.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const samples: Record<IdxDtype, number[]> = {
  uint8: [0, 1, 127, 128, 254, 255],
  int8: [-128, -1, 0, 1, 100, 127],
  int16: [-32768, -2, 0, 258, 4660, 32767],
  int32: [-2147483648, -65536, 0, 1, 305419896, 2147483647],
  float32: [-1.5, 0, 0.25, 3.5, -1024.125, 65504],
  float64: [-1e300, Math.PI, 0, -0.1, 1 / 3, 12345.678901234],
};

describe('parseIdx', () => {
  for (const [dtype, values] of Object.entries(samples) as Array<[IdxDtype, number[]]>) {
    for (const compressed of [false, true]) {
      it(`round-trips ${dtype} (${compressed ? 'gzip' : 'raw'})`, () => {
        const raw = encodeIdx(dtype, [2, 3], values);
        const parsed = parseIdx(compressed ? gzip(raw) : raw);
        expect(parsed.dtype).toBe(dtype);
        expect(parsed.dims).toEqual([2, 3]);
        expect(Array.from(parsed.data)).toEqual(values);
      });
    }
  }

  it('returns the right typed array class for each dtype', () => {
    const classes: Record<IdxDtype, unknown> = {
      uint8: Uint8Array,
      int8: Int8Array,
      int16: Int16Array,
      int32: Int32Array,
      float32: Float32Array,
      float64: Float64Array,
    };
    for (const dtype of Object.keys(classes) as IdxDtype[]) {
      expect(parseIdx(encodeIdx(dtype, [1], [1])).data).toBeInstanceOf(classes[dtype] as never);
    }
  });

  it('decodes multi-byte values big-endian', () => {
    const bytes = new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 1, 0x12, 0x34]);
    expect(Array.from(parseIdx(bytes).data)).toEqual([0x1234]);
  });

  it('handles rank 1 through 4', () => {
    for (const dims of [[4], [2, 2], [1, 2, 2], [1, 1, 2, 2]]) {
      const parsed = parseIdx(encodeIdx('uint8', dims, [1, 2, 3, 4]));
      expect(parsed.dims).toEqual(dims);
      expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4]);
    }
  });

  it('copies the payload rather than aliasing the input (also for Node Buffers)', () => {
    const raw = Buffer.from(encodeIdx('int8', [3], [-1, 2, -3]));
    const parsed = parseIdx(raw);
    raw.fill(0);
    expect(Array.from(parsed.data)).toEqual([-1, 2, -3]);
    expect(parsed.data.byteOffset).toBe(0);
    expect(parsed.data.buffer.byteLength).toBe(3);
  });

  it('detects gzip by its signature', () => {
    expect(isGzip(gzip(new Uint8Array([1, 2, 3])))).toBe(true);
    expect(isGzip(encodeIdx('uint8', [1], [0]))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });

  it('rejects a wrong magic number and names the file', () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    const error = errorOf(() => parseIdx(bytes, { name: 'train-images-idx3-ubyte' }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('train-images-idx3-ubyte');
    expect(error.message).toContain('not an IDX file (magic 0x504B0304');
    expect(error.message).toContain('idx3-ubyte');
  });

  it('rejects an unknown type code', () => {
    const error = errorOf(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 1, 5])));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/unknown IDX type code 0x0A/);
  });

  it('rejects rank 0 and rank 5', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/rank 0/);
    expect(() => parseIdx(idxHeader(8, [1, 1, 1, 1, 1]))).toThrow(/rank 5/);
  });

  it('rejects a zero dimension and a truncated header', () => {
    expect(() => parseIdx(idxHeader(8, [0]))).toThrow(/dimension 0 is 0/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]))).toThrow(/truncated IDX header.*needs 16.*found 6/);
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(InvalidDataError);
  });

  it('reports a truncated payload with expected vs actual bytes', () => {
    const raw = encodeIdx('int16', [2, 3], [1, 2, 3, 4, 5, 6]);
    const error = errorOf(() => parseIdx(raw.subarray(0, raw.length - 3)));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('need 12 bytes');
    expect(error.message).toContain('only 9 bytes are present');
  });

  it('rejects trailing bytes', () => {
    const raw = encodeIdx('uint8', [2], [1, 2]);
    const padded = new Uint8Array(raw.length + 2);
    padded.set(raw);
    const error = errorOf(() => parseIdx(padded));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('2 trailing bytes');
  });

  it('rejects huge declared dims before allocating', () => {
    // 60000^3 uint8 would be 2.16e14 bytes; only the 16-byte header exists.
    const error = errorOf(() => parseIdx(idxHeader(8, [60000, 60000, 60000])));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`limit of ${DEFAULT_IDX_MAX_BYTES} bytes`);
    // A custom cap applies to the element count times the item size.
    const small = encodeIdx('float64', [4], [1, 2, 3, 4]);
    expect(() => parseIdx(small, { maxBytes: 31 })).toThrow(/32 bytes, more than the limit of 31/);
    expect(parseIdx(small, { maxBytes: 32 }).dims).toEqual([4]);
  });

  it('rejects an invalid maxBytes option', () => {
    const error = errorOf(() => parseIdx(encodeIdx('uint8', [1], [1]), { maxBytes: -1 }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
});

describe('gzip handling', () => {
  const raw = encodeIdx(
    'uint8',
    [64],
    Array.from({ length: 64 }, (_, i) => i)
  );

  it('reports a truncated gzip as corrupt or truncated', () => {
    const gz = gzip(raw);
    const error = errorOf(() => parseIdx(gz.subarray(0, gz.length - 10), { name: 'x.gz' }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('x.gz');
    expect(error.message).toContain('corrupt or truncated');
  });

  it('reports corrupted compressed bytes (CRC or inflate failure)', () => {
    const gz = gzip(raw);
    const bad = gz.slice();
    for (let i = 12; i < bad.length - 8; i++) bad[i] = bad[i]! ^ 0x5a;
    const error = errorOf(() => parseIdx(bad));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/corrupt|limit/);
  });

  it('detects a flipped CRC in the trailer', () => {
    const bad = gzip(raw).slice();
    bad[bad.length - 8] = bad[bad.length - 8]! ^ 0xff;
    expect(() => gunzipBytes(bad)).toThrow(/CRC-32 mismatch/);
  });

  it('detects a wrong uncompressed length in the trailer', () => {
    const bad = gzip(raw).slice();
    bad[bad.length - 4] = bad[bad.length - 4]! + 1;
    expect(() => gunzipBytes(bad)).toThrow(/corrupt or truncated/);
  });

  it('rejects a gzip whose declared size exceeds maxBytes before inflating', () => {
    const big = encodeIdx('uint8', [4096], new Uint8Array(4096));
    const error = errorOf(() => parseIdx(gzip(big), { maxBytes: 1000 }));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('limit of 1000 bytes');
  });

  it('rejects a trailer declaring an impossible expansion', () => {
    const bad = gzip(raw).slice();
    bad.set([0xff, 0xff, 0xff, 0x7f], bad.length - 4);
    expect(() => gunzipBytes(bad)).toThrow(/impossible/);
  });

  it('rejects a tiny gzip-looking buffer', () => {
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]))).toThrow(/corrupt or truncated/);
  });
});
