/**
 * The layout both checkpoint stores share (the folder store of `@aigc/core/node` and the IndexedDB
 * store): the arrays packed back to back in one buffer, a list saying where each lies, and the
 * format tag and version every stored checkpoint carries. Isomorphic; internal (not exported from
 * the package index).
 */
import { READABLE_CHECKPOINT_VERSIONS, type CheckpointArray } from '../training/checkpoint-types.js';
import { shapeSize } from './safe-model.js';

/** The `format` tag of a stored trainer checkpoint (folder manifest or IndexedDB record). */
export const CHECKPOINT_FORMAT = 'aigc-trainer-checkpoint';

/** Where one array lies in a checkpoint's packed bytes. */
export interface ArraySpec {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  bytes: number;
}

/** Packs the arrays' values back to back (in platform byte order, little-endian everywhere tfjs runs) and says where each lies. */
export function packArrays(arrays: readonly CheckpointArray[]): { bytes: Uint8Array<ArrayBuffer>; specs: ArraySpec[] } {
  const total = arrays.reduce((sum, a) => sum + a.data.byteLength, 0);
  const bytes = new Uint8Array(total);
  const specs: ArraySpec[] = [];
  let offset = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offset);
    specs.push({ name: a.name, dtype: a.dtype, shape: [...a.shape], offset, bytes: a.data.byteLength });
    offset += a.data.byteLength;
  }
  return { bytes, specs };
}

/**
 * Checks that `value` is an object tagged {@link CHECKPOINT_FORMAT} (else `fail(notACheckpoint)`)
 * with a format version this build reads (else `fail` with the version found). `fail` must throw.
 */
export function checkCheckpointHeader(
  value: unknown,
  notACheckpoint: string,
  fail: (what: string) => never,
): asserts value is { format: typeof CHECKPOINT_FORMAT; formatVersion: number } {
  const v = value as { format?: unknown; formatVersion?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.format !== CHECKPOINT_FORMAT) fail(notACheckpoint);
  if (!READABLE_CHECKPOINT_VERSIONS.includes(v.formatVersion as number)) {
    fail(`the checkpoint has format version ${String(v.formatVersion)}; this @aigc/core reads versions ${READABLE_CHECKPOINT_VERSIONS.join(' and ')}. Use the @aigc/core version that saved it.`);
  }
}

/**
 * `spec` as an {@link ArraySpec} when it is a consistent entry of a `total`-byte buffer (a name, a
 * float32/int32 dtype, a valid shape whose size times 4 is its byte count, and a range inside the
 * buffer, starting at a multiple of 4 when `aligned`); otherwise undefined.
 */
export function consistentArraySpec(spec: unknown, total: number, aligned: boolean): ArraySpec | undefined {
  const s = spec as Partial<ArraySpec> | null;
  const count = shapeSize(s?.shape);
  const ok =
    typeof s === 'object' && s !== null && typeof s.name === 'string' &&
    (s.dtype === 'float32' || s.dtype === 'int32') &&
    count !== undefined &&
    Number.isSafeInteger(s.offset) && (s.offset as number) >= 0 && (!aligned || (s.offset as number) % 4 === 0) &&
    s.bytes === count * 4 &&
    (s.offset as number) + s.bytes <= total;
  return ok ? (s as ArraySpec) : undefined;
}
