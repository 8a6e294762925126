import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tf, tfl } from '../tf.js';
import { ModelFormatError } from '../errors.js';
import { LayersImageGenerator } from '../models/layers-gan.js';
import type { ImageGenerator } from '../models/types.js';
import { writeFileAtomic } from './atomic.js';

/** Metadata aigc stores in model.json's `userDefinedMetadata.aigc`. */
export interface SavedModelInfo {
  /** Format version of aigc's saved models. */
  readonly formatVersion: number;
  /** What was saved, e.g. `'generator'`. */
  readonly kind: string;
  /** Free-form extra fields (latentDim, imageShape, ...). */
  readonly [key: string]: unknown;
}

/** Current format version of saved models. */
export const MODEL_FORMAT_VERSION = 1;

/** Options of {@link loadLayersModelFromDir}. */
export interface LoadModelOptions {
  /** Largest accepted total weight size in bytes, checked before reading. Default 1 GiB. */
  readonly maxWeightBytes?: number;
  /** Largest accepted model.json in bytes. Default 16 MiB. */
  readonly maxJsonBytes?: number;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/**
 * Saves a LayersModel as a tfjs `model.json` plus one weights file in `dir`. The weights file
 * is named by its hash and model.json is replaced last and atomically, so a crash mid-save
 * leaves the previous model loadable.
 */
export async function saveLayersModelToDir(
  model: tfl.LayersModel,
  dir: string,
  info: SavedModelInfo = { formatVersion: MODEL_FORMAT_VERSION, kind: 'layers-model' },
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const bytes = new Uint8Array(weights);
      const weightsName = `weights-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`;
      await writeFileAtomic(path.join(dir, weightsName), bytes);
      const json = {
        format: 'layers-model',
        generatedBy: 'aigc',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: { aigc: info },
      };
      await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
      // Drop weight files no longer referenced by model.json.
      for (const name of await fs.readdir(dir)) {
        if (/^weights-[0-9a-f]{16}\.bin$/.test(name) && name !== weightsName) await fs.rm(path.join(dir, name), { force: true });
      }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    }),
  );
}

function fail(dir: string, what: string): never {
  throw new ModelFormatError(`Cannot load the model in ${dir}: ${what}`);
}

/** Resolves a manifest path inside `dir`, rejecting anything that could escape it. */
function safeWeightPath(dir: string, p: unknown): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 255) fail(dir, `invalid weights path ${JSON.stringify(p)}.`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || path.isAbsolute(p) || p.includes('\\') || p.includes('\0')) {
    fail(dir, `weights path "${p}" must be a plain relative file name inside the model folder.`);
  }
  if (p.split('/').some((seg) => seg === '..' || seg === '')) fail(dir, `weights path "${p}" points outside the model folder.`);
  const full = path.resolve(dir, p);
  if (path.relative(path.resolve(dir), full).startsWith('..')) fail(dir, `weights path "${p}" points outside the model folder.`);
  return full;
}

function specBytes(dir: string, spec: tf.io.WeightsManifestEntry): number {
  if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(dir, `weight "${spec.name}" has an invalid shape ${JSON.stringify(spec.shape)}.`);
  }
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) fail(dir, `weight "${spec.name}" has an unsupported dtype ${JSON.stringify(dtype)}.`);
  return spec.shape.reduce((a, b) => a * b, 1) * size;
}

/** Reads and validates model.json, returning its parsed content. */
async function readModelJson(dir: string, maxJsonBytes: number): Promise<Record<string, unknown>> {
  const file = path.join(dir, 'model.json');
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    fail(dir, 'there is no model.json. Pass the folder that saveGenerator or saveLayersModelToDir wrote.');
  }
  if (!stat.isFile()) fail(dir, 'model.json is not a file.');
  if (stat.size > maxJsonBytes) fail(dir, `model.json is ${stat.size} bytes, over the ${maxJsonBytes}-byte limit.`);
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(dir, 'model.json is not a JSON object.');
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (ModelFormatError.isInstance(error)) throw error;
    fail(dir, `model.json is not valid JSON (${(error as Error).message}); the file may be truncated.`);
  }
}

