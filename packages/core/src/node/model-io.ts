import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ModelFormatError } from '../errors.js';
import { generatorFromLayers } from '../models/conditional-generator.js';
import type { ImageGenerator } from '../models/types.js';
import { modelFromTopology, setWeightsStrict, weightSpecSize } from '../io/safe-model.js';
import { writeFileAtomic } from './atomic.js';
import { fetchCapped } from '../io/fetch-capped.js';
import { confinedDir } from './confined-dir.js';
import { checkKeys } from '../options.js';

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

/** Options of {@link loadLayersModelFromDir} and {@link loadGenerator}. */
export interface LoadModelOptions {
  /** Largest accepted total weight size in bytes, checked before reading or allocating. Default 1 GiB. */
  readonly maxWeightBytes?: number;
  /** Largest accepted model.json in bytes. Default 16 MiB. */
  readonly maxJsonBytes?: number;
}

/** Options of {@link loadGeneratorFromUrl}. */
export interface LoadModelFromUrlOptions extends LoadModelOptions {
  /** The fetch implementation. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Aborts the downloads. */
  readonly signal?: AbortSignal;
}

const LOAD_KEYS = { maxWeightBytes: true, maxJsonBytes: true } as const satisfies { readonly [K in keyof Required<LoadModelOptions>]: true };

/** Temp files writeFileAtomic leaves behind when a save is killed (`.model.json.<hex>.tmp`). */
const STALE_TEMP = /^\.(model\.json|weights-[0-9a-f]{16}\.bin)\.[0-9a-f]{12}\.tmp$/;

/**
 * Saves a LayersModel as a tfjs `model.json` plus one weights file in `dir`. The weights file
 * is named by its hash and model.json is replaced last and atomically, so a crash mid-save
 * leaves the previous model loadable; the next save removes what the crash left behind.
 * One writer per folder: concurrent saves into the same folder are not supported.
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
      // Drop weight files no longer referenced by model.json, and temp files of saves killed mid-way.
      for (const name of await fs.readdir(dir)) {
        const stale = /^weights-[0-9a-f]{16}\.bin$/.test(name) ? name !== weightsName : STALE_TEMP.test(name);
        if (stale) await fs.rm(path.join(dir, name), { force: true });
      }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    }),
  );
}

/** Where a model is read from: a folder or a URL. Every method validates before it reads. */
interface ModelSource {
  /** Prefix of error messages, e.g. `Cannot load the model in /x`. */
  readonly where: string;
  /** Reads and parses model.json, refusing more than `maxBytes`. */
  readJson(maxBytes: number): Promise<unknown>;
  /** Checks that the files of one manifest group exist and hold exactly `bytes` bytes, where knowable before reading. */
  checkGroup(paths: readonly string[], bytes: number): Promise<void>;
  /** Reads one weights file, refusing more than `maxBytes`. */
  read(weightPath: string, maxBytes: number): Promise<Uint8Array>;
}

/** One validated weightsManifest group. */
interface WeightGroup {
  readonly paths: string[];
  readonly bytes: number;
}

const SEGMENT = /^[\w@+ -][\w.@+ -]*$/;

/** Checks that a manifest path is a plain relative name inside the model's folder (no scheme, no `..`, no absolute path). */
function checkWeightPath(where: string, p: unknown): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 255) {
    throw new ModelFormatError(`${where}: invalid weights path ${JSON.stringify(p)}; paths must be file names inside the model folder.`);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('/') || path.isAbsolute(p) || p.includes('\\') || p.includes('\0')) {
    throw new ModelFormatError(`${where}: weights path "${p}" must be a plain relative file name inside the model folder; re-save the model.`);
  }
  const segments = p.split('/');
  if (segments.some((seg) => seg === '..' || seg === '.' || seg === '')) {
    throw new ModelFormatError(`${where}: weights path "${p}" points outside the model folder; re-save the model.`);
  }
  if (!segments.every((seg) => SEGMENT.test(seg))) {
    throw new ModelFormatError(`${where}: weights path "${p}" has unusual characters; use letters, digits, '.', '_' and '-'.`);
  }
  return p;
}

