/**
 * Parser for the IDX format used by MNIST and Fashion-MNIST (raw or gzip-compressed).
 * Isomorphic: no Node modules, so it runs in the browser too.
 */
import { Gunzip } from 'fflate';
import { InvalidArgumentError, InvalidDataError } from '../errors.js';

/** Element type of an IDX file. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** Typed array holding the elements of an IDX file. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: element type, dimensions (outermost first) and the elements in row-major order. */
export interface IdxArray {
  /** Element type, from the third magic byte. */
  dtype: IdxDtype;
  /** Dimension sizes, outermost first (e.g. `[count, height, width]`). */
  dims: number[];
  /** `product(dims)` elements, row-major, in a fresh buffer. */
  data: IdxData;
}

/** Options of {@link parseIdx} and {@link gunzipBytes}. */
export interface ParseIdxOptions {
  /** File name used in error messages (default `'IDX data'`). */
  name?: string;
  /** Largest payload accepted, in bytes, checked before allocating (default {@link DEFAULT_IDX_MAX_BYTES}, 2^31). */
  maxBytes?: number;
}

/** Default cap on the decoded payload of an IDX file: 2^31 bytes (2 GiB). */
export const DEFAULT_IDX_MAX_BYTES = 2 ** 31;

/** The IDX type code (third magic byte) of each dtype. */
export const IDX_TYPE_CODES: Readonly<Record<IdxDtype, number>> = Object.freeze({
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
});

const DTYPE_BY_CODE: ReadonlyMap<number, IdxDtype> = new Map(
  (Object.entries(IDX_TYPE_CODES) as Array<[IdxDtype, number]>).map(([dtype, code]) => [code, dtype])
);

const ITEM_SIZE: Readonly<Record<IdxDtype, number>> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

/** Largest IDX header: 4 magic bytes plus 4 bytes per dimension, rank at most 4. */
const MAX_HEADER_BYTES = 4 + 4 * 4;
/** DEFLATE cannot expand data by more than about 1032:1; a larger declared size is a corrupt trailer. */
const MAX_DEFLATE_RATIO = 1040;

/** Size in bytes of one element of `dtype`. */
export function idxItemSize(dtype: IdxDtype): number {
  return ITEM_SIZE[dtype];
}

/** True when `bytes` starts with the gzip signature 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(n: number, digits: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(digits, '0');
}

function checkMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_IDX_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw new InvalidArgumentError(
      'maxBytes',
      `maxBytes must be a positive finite number of bytes, got ${String(maxBytes)}.`
    );
  }
  return maxBytes;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Decompresses a single-member gzip buffer and verifies its length and CRC-32 trailer.
 * The declared size is checked against `maxBytes` (plus the IDX header) before allocating.
 */
