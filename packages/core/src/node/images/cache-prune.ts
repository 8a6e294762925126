/**
 * Bounded image cache: after a new entry is written, the entries of older states of the same folder
 * and options are deleted, then the least recently used entries (by mtime, refreshed on every hit)
 * until the folder's cache entries fit in the size cap. Files that are not cache entries are never touched.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IMAGE_CACHE_ENTRY } from './cache.js';

/** Default cap on the total size of the cache entries in a cache folder (`cacheMaxBytes`): 2 GiB. */
export const DEFAULT_IMAGE_CACHE_MAX_BYTES = 2 * 1024 ** 3;

interface Entry {
  readonly name: string;
  readonly source: string | undefined;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Marks a cache entry as just used (its mtime and atime become now), for least-recently-used eviction; a read-only cache is left as it is. */
export async function touchImageCache(file: string): Promise<void> {
  const now = new Date();
  await fs.utimes(file, now, now).catch(() => {});
}

async function statEntry(dir: string, name: string): Promise<Entry | undefined> {
  const match = IMAGE_CACHE_ENTRY.exec(name);
  if (match === null) return undefined;
  try {
    const s = await fs.lstat(path.join(dir, name));
    return s.isFile() ? { name, source: match[1], size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined; // removed meanwhile (another process pruning)
  }
}

/**
 * Prunes the cache folder of `kept` (the entry just written, never deleted): first every other entry
 * of the same source (folder and options), then the oldest entries until all entries total at most
 * `maxBytes` (the kept one alone may exceed it). A file that cannot be deleted (e.g. open elsewhere on
 * Windows) is skipped; on POSIX a reader that has it open keeps reading it. Resolves to the deleted names.
 */
export async function pruneImageCache(kept: string, maxBytes: number): Promise<string[]> {
  const dir = path.dirname(kept);
  const keptName = path.basename(kept);
  const keptEntry = await statEntry(dir, keptName);
  if (keptEntry === undefined) return [];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const others = (await Promise.all(names.filter((n) => n !== keptName).map((n) => statEntry(dir, n)))).filter((e): e is Entry => e !== undefined);
  const removed: string[] = [];
  const remove = async (e: Entry): Promise<boolean> => {
    try {
      await fs.rm(path.join(dir, e.name));
      removed.push(e.name);
      return true;
    } catch {
      return false;
    }
  };
  const rest: Entry[] = [];
  for (const e of others) {
    if (keptEntry.source === undefined || e.source !== keptEntry.source || !(await remove(e))) rest.push(e);
  }
  rest.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
  let total = keptEntry.size + rest.reduce((sum, e) => sum + e.size, 0);
  for (const e of rest) {
    if (total <= maxBytes) break;
    if (await remove(e)) total -= e.size;
  }
  return removed;
}
