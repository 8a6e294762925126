import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../../errors.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointArray,
  type CheckpointState,
  type CheckpointStore,
  type TrainerCheckpoint,
} from '../../training/checkpoint-types.js';
import { writeFileAtomic } from '../atomic.js';

/** Name of the manifest file, written last. */
export const CHECKPOINT_MANIFEST = 'manifest.json';
const TENSORS_FILE = /^tensors-[0-9a-f]{16}\.bin$/;
const MAX_MANIFEST_BYTES = 64 << 20;

interface ArraySpec {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  bytes: number;
}

interface Manifest {
  format: 'aigc-trainer-checkpoint';
  formatVersion: number;
  savedAt: string;
  /** Little-endian float32/int32 values of every array, back to back. */
  tensors: { file: string; bytes: number; sha256: string };
  arrays: ArraySpec[];
  state: CheckpointState;
}

function fail(dir: string, what: string, cause?: unknown): never {
  throw new ModelFormatError(`Cannot resume from ${dir}: ${what}`, cause === undefined ? undefined : { cause });
}

/**
 * Writes a checkpoint folder: the arrays go to `tensors-<hash>.bin` (atomically), then
 * `manifest.json` (atomically, last), then older tensor files are removed. A crash at any point
 * leaves the previous checkpoint readable.
 */
export async function writeCheckpointDir(dir: string, checkpoint: TrainerCheckpoint): Promise<void> {
  const total = checkpoint.arrays.reduce((sum, a) => sum + a.data.byteLength, 0);
  const bytes = new Uint8Array(total);
  const arrays: ArraySpec[] = [];
  let offset = 0;
  for (const a of checkpoint.arrays) {
    bytes.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offset);
    arrays.push({ name: a.name, dtype: a.dtype, shape: [...a.shape], offset, bytes: a.data.byteLength });
    offset += a.data.byteLength;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `tensors-${sha256.slice(0, 16)}.bin`;
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, file), bytes);
  const manifest: Manifest = {
    format: 'aigc-trainer-checkpoint',
    formatVersion: checkpoint.formatVersion,
    savedAt: new Date().toISOString(),
    tensors: { file, bytes: total, sha256 },
    arrays,
    state: checkpoint.state,
  };
  await writeFileAtomic(path.join(dir, CHECKPOINT_MANIFEST), JSON.stringify(manifest));
  for (const name of await fs.readdir(dir)) {
    if (TENSORS_FILE.test(name) && name !== file) await fs.rm(path.join(dir, name), { force: true });
  }
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, CHECKPOINT_MANIFEST);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (cause) {
    fail(dir, `there is no ${CHECKPOINT_MANIFEST}. Pass the folder that trainer.save() wrote.`, cause);
  }
  if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) fail(dir, `${CHECKPOINT_MANIFEST} is not a file of at most ${MAX_MANIFEST_BYTES} bytes.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (cause) {
    fail(dir, `${CHECKPOINT_MANIFEST} is not valid JSON (${(cause as Error).message}); the file is corrupted or truncated.`, cause);
  }
  const m = parsed as Partial<Manifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== 'aigc-trainer-checkpoint') fail(dir, `${CHECKPOINT_MANIFEST} is not an aigc trainer checkpoint.`);
  if (m.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    fail(dir, `the checkpoint has format version ${String(m.formatVersion)}; this @aigc/core reads version ${CHECKPOINT_FORMAT_VERSION}.`);
  }
  if (typeof m.tensors?.file !== 'string' || !TENSORS_FILE.test(m.tensors.file) || !Array.isArray(m.arrays) || typeof m.state !== 'object') {
    fail(dir, `${CHECKPOINT_MANIFEST} lacks its tensors file, array list or state; it is corrupted.`);
  }
  return m as Manifest;
}

/** Reads and validates a checkpoint folder written by {@link writeCheckpointDir}; reads only, never writes. */
export async function readCheckpointDir(dir: string): Promise<TrainerCheckpoint> {
  const manifest = await readManifest(dir);
  const { file, bytes, sha256 } = manifest.tensors;
  let data: Buffer;
  try {
    data = await fs.readFile(path.join(dir, file));
  } catch (cause) {
    fail(dir, `its tensors file ${file} is missing.`, cause);
  }
  if (data.byteLength !== bytes) fail(dir, `${file} holds ${data.byteLength} bytes but the manifest declares ${bytes}; it is truncated or corrupted.`);
  if (createHash('sha256').update(data).digest('hex') !== sha256) fail(dir, `${file} does not match its checksum; it is corrupted.`);
  const arrays: CheckpointArray[] = manifest.arrays.map((spec) => {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const ok =
      (spec.dtype === 'float32' || spec.dtype === 'int32') &&
      spec.shape.every((d) => Number.isInteger(d) && d >= 0) &&
      Number.isInteger(spec.offset) &&
      spec.offset >= 0 &&
      spec.bytes === count * 4 &&
      spec.offset + spec.bytes <= bytes;
    if (!ok) fail(dir, `the manifest entry of "${String(spec.name)}" is inconsistent; the checkpoint is corrupted.`);
    const copy = new Uint8Array(data.subarray(spec.offset, spec.offset + spec.bytes));
    const values = spec.dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    return { name: spec.name, dtype: spec.dtype, shape: spec.shape, data: values };
  });
  return { formatVersion: manifest.formatVersion, state: manifest.state, arrays };
}

/** The filesystem {@link CheckpointStore}: a location is a folder. Registered by `@aigc/core/node`. */
export const fileCheckpointStore: CheckpointStore = {
  write: writeCheckpointDir,
  read: readCheckpointDir,
};