export function gunzipBytes(bytes: Uint8Array, options: ParseIdxOptions = {}): Uint8Array {
  const name = options.name ?? 'gzip data';
  const maxBytes = checkMaxBytes(options.maxBytes);
  const corrupt = (detail: string, cause?: unknown): InvalidDataError =>
    new InvalidDataError(
      `${name}: the gzip data is corrupt or truncated (${detail}); download the file again or use an uncompressed copy.`,
      cause === undefined ? undefined : { cause }
    );
  // 10-byte header, at least 2 bytes of deflate data, 8-byte trailer.
  if (bytes.length < 20) throw corrupt(`only ${bytes.length} bytes`);
  const n = bytes.length;
  const declared = (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  const expectedCrc = (bytes[n - 8]! | (bytes[n - 7]! << 8) | (bytes[n - 6]! << 16) | (bytes[n - 5]! << 24)) >>> 0;
  // Inflate without trusting the trailer (fflate sizes its output by it and silently cuts at a
  // smaller declared size), never holding more than the limit; then compare with the trailer.
  const cap = Math.min(maxBytes + MAX_HEADER_BYTES, n * MAX_DEFLATE_RATIO + 1024);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const tooBig = new InvalidDataError(
    `${name}: the gzip data inflates to more than the limit of ${maxBytes} bytes ` +
      `(maxBytes); the file is corrupt, truncated or not a dataset file. Raise maxBytes only if the file really is that large.`
  );
  try {
    const inflater = new Gunzip((chunk) => {
      total += chunk.length;
      if (total > cap) throw tooBig;
      chunks.push(chunk);
    });
    inflater.push(bytes, true);
  } catch (error) {
    if (error === tooBig) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw corrupt(/unexpected EOF/i.test(message) ? 'truncated: the compressed data ends before its end marker' : message, error);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  if (declared > n * MAX_DEFLATE_RATIO + 1024) {
    throw corrupt(`its trailer declares ${declared} uncompressed bytes, impossible for ${n} compressed bytes`);
  }
  if (out.length !== declared) {
    throw corrupt(`decompressed to ${out.length} bytes but the trailer declares ${declared}`);
  }
  if (crc32(out) !== expectedCrc) throw corrupt('CRC-32 mismatch');
  return out;
}

/**
 * Parses an IDX file (raw, or gzip-compressed when it starts with 0x1f 0x8b) and validates the
 * magic number, dimensions and exact payload length. Multi-byte elements are big-endian. The
 * payload size is checked against `maxBytes` (default 2^31) before anything is allocated.
 */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const name = options.name ?? 'IDX data';
  const maxBytes = checkMaxBytes(options.maxBytes);
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      'bytes',
      `${name}: parseIdx expects a Uint8Array, got ${Object.prototype.toString.call(bytes)}.`
    );
  }
  if (isGzip(bytes)) bytes = gunzipBytes(bytes, { name, maxBytes });

  const hint =
    'expected an MNIST-format IDX file such as train-images-idx3-ubyte or train-labels-idx1-ubyte (raw or .gz)';
  if (bytes.length < 4) {
    throw new InvalidDataError(`${name}: only ${bytes.length} bytes, too short for an IDX header; ${hint}.`);
  }
  const magic = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new InvalidDataError(
      `${name}: not an IDX file (magic ${hex(magic, 8)}; an IDX magic starts with two zero bytes); ${hint}.`
    );
  }
  const code = bytes[2]!;
  const dtype = DTYPE_BY_CODE.get(code);
  if (dtype === undefined) {
    throw new InvalidDataError(
      `${name}: unknown IDX type code ${hex(code, 2)} (magic ${hex(magic, 8)}); known codes are 0x08 uint8, ` +
        `0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64. The file is corrupt or not IDX; ${hint}.`
    );
  }
  const rank = bytes[3]!;
  if (rank < 1 || rank > 4) {
    throw new InvalidDataError(
      `${name}: IDX rank ${rank} is not supported (magic ${hex(magic, 8)}); expected 1 to 4 dimensions, ` +
        `e.g. 3 for images (count x height x width) or 1 for labels.`
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new InvalidDataError(
      `${name}: truncated IDX header: rank ${rank} needs ${headerBytes} header bytes, found ${bytes.length}; ` +
        `download the file again.`
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    const o = 4 + 4 * d;
    const size = ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
    if (size === 0 || size > 0x7fffffff) {
      throw new InvalidDataError(
        `${name}: dimension ${d} is ${size}; every IDX dimension must be between 1 and 2^31-1. The header is corrupt.`
      );
    }
    dims.push(size);
    count *= size;
  }
  const itemSize = ITEM_SIZE[dtype];
  const expected = count * itemSize;
  if (expected > maxBytes) {
    throw new InvalidDataError(
      `${name}: the header declares ${dtype} dims [${dims.join(', ')}] = ${expected} bytes, more than the limit of ` +
        `${maxBytes} bytes (maxBytes); the header is corrupt, or raise maxBytes if the file really is that large.`
    );
  }
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new InvalidDataError(
      `${name}: truncated IDX payload: dims [${dims.join(', ')}] of ${dtype} need ${expected} bytes after the ` +
        `${headerBytes}-byte header, but only ${actual} bytes are present; download the file again.`
    );
  }
  if (actual > expected) {
    throw new InvalidDataError(
      `${name}: ${actual - expected} trailing bytes after the IDX payload (expected ${expected} bytes for dims ` +
        `[${dims.join(', ')}] of ${dtype}, found ${actual}); the file is corrupt or has the wrong header.`
    );
  }

  const start = headerBytes;
  // Copies through the typed-array constructors: Node's Buffer#slice would return a shared view.
  if (dtype === 'uint8') return { dtype, dims, data: new Uint8Array(bytes.subarray(start, start + expected)) };
  if (dtype === 'int8') {
    return { dtype, dims, data: new Int8Array(bytes.buffer, bytes.byteOffset + start, count).slice() };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, expected);
  switch (dtype) {
    case 'int16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(2 * i, false);
      return { dtype, dims, data };
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i, false);
      return { dtype, dims, data };
    }
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, false);
      return { dtype, dims, data };
    }
    case 'float64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(8 * i, false);
      return { dtype, dims, data };
    }
  }
}
