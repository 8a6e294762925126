/** Test-only helpers: writing IDX files (the inverse of parseIdx). Not part of the public API. */
import { gzipSync } from 'fflate';
import { IDX_TYPE_CODES, idxItemSize } from './idx.js';
import type { IdxDtype } from './idx.js';

/** Encodes `data` as an IDX file of `dtype` and `dims` (big-endian multi-byte elements). */
export function encodeIdx(dtype: IdxDtype, dims: readonly number[], data: ArrayLike<number>): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`encodeIdx: ${data.length} values for dims [${dims.join(', ')}]`);
  const header = 4 + 4 * dims.length;
  const size = idxItemSize(dtype);
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  view.setUint8(2, IDX_TYPE_CODES[dtype]);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    const o = header + i * size;
    switch (dtype) {
      case 'uint8':
        view.setUint8(o, v);
        break;
      case 'int8':
        view.setInt8(o, v);
        break;
      case 'int16':
        view.setInt16(o, v, false);
        break;
      case 'int32':
        view.setInt32(o, v, false);
        break;
      case 'float32':
        view.setFloat32(o, v, false);
        break;
      case 'float64':
        view.setFloat64(o, v, false);
        break;
    }
  }
  return out;
}

/** An IDX header alone (magic + dims), for hostile-header tests. */
export function idxHeader(typeCode: number, dims: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, typeCode);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return out;
}

/** Gzip-compresses bytes. */
export function gzip(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return gzipSync(bytes);
}

/** A small MNIST-style images file: `count` images of `h x w` uint8 pixels in a fixed pattern. */
export function fakeImagesIdx(count: number, h: number, w: number): Uint8Array {
  const n = count * h * w;
  const pixels = new Uint8Array(n);
  for (let i = 0; i < n; i++) pixels[i] = (i * 7 + Math.floor(i / (h * w))) % 256;
  return encodeIdx('uint8', [count, h, w], pixels);
}

/** A small MNIST-style labels file with label `i % classes`. */
export function fakeLabelsIdx(count: number, classes = 10): Uint8Array {
  return encodeIdx(
    'uint8',
    [count],
    Array.from({ length: count }, (_, i) => i % classes)
  );
}
