/** Base64 and float16 codecs for shipped weights; isomorphic (no Buffer). */
import { ModelFormatError } from '../../errors.js';

/** Encodes bytes as base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Decodes base64 into bytes; malformed input is a ModelFormatError. */
export function base64ToBytes(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch (cause) {
    throw new ModelFormatError('Extractor weights are not valid base64; regenerate them with the training script.', { cause });
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds a float32 to the nearest IEEE half-precision bit pattern (round half to even, overflow to infinity). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    let half = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

/** Value of an IEEE half-precision bit pattern. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Encodes values as base64 of little-endian float16 or float32. */
export function encodeValues(values: Float32Array, encoding: 'float16' | 'float32'): string {
  if (encoding === 'float32') {
    const view = new DataView(new ArrayBuffer(values.length * 4));
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return bytesToBase64(new Uint8Array(view.buffer));
  }
  const view = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((v, i) => view.setUint16(i * 2, toFloat16Bits(v), true));
  return bytesToBase64(new Uint8Array(view.buffer));
}

/** Decodes {@link encodeValues} output; `count` is the expected number of values. */
export function decodeValues(text: string, encoding: 'float16' | 'float32', count: number, name: string): Float32Array {
  const bytes = base64ToBytes(text);
  const width = encoding === 'float16' ? 2 : 4;
  if (bytes.length !== count * width) {
    throw new ModelFormatError(
      `Extractor weight "${name}" holds ${bytes.length} bytes, expected ${count * width} (${count} ${encoding} values); ` +
        'the weights file is truncated or does not match its topology.',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = encoding === 'float16' ? fromFloat16Bits(view.getUint16(i * 2, true)) : view.getFloat32(i * 4, true);
  }
  return out;
}