/**
 * Loads a LayersModel saved in tfjs' folder format, validating it first: weight paths must stay
 * inside `dir`, declared sizes must match the files, and the total is capped before any read.
 */
export async function loadLayersModelFromDir(
  dir: string,
  options: LoadModelOptions = {},
): Promise<{ model: tfl.LayersModel; info: SavedModelInfo | undefined }> {
  const maxWeightBytes = options.maxWeightBytes ?? 1 << 30;
  const json = await readModelJson(dir, options.maxJsonBytes ?? 16 << 20);
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) fail(dir, 'model.json has no modelTopology.');
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) fail(dir, 'model.json has no weightsManifest list.');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const files: Array<{ file: string; bytes: number }> = [];
  let total = 0;
  for (const group of manifest as Array<{ paths?: unknown; weights?: unknown }>) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) fail(dir, 'a weightsManifest group lacks paths or weights.');
    const groupBytes = (group.weights as tf.io.WeightsManifestEntry[]).reduce((sum, s) => sum + specBytes(dir, s), 0);
    specs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
    let fileBytes = 0;
    for (const p of group.paths as unknown[]) {
      const file = safeWeightPath(dir, p);
      let stat;
      try {
        stat = await fs.lstat(file);
      } catch {
        fail(dir, `weights file "${String(p)}" is missing.`);
      }
      if (!stat.isFile()) fail(dir, `weights file "${String(p)}" is not a regular file.`);
      fileBytes += stat.size;
      files.push({ file, bytes: stat.size });
    }
    if (fileBytes !== groupBytes) {
      fail(dir, `the weights files hold ${fileBytes} bytes but model.json declares ${groupBytes}; the save is corrupted or truncated.`);
    }
    total += groupBytes;
    if (total > maxWeightBytes) fail(dir, `the weights declare ${total} bytes, over the ${maxWeightBytes}-byte limit (maxWeightBytes).`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const { file, bytes } of files) {
    const buf = await fs.readFile(file);
    if (buf.byteLength !== bytes) fail(dir, `weights file ${path.basename(file)} changed while loading.`);
    weightData.set(buf, offset);
    offset += bytes;
  }
  const meta = (json.userDefinedMetadata as { aigc?: SavedModelInfo } | undefined)?.aigc;
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs: specs,
        weightData: weightData.buffer,
      }),
    );
  } catch (cause) {
    throw new ModelFormatError(`Cannot load the model in ${dir}: ${(cause as Error).message}`, { cause });
  }
  return { model, info: meta };
}

/** Saves a generator (e.g. `gan.generator` or a trained GanModel's G) so {@link loadGenerator} can sample from it. */
export async function saveGenerator(
  gen: { readonly generator?: tfl.LayersModel; readonly model?: tfl.LayersModel; readonly latentDim: number; readonly imageShape: readonly number[] },
  dir: string,
): Promise<void> {
  const model = gen.generator ?? gen.model;
  if (!model) throw new ModelFormatError('saveGenerator needs a GanModel or a loaded generator.');
  await saveLayersModelToDir(model, dir, {
    formatVersion: MODEL_FORMAT_VERSION,
    kind: 'generator',
    latentDim: gen.latentDim,
    imageShape: [...gen.imageShape],
  });
}

/** Loads a generator saved by {@link saveGenerator} (or any tfjs LayersModel from z to images) for sampling. */
export async function loadGenerator(dir: string, options: LoadModelOptions = {}): Promise<ImageGenerator & { model: tfl.LayersModel }> {
  const { model, info } = await loadLayersModelFromDir(dir, options);
  if (info !== undefined && info.formatVersion !== MODEL_FORMAT_VERSION) {
    model.dispose();
    throw new ModelFormatError(
      `The model in ${dir} has aigc format version ${String(info.formatVersion)}; this version of @aigc/core reads version ${MODEL_FORMAT_VERSION}.`,
    );
  }
  try {
    return new LayersImageGenerator(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
}
