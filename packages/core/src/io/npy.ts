/** Parser of NumPy `.npy` files (format versions 1-3, C order, numeric dtypes). */
import { InvalidDataError } from '../errors.js';

/** A parsed `.npy` array: its shape, NumPy dtype string and values in C order. */
export interface NpyArray {
  /** Array shape. */
  readonly shape: number[];
  /** NumPy dtype, e.g. `'|u1'` or `'<f4'`. */
  readonly dtype: string;
  /** Values, row-major, converted to JS numbers' typed array of the same kind. */
  readonly data: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Kind = { size: number; make: (n: number) => NpyArray['data']; read: (v: DataView, o: number, le: boolean) => number };
const KINDS: Record<string, Kind> = {
  u1: { size: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
  i1: { size: 1, make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o) },
  u2: { size: 2, make: (n) => new Uint16Array(n), read: (v, o, le) => v.getUint16(o, le) },
  i2: { size: 2, make: (n) => new Int16Array(n), read: (v, o, le) => v.getInt16(o, le) },
  u4: { size: 4, make: (n) => new Uint32Array(n), read: (v, o, le) => v.getUint32(o, le) },
  i4: { size: 4, make: (n) => new Int32Array(n), read: (v, o, le) => v.getInt32(o, le) },
  f4: { size: 4, make: (n) => new Float32Array(n), read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, make: (n) => new Float64Array(n), read: (v, o, le) => v.getFloat64(o, le) },
  b1: { size: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
};

/** True when `bytes` start with the `.npy` magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Parses a `.npy` file. Supports format versions 1-3, C order, and the dtypes bool, (u)int8/16/32,
 * float32/64 in either byte order; anything else (Fortran order, objects) is an InvalidDataError.
 */
export function parseNpy(bytes: Uint8Array, name = '.npy file'): NpyArray {
  if (!isNpy(bytes) || bytes.length < 10) throw new InvalidDataError(`${name} is not a NumPy .npy file (no \\x93NUMPY magic).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new InvalidDataError(`${name} has .npy format version ${major}; versions 1 to 3 are supported.`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new InvalidDataError(`${name} is truncated inside its header.`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([<>|=])([a-zA-Z])(\d*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw new InvalidDataError(`${name} has an unreadable .npy header: ${header.trim()}`);
  if (fortran[1] === 'True') {
    throw new InvalidDataError(`${name} is stored in Fortran order; save it with np.save(np.ascontiguousarray(x)).`);
  }
  const code = `${descr[2]}${descr[3]}`;
  const kind = KINDS[code];
  if (kind === undefined) {
    throw new InvalidDataError(`${name} has dtype ${descr.slice(1).join('')}; use uint8, int8-32 or float32/64 (e.g. x.astype(np.float32)).`);
  }
  const shape = shapeText[1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new InvalidDataError(`${name} has an invalid shape (${shapeText[1]}).`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset < count * kind.size) {
    throw new InvalidDataError(
      `${name} holds ${bytes.length - offset} data bytes but shape (${shape.join(', ')}) of ${code} needs ${count * kind.size}; the file is truncated.`,
    );
  }
  const littleEndian = descr[1] !== '>';
  const data = kind.make(count);
  for (let i = 0; i < count; i++) data[i] = kind.read(view, offset + i * kind.size, littleEndian);
  return { shape, dtype: descr.slice(1).join(''), data };
}