/** Validates model.json's structure and manifest, capping the declared size, before anything else is read. */
function planWeights(json: unknown, where: string, maxWeightBytes: number) {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFormatError(`${where}: model.json is not a JSON object.`);
  const { modelTopology, weightsManifest, userDefinedMetadata, format } = json as Record<string, unknown>;
  if (format === 'graph-model') {
    throw new ModelFormatError(
      `${where}: model.json is a tfjs graph model (format "graph-model"), not a LayersModel. Load it with loadGraphModel from ` +
        '@tensorflow/tfjs-converter 4.22.0 and pass it on (for a feature extractor: featureExtractorFromModel(model, options)).',
    );
  }
  if (typeof modelTopology !== 'object' || modelTopology === null) {
    throw new ModelFormatError(`${where}: model.json has no modelTopology; pass a folder saved by saveGenerator or tfjs.`);
  }
  if (!Array.isArray(weightsManifest)) throw new ModelFormatError(`${where}: model.json has no weightsManifest list; the file is corrupted.`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const groups: WeightGroup[] = [];
  let totalBytes = 0;
  let totalElements = 0;
  for (const group of weightsManifest as Array<{ paths?: unknown; weights?: unknown }>) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
      throw new ModelFormatError(`${where}: a weightsManifest group lacks paths or weights; the file is corrupted.`);
    }
    let bytes = 0;
    for (const spec of group.weights as unknown[]) {
      const size = weightSpecSize(spec, where);
      bytes += size.bytes;
      totalElements += size.elements;
      specs.push(spec as tf.io.WeightsManifestEntry);
      if (totalBytes + bytes > maxWeightBytes) {
        throw new ModelFormatError(
          `${where}: the weights declare more than the ${maxWeightBytes}-byte limit (maxWeightBytes); raise maxWeightBytes only for a model you trust.`,
        );
      }
    }
    const paths = (group.paths as unknown[]).map((p) => checkWeightPath(where, p));
    if (paths.length === 0 && bytes > 0) throw new ModelFormatError(`${where}: a weightsManifest group declares weights but no files.`);
    groups.push({ paths, bytes });
    totalBytes += bytes;
  }
  const meta = (userDefinedMetadata as { aigc?: unknown } | undefined)?.aigc;
  const info = typeof meta === 'object' && meta !== null ? (meta as SavedModelInfo) : undefined;
  return { modelTopology, specs, groups, totalBytes, totalElements, info };
}

function positiveLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(name, `${name} must be a positive number of bytes, got ${String(value)}.`);
  }
  return value;
}

/** Loads and validates a model from `source`; `check` may reject the metadata before anything is allocated. */
async function loadFromSource(
  source: ModelSource,
  options: LoadModelOptions,
  check?: (info: SavedModelInfo | undefined) => void,
): Promise<{ model: tfl.LayersModel; info: SavedModelInfo | undefined }> {
  const maxWeightBytes = positiveLimit('maxWeightBytes', options.maxWeightBytes, 1 << 30);
  const maxJsonBytes = positiveLimit('maxJsonBytes', options.maxJsonBytes, 16 << 20);
  const { where } = source;
  const plan = planWeights(await source.readJson(maxJsonBytes), where, maxWeightBytes);
  check?.(plan.info);
  for (const group of plan.groups) await source.checkGroup(group.paths, group.bytes);
  const model = await modelFromTopology(plan.modelTopology, plan.totalElements, where);
  try {
    const data = new Uint8Array(plan.totalBytes);
    let offset = 0;
    for (const group of plan.groups) {
      const end = offset + group.bytes;
      for (const p of group.paths) {
        const bytes = await source.read(p, end - offset);
        data.set(bytes, offset);
        offset += bytes.byteLength;
      }
      if (offset !== end) {
        throw new ModelFormatError(
          `${where}: the weights files hold ${group.bytes - (end - offset)} bytes but model.json declares ${group.bytes}; the save is corrupted or truncated; re-save the model.`,
        );
      }
    }
    setWeightsStrict(model, data.buffer, plan.specs, where);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, info: plan.info };
}

const NO_MODEL = 'there is no model.json. Pass the folder that saveGenerator or saveLayersModelToDir wrote.';

/** A model folder on disk; no file outside it is ever opened, symlinks included. */
function dirSource(dir: string): ModelSource {
  const where = `Cannot load the model in ${dir}`;
  const files = confinedDir(dir, where, 'there is no model.json (the folder does not exist). Pass the folder that saveGenerator or saveLayersModelToDir wrote.');
  const missing = (p: string) => `weights file "${p}" is missing; the save is incomplete.`;
  return {
    where,
    async readJson(maxBytes) {
      const bytes = await files.read('model.json', NO_MODEL, maxBytes, (size) => `model.json is ${size} bytes, over the ${maxBytes}-byte limit (maxJsonBytes).`);
      return parseJson(bytes, where);
    },
    async checkGroup(paths, bytes) {
      let total = 0;
      for (const p of paths) total += await files.size(p, missing(p));
      if (total !== bytes) {
        throw new ModelFormatError(`${where}: the weights files hold ${total} bytes but model.json declares ${bytes}; the save is corrupted or truncated; re-save the model.`);
      }
    },
    read(p, maxBytes) {
      return files.read(p, missing(p), maxBytes, (size) => `weights file "${p}" grew to ${size} bytes while loading; load again.`);
    },
  };
}

function parseJson(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new ModelFormatError(`${where}: model.json is not valid JSON (${(cause as Error).message}); the file may be truncated; re-save the model.`, { cause });
  }
}

