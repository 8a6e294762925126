import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { fakeImagesIdx, fakeLabelsIdx, gzip } from '../../data/idx.test-utils.js';
import { findIdxSplit, loadIdxDirectory } from './idx-directory.js';

const EMBEDDED = fileURLToPath(new URL('../../../../../examples/data/fashion-mnist/', import.meta.url));

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aigc-idx-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadIdxDirectory', () => {
  it('loads the embedded Fashion-MNIST t10k split', async () => {
    const ds = await loadIdxDirectory(EMBEDDED);
    expect(ds.size).toBe(10000);
    expect(ds.imageShape).toEqual([28, 28, 1]);
    expect(ds.images.length).toBe(10000 * 784);
    expect(ds.numClasses).toBe(10);
    const counts = new Array<number>(10).fill(0);
    for (const label of ds.labels!) {
      expect(label).toBeGreaterThanOrEqual(0);
      expect(label).toBeLessThan(10);
      counts[label]! += 1;
    }
    // Fashion-MNIST's test split is balanced: 1000 images per class.
    expect(counts).toEqual(new Array<number>(10).fill(1000));
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(-1);
    expect(max).toBe(1);
    // First test image of Fashion-MNIST is an ankle boot (class 9).
    expect(ds.labels![0]).toBe(9);
    const h = ds.pixelHistogram(10);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('honours limit and an explicit split', async () => {
    const ds = await loadIdxDirectory(EMBEDDED, { split: 't10k', limit: 100 });
    expect(ds.size).toBe(100);
    expect(ds.labels!.length).toBe(100);
  });

  it('prefers train over t10k and reads raw or gzip files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzip(fakeImagesIdx(3, 2, 2)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzip(fakeLabelsIdx(3)));
    expect((await loadIdxDirectory(dir)).size).toBe(3);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), fakeImagesIdx(5, 2, 2));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), fakeLabelsIdx(5));
    expect((await loadIdxDirectory(dir)).size).toBe(5);
    expect((await loadIdxDirectory(dir, { split: 't10k' })).size).toBe(3);
    expect(findIdxSplit(dir, 'train')?.images).toBe(join(dir, 'train-images-idx3-ubyte'));
  });

  it('reports a missing folder', async () => {
    const missing = join(tempDir(), 'nope');
    const error = await rejection(loadIdxDirectory(missing));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain(missing);
    expect(error.message).toContain('does not exist');
  });

  it('reports a path that is a file', async () => {
    const file = join(tempDir(), 'file.txt');
    writeFileSync(file, 'x');
    const error = await rejection(loadIdxDirectory(file));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('is not a folder');
  });

  it('lists what was looked for and what was found', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzip(fakeImagesIdx(1, 2, 2)));
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const error = await rejection(loadIdxDirectory(dir));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain('train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]');
    expect(error.message).toContain('t10k-images-idx3-ubyte[.gz]');
    expect(error.message).toContain('found: notes.txt, train-images-idx3-ubyte.gz');
    const explicit = await rejection(loadIdxDirectory(EMBEDDED, { split: 'train' }));
    expect(explicit.message).toContain('looked for train-images-idx3-ubyte[.gz]');
    expect(explicit.message).not.toContain('or t10k');
    const empty = await rejection(loadIdxDirectory(tempDir()));
    expect(empty.message).toContain('the folder is empty');
  });

  it('reports corrupt files with their path, and bad arguments', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), new Uint8Array([1, 2, 3, 4, 5]));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), fakeLabelsIdx(1));
    const error = await rejection(loadIdxDirectory(dir));
    expect(InvalidDataError.isInstance(error)).toBe(true);
    expect(error.message).toContain(join(dir, 'train-images-idx3-ubyte'));
    expect(error.message).toContain('not an IDX file');
    await expect(loadIdxDirectory('')).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(loadIdxDirectory(dir, { split: 'test' as never })).rejects.toSatisfy(InvalidArgumentError.isInstance);
  });
});
