/**
 * The preprocessed-image cache: one file per (folder, file list, sizes, mtimes, options) key holding
 * the uint8 pixels, labels and report, checksummed, written atomically. A bad file reads as a miss.
 * Files are named `<source>-<key>.aigcimg`, where `<source>` hashes only the folder and the options,
 * so that the entries of older states of a folder can be found and pruned (cache-prune.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResolvedImageOptions } from '../../data/images/options.js';
import type { ImageLoadReport } from '../../data/images/report.js';
import { writeFileAtomic } from '../atomic.js';
import type { FolderScan } from './scan.js';

const MAGIC = 'AIGCIMG1';
const VERSION = 1;

/** Default cache folder: `.aigc-cache/images` under the current working directory. */
export function defaultImageCacheDir(): string {
  return path.resolve('.aigc-cache', 'images');
}

/** The options that shape the stored pixels: all but `strict` and `concurrency`, which change only how a load runs. */
function shapingOptions(o: ResolvedImageOptions): Omit<ResolvedImageOptions, 'strict' | 'concurrency'> {
  const { strict: _strict, concurrency: _concurrency, ...shaping } = o;
  return shaping;
}

/** The source key: 16 hex digits of SHA-256 of the folder and the options that shape the pixels (not its files), shared by every state of a folder. */
export function imageCacheSourceKey(scan: FolderScan, o: ResolvedImageOptions): string {
  return createHash('sha256').update(JSON.stringify({ root: scan.root, options: shapingOptions(o) })).digest('hex').slice(0, 16);
}

/** The cache key: SHA-256 of the folder, every candidate's name, size and mtime, the scan's skips, and the options that shape the pixels. */
export function imageCacheKey(scan: FolderScan, o: ResolvedImageOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ v: VERSION, root: scan.root, options: shapingOptions(o), classes: scan.classNames ?? null, hidden: scan.hidden }));
  for (const c of scan.candidates) hash.update(`\n${c.name}\0${c.size}\0${c.mtimeMs}\0${c.label ?? ''}`);
  for (const s of scan.skipped) hash.update(`\n!${s.file}\0${s.reason}`);
  return hash.digest('hex');
}

/** What a cache file stores. */
export interface CachedImages {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array | undefined;
  readonly classNames: readonly string[] | undefined;
  readonly report: Omit<ImageLoadReport, 'cache' | 'seconds'>;
}

interface CacheHeader {
  readonly version: number;
  readonly key: string;
  readonly payloadBytes: number;
  readonly sha256: string;
  readonly labels: number[] | null;
  readonly classNames: string[] | null;
  readonly report: Omit<ImageLoadReport, 'cache' | 'seconds'>;
}

/** Path of the cache file of `key` (of the folder and options `source`) in `dir`. */
export function imageCacheFile(dir: string, source: string, key: string): string {
  return path.join(dir, `${source}-${key}.aigcimg`);
}

/**
 * The name pattern of cache files: `<source>-<key>.aigcimg`, or `<key>.aigcimg` as written before
 * source keys (group 1 is then undefined). Any other file in the folder is not a cache entry.
 */
export const IMAGE_CACHE_ENTRY = /^(?:([0-9a-f]{16})-)?[0-9a-f]{64}\.aigcimg$/;

/** Reads the cache file of `key`: `'missing'` when absent, `'bad'` when unreadable, truncated, of another key or failing its checksum. */
export async function readImageCache(file: string, key: string): Promise<CachedImages | 'missing' | 'bad'> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'bad';
  }
  try {
    if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) return 'bad';
    const headerLength = bytes.readUInt32LE(8);
    if (12 + headerLength > bytes.length) return 'bad';
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as CacheHeader;
    const payload = new Uint8Array(bytes.buffer, bytes.byteOffset + 12 + headerLength, bytes.length - 12 - headerLength);
    const [h, w, c] = header.report?.imageShape ?? [0, 0, 0];
    if (
      header.version !== VERSION ||
      header.key !== key ||
      header.payloadBytes !== payload.length ||
      payload.length !== header.report.loaded * h * w * c ||
      (header.labels !== null && header.labels.length !== header.report.loaded) ||
      createHash('sha256').update(payload).digest('hex') !== header.sha256
    ) {
      return 'bad';
    }
    return {
      pixels: payload,
      labels: header.labels === null ? undefined : Int32Array.from(header.labels),
      classNames: header.classNames ?? undefined,
      report: header.report,
    };
  } catch {
    return 'bad';
  }
}

/** Writes the cache file atomically (a temporary file renamed into place), so a crash or abort never leaves half a file. */
export async function writeImageCache(file: string, key: string, images: CachedImages): Promise<void> {
  const header: CacheHeader = {
    version: VERSION,
    key,
    payloadBytes: images.pixels.length,
    sha256: createHash('sha256').update(images.pixels).digest('hex'),
    labels: images.labels === undefined ? null : Array.from(images.labels),
    classNames: images.classNames === undefined ? null : [...images.classNames],
    report: images.report,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  await writeFileAtomic(file, [prefix, json, images.pixels]);
}
