import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../../errors.js';
import type { CheckpointArray, CheckpointState, CheckpointStore, TrainerCheckpoint } from '../../training/checkpoint-types.js';
import { CHECKPOINT_FORMAT, checkCheckpointHeader, consistentArraySpec, packArrays, type ArraySpec } from '../../io/checkpoint-layout.js';
import { writeFileAtomic } from '../atomic.js';
import { confinedDir, type ConfinedDir } from '../confined-dir.js';
import { saveGenerator } from '../model-io.js';

/** Name of the manifest file, written last. */
export const CHECKPOINT_MANIFEST = 'manifest.json';
const TENSORS_FILE = /^tensors-[0-9a-f]{16}\.bin$/;
const MAX_MANIFEST_BYTES = 64 << 20;
/** Temp files writeFileAtomic leaves behind when a save is killed. One writer per folder. */
const STALE_TEMP = /^\.(manifest\.json|tensors-[0-9a-f]{16}\.bin)\.[0-9a-f]{12}\.tmp$/;

interface Manifest {
  format: typeof CHECKPOINT_FORMAT;
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
  const { bytes, specs } = packArrays(checkpoint.arrays);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `tensors-${sha256.slice(0, 16)}.bin`;
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, file), bytes);
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: checkpoint.formatVersion,
    savedAt: new Date().toISOString(),
    tensors: { file, bytes: bytes.byteLength, sha256 },
    arrays: specs,
    state: checkpoint.state,
  };
  await writeFileAtomic(path.join(dir, CHECKPOINT_MANIFEST), JSON.stringify(manifest));
  // Remove older tensor files, and temp files of saves killed mid-way.
  for (const name of await fs.readdir(dir)) {
    const stale = TENSORS_FILE.test(name) ? name !== file : STALE_TEMP.test(name);
    if (stale) await fs.rm(path.join(dir, name), { force: true });
  }
}

/** Largest tensors file read, checked before reading: 4 GiB. */
const MAX_TENSOR_BYTES = 2 ** 32;

async function readManifest(dir: string, files: ConfinedDir): Promise<Manifest> {
  const bytes = await files.read(
    CHECKPOINT_MANIFEST,
    `there is no ${CHECKPOINT_MANIFEST}. Pass the folder that trainer.save() wrote.`,
    MAX_MANIFEST_BYTES,
    (size) => `${CHECKPOINT_MANIFEST} is ${size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit; it is corrupted or not a checkpoint.`,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    fail(dir, `${CHECKPOINT_MANIFEST} is not valid JSON (${(cause as Error).message}); the file is corrupted or truncated. Resume from an older checkpoint.`, cause);
  }
  checkCheckpointHeader(parsed, `${CHECKPOINT_MANIFEST} is not an aigc trainer checkpoint. Pass the folder that trainer.save() wrote.`, (what) => fail(dir, what));
  const m = parsed as Partial<Manifest>;
  const named = m.tensors?.file;
  if (typeof named === 'string' && !TENSORS_FILE.test(named)) {
    fail(dir, `the manifest names the tensors file ${JSON.stringify(named)}, refused as unsafe (only a tensors-<hash>.bin inside the folder is read); the checkpoint is corrupted or hostile. Resume from an older checkpoint.`);
  }
  const declared = m.tensors?.bytes;
  if (
    typeof m.tensors?.file !== 'string' || !TENSORS_FILE.test(m.tensors.file) || !Number.isSafeInteger(declared) ||
    typeof m.tensors.sha256 !== 'string' || !Array.isArray(m.arrays) || typeof m.state !== 'object' || m.state === null
  ) {
    fail(dir, `${CHECKPOINT_MANIFEST} lacks its tensors file, size, checksum, array list or state; it is corrupted. Resume from an older checkpoint.`);
  }
  if ((declared as number) < 0 || (declared as number) > MAX_TENSOR_BYTES) {
    fail(dir, `the manifest declares ${declared} bytes of tensors, outside 0..${MAX_TENSOR_BYTES}; it is corrupted or hostile. Resume from an older checkpoint.`);
  }
  return m as Manifest;
}

/** Checks one manifest array entry against the tensors file size; returns its element count. */
function checkArraySpec(dir: string, spec: unknown, total: number): ArraySpec {
  // Unaligned offsets are fine here: each array's bytes are copied out before they are viewed.
  return (
    consistentArraySpec(spec, total, false) ??
    fail(dir, `the manifest entry of ${JSON.stringify((spec as { name?: unknown } | null)?.name)} is inconsistent; the checkpoint is corrupted. Resume from an older checkpoint.`)
  );
}

/**
 * Reads and validates a checkpoint folder written by {@link writeCheckpointDir}; reads only, never
 * writes, never opens a file outside `dir` (symlinks included) and checks sizes before reading.
 */
export async function readCheckpointDir(dir: string): Promise<TrainerCheckpoint> {
  const files = confinedDir(dir, `Cannot resume from ${dir}`, `the folder does not exist; there is no ${CHECKPOINT_MANIFEST}. Pass the folder that trainer.save() wrote.`);
  const manifest = await readManifest(dir, files);
  const { file, bytes, sha256 } = manifest.tensors;
  const specs = manifest.arrays.map((spec) => checkArraySpec(dir, spec, bytes));
  const missing = `its tensors file ${file} is missing; the checkpoint is incomplete. Resume from an older checkpoint.`;
  const size = await files.size(file, missing);
  if (size !== bytes) fail(dir, `${file} holds ${size} bytes but the manifest declares ${bytes}; it is truncated or corrupted. Resume from an older checkpoint.`);
  const data = await files.read(file, missing, bytes, (n) => `${file} grew to ${n} bytes while reading; read again.`);
  if (createHash('sha256').update(data).digest('hex') !== sha256) fail(dir, `${file} does not match its checksum; it is corrupted. Resume from an older checkpoint.`);
  const arrays: CheckpointArray[] = specs.map((spec) => {
    const copy = new Uint8Array(data.subarray(spec.offset, spec.offset + spec.bytes));
    const values = spec.dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    return { name: spec.name, dtype: spec.dtype, shape: spec.shape, data: values };
  });
  return { formatVersion: manifest.formatVersion, state: manifest.state, arrays };
}

/**
 * The filesystem {@link CheckpointStore}: a location is a folder. Registered by `@aigc/core/node`;
 * its `saveGenerator` writes the folder `saveGenerator`/`loadGenerator` use.
 */
export const fileCheckpointStore: Required<CheckpointStore> = {
  write: writeCheckpointDir,
  read: readCheckpointDir,
  saveGenerator: (dir, generator) => saveGenerator(generator, dir),
};