/** A model.json URL; weights must be plain names under the same origin and folder. */
function urlSource(modelUrl: URL, options: LoadModelFromUrlOptions): ModelSource {
  const where = `Cannot load the model at ${modelUrl.href}`;
  const folder = new URL('.', modelUrl);
  const advice = 'check the URL, or download the model folder and use loadGenerator';
  const fetchOptions = { advice, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  return {
    where,
    async readJson(maxBytes) {
      const bytes = await fetchCapped(modelUrl.href, { ...fetchOptions, maxBytes, tooLargeReason: 'model.json files are small; raise maxJsonBytes' });
      return parseJson(bytes, where);
    },
    async checkGroup() {
      // Sizes are checked while reading: each file is capped at the bytes its group still lacks.
    },
    async read(p, maxBytes) {
      const url = new URL(p, folder);
      if (url.origin !== folder.origin || !url.pathname.startsWith(folder.pathname)) {
        throw new ModelFormatError(`${where}: weights path "${p}" leaves the model's folder ${folder.href}.`);
      }
      return fetchCapped(url.href, { ...fetchOptions, maxBytes, tooLargeReason: 'it is larger than model.json declares, so the model is corrupted' });
    },
  };
}

/**
 * Loads a LayersModel saved in tfjs' folder format, validating it first: weight paths must stay
 * inside `dir` (symlinks included), declared sizes must match the files and stay under
 * `maxWeightBytes`, and the topology may not allocate more weights than the manifest declares.
 */
export async function loadLayersModelFromDir(
  dir: string,
  options: LoadModelOptions = {},
): Promise<{ model: tfl.LayersModel; info: SavedModelInfo | undefined }> {
  checkKeys('loadLayersModelFromDir', options, LOAD_KEYS);
  return loadFromSource(dirSource(dir), options);
}

/**
 * Loads a LayersModel from the URL of its model.json (http: or https: only), with the checks of
 * {@link loadLayersModelFromDir}: weight files must be plain names in the same folder, downloads are capped.
 */
export async function loadLayersModelFromUrl(
  url: string,
  options: LoadModelFromUrlOptions = {},
): Promise<{ model: tfl.LayersModel; info: SavedModelInfo | undefined }> {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidArgumentError('url', `loadLayersModelFromUrl needs an http: or https: URL of a model.json, got ${JSON.stringify(url)}; use loadLayersModelFromDir for folders.`);
  }
  return loadFromSource(urlSource(parsed, options), options);
}

/** Saves a generator (e.g. `gan.generator` or a trained GanModel's G) so {@link loadGenerator} can sample from it. */
export async function saveGenerator(
  gen: {
    readonly generator?: tfl.LayersModel;
    readonly model?: tfl.LayersModel;
    readonly latentDim: number;
    readonly imageShape: readonly number[];
    readonly numClasses?: number | undefined;
  },
  dir: string,
): Promise<void> {
  const model = gen?.generator ?? gen?.model;
  if (!model) {
    const functional = typeof (gen as { generate?: unknown })?.generate === 'function';
    throw new InvalidArgumentError(
      'gen',
      functional
        ? 'saveGenerator saves LayersModel generators; this model has none (e.g. ganFromFunctions). Save its state with trainer.save(dir) instead.'
        : 'saveGenerator needs a GanModel or a loaded generator; pass e.g. the mlpGan() you trained.',
    );
  }
  await saveLayersModelToDir(model, dir, {
    formatVersion: MODEL_FORMAT_VERSION,
    kind: 'generator',
    latentDim: gen.latentDim,
    imageShape: [...gen.imageShape],
    ...(gen.numClasses === undefined ? {} : { numClasses: gen.numClasses }),
  });
}

function checkVersion(where: string) {
  return (info: SavedModelInfo | undefined) => {
    if (info !== undefined && info.formatVersion !== MODEL_FORMAT_VERSION) {
      throw new ModelFormatError(
        `${where}: it has aigc format version ${String(info.formatVersion)}; this version of @aigc/core reads version ` +
          `${MODEL_FORMAT_VERSION}. Use the @aigc/core version that saved it, or re-save the model.`,
      );
    }
  };
}

function asGenerator(model: tfl.LayersModel): ImageGenerator & { model: tfl.LayersModel } {
  try {
    return generatorFromLayers(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Loads a generator saved by {@link saveGenerator} (or any tfjs LayersModel from z to images) for sampling.
 * A generator with two inputs, `[z, oneHot(labels)]`, loads as a conditional one: `sample(n, { labels })`.
 */
export async function loadGenerator(dir: string, options: LoadModelOptions = {}): Promise<ImageGenerator & { model: tfl.LayersModel }> {
  checkKeys('loadGenerator', options, LOAD_KEYS);
  const source = dirSource(dir);
  const { model } = await loadFromSource(source, options, checkVersion(source.where));
  return asGenerator(model);
}

/**
 * Loads a generator from the URL of its model.json (http: or https: only). Weight files must be
 * plain names in the same folder; every download is capped (default 1 GiB of weights, 16 MiB of JSON).
 */
export async function loadGeneratorFromUrl(
  url: string,
  options: LoadModelFromUrlOptions = {},
): Promise<ImageGenerator & { model: tfl.LayersModel }> {
  checkKeys('loadGeneratorFromUrl', options, { ...LOAD_KEYS, fetch: true, signal: true });
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidArgumentError('url', `loadGeneratorFromUrl needs an http: or https: URL of a model.json, got ${JSON.stringify(url)}; use loadGenerator for folders.`);
  }
  const source = urlSource(parsed, options);
  const { model } = await loadFromSource(source, options, checkVersion(source.where));
  return asGenerator(model);
}
