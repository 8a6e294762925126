import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import { loadImageFolder, type ImageFolderOptions } from './load-image-folder.js';
import { checker, put } from './images.test-utils.js';

let base: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  base = await mkdtemp(join(tmpdir(), 'aigc-cache-prune-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

let made = 0;
/** A folder of `n` distinct 4x4 PNGs (same count, so every folder's cache entry has about the same size). */
async function imageFolder(n = 3): Promise<string> {
  const d = await mkdtemp(join(base, `img${made++}-`));
  for (let i = 0; i < n; i++) await put(d, `i${i}.png`, checker([i * 40, 10, 0], [0, 200, 255 - i]));
  return d;
}
const load = (dir: string, cache: string, options: Partial<ImageFolderOptions> = {}) => loadImageFolder(dir, { size: 4, minPixelStd: 0, cache, ...options });
const entries = async (cache: string) => (await readdir(cache)).filter((f) => f.endsWith('.aigcimg') && !f.startsWith('zz')).sort();
/** The one cache entry written since `before`. */
async function newEntry(cache: string, before: readonly string[]): Promise<string> {
  const added = (await entries(cache)).filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return added[0]!;
}
const ageing = (cache: string, name: string, iso: string) => utimes(join(cache, name), new Date(iso), new Date(iso));

describe('loadImageFolder: cache pruning', () => {
  it('deletes the entry of the previous state of a changed folder, keeps other options and the new entry', async () => {
    const d = await imageFolder();
    const cache = join(base, 'stale');
    expect((await load(d, cache)).report.cache).toBe('miss');
    const old = await entries(cache);
    expect(old).toHaveLength(1);
    expect((await load(d, cache, { channels: 1 })).report.cache).toBe('miss');
    const gray = await newEntry(cache, old);
    await put(d, 'new.png', checker([1, 2, 3], [200, 100, 50]));
    const changed = await load(d, cache);
    expect(changed.report.cache).toBe('miss');
    expect(changed.report.loaded).toBe(4);
    const now = await entries(cache);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(old[0]);
    expect(now).toContain(gray);
    expect((await load(d, cache)).report.cache).toBe('hit');
  });

  it('evicts the least recently used entries above cacheMaxBytes; a hit refreshes recency; foreign files are untouched and not counted', async () => {
    const cache = join(base, 'cap');
    await mkdir(join(cache, 'sub'), { recursive: true });
    const foreign = ['notes.txt', '.x.aigcimg.0123456789ab.tmp', 'zz.aigcimg', 'sub'];
    await put(cache, 'notes.txt', new Uint8Array(1 << 20)); // far above the cap below, not a cache entry
    await put(cache, '.x.aigcimg.0123456789ab.tmp', 'half-written by someone else');
    await put(cache, 'zz.aigcimg', 'a name that is no cache key');
    const [a, b, c, e] = [await imageFolder(), await imageFolder(), await imageFolder(), await imageFolder()];
    const unbounded = { cacheMaxBytes: Infinity };
    await load(a, cache, unbounded);
    const entryA = await newEntry(cache, []);
    await load(b, cache, unbounded);
    const entryB = await newEntry(cache, [entryA]);
    const size = (await stat(join(cache, entryA))).size;
    expect(Math.abs((await stat(join(cache, entryB))).size - size)).toBeLessThan(size / 10);
    await ageing(cache, entryA, '2025-01-01T00:00:00Z');
    await ageing(cache, entryB, '2025-06-01T00:00:00Z');
    // Room for two entries: writing C evicts the oldest (A) and keeps B.
    const cap = Math.round(2.5 * size);
    await load(c, cache, { cacheMaxBytes: cap });
    const entryC = await newEntry(cache, [entryA, entryB]);
    expect(await entries(cache)).toEqual([entryB, entryC].sort());
    // B is older than C; a hit on B makes it the most recent, so writing E evicts C instead.
    await ageing(cache, entryB, '2025-06-01T00:00:00Z');
    await ageing(cache, entryC, '2025-07-01T00:00:00Z');
    expect((await load(b, cache, { cacheMaxBytes: cap })).report.cache).toBe('hit');
    expect((await stat(join(cache, entryB))).mtimeMs).toBeGreaterThan(new Date('2026-01-01T00:00:00Z').getTime());
    await load(e, cache, { cacheMaxBytes: cap });
    const entryE = await newEntry(cache, [entryB, entryC]);
    expect(await entries(cache)).toEqual([entryB, entryE].sort());
    for (const f of foreign) expect((await readdir(cache)).includes(f), f).toBe(true);
    expect((await stat(join(cache, 'notes.txt'))).size).toBe(1 << 20);
  });

  it('keeps the entry just written even when it alone is above the cap, and it is a hit next time', async () => {
    const cache = join(base, 'tiny');
    const [a, b] = [await imageFolder(), await imageFolder(2)];
    await load(a, cache, { cacheMaxBytes: 1 });
    const entryA = await newEntry(cache, []);
    expect((await load(b, cache, { cacheMaxBytes: 1 })).report.cache).toBe('miss');
    const entryB = await newEntry(cache, [entryA]);
    expect(await entries(cache)).toEqual([entryB]);
    const again = await load(b, cache, { cacheMaxBytes: 1 });
    expect(again.report.cache).toBe('hit');
    expect(again.report.loaded).toBe(2);
  });
});
