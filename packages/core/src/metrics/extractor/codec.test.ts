import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../errors.js';
import { base64ToBytes, bytesToBase64, decodeValues, encodeValues, fromFloat16Bits, toFloat16Bits } from './codec.js';

describe('extractor weight codecs', () => {
  it('round-trips bytes through base64 (including lengths not divisible by 3 and > 32 KiB)', () => {
    const bytes = Uint8Array.from({ length: 70_001 }, (_, i) => (i * 37) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(bytesToBase64(Uint8Array.from([1, 2]))).toBe('AQI=');
  });

  it('encodes float16 exactly for representable values and rounds to nearest even otherwise', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -(2 ** -14), 1 + 2 ** -10]) {
      expect(fromFloat16Bits(toFloat16Bits(v))).toBe(v);
    }
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: ties to even (1.0)
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway: ties to even (1 + 2^-9)
    expect(toFloat16Bits(1e6)).toBe(0x7c00); // overflow to +infinity
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
    expect(toFloat16Bits(2 ** -26)).toBe(0); // underflow to 0
  });

  it('round-trips weights: float32 exactly, float16 within half-precision error', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.3);
    expect(decodeValues(encodeValues(values, 'float32'), 'float32', 1000, 'w')).toEqual(values);
    const half = decodeValues(encodeValues(values, 'float16'), 'float16', 1000, 'w');
    half.forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThanOrEqual(Math.abs(values[i]!) * 2 ** -11 + 1e-7));
  });

  it('rejects truncated data and bad base64 with ModelFormatError', () => {
    const text = encodeValues(new Float32Array(10), 'float16');
    expect(() => decodeValues(text, 'float16', 11, 'kernel')).toThrow(ModelFormatError);
    expect(() => decodeValues('***', 'float16', 1, 'kernel')).toThrow(ModelFormatError);
  });
});
