/** Test data: Fashion-MNIST from the system folder, or the embedded t10k copy when the system one is missing. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImageDataset } from '../data/dataset.js';
import { loadIdxDirectory } from '../node/data/idx-directory.js';
import { DEFAULT_SYSTEM_DATA_DIR } from '../node/data/source.js';
import { findIdxSplit } from '../node/data/idx-directory.js';

const EMBEDDED = fileURLToPath(new URL('../../../../examples/data/fashion-mnist', import.meta.url));

/**
 * `train`: training images (system train split; else the first half of t10k); `test`: t10k images
 * disjoint from `train` (all of t10k; else its second half).
 */
export async function fashionSplits(): Promise<{ train: ImageDataset; test: ImageDataset; source: string }> {
  if (existsSync(DEFAULT_SYSTEM_DATA_DIR) && findIdxSplit(DEFAULT_SYSTEM_DATA_DIR, 'train') !== undefined) {
    const train = await loadIdxDirectory(DEFAULT_SYSTEM_DATA_DIR, { split: 'train' });
    const test = await loadIdxDirectory(DEFAULT_SYSTEM_DATA_DIR, { split: 't10k' });
    return { train, test, source: DEFAULT_SYSTEM_DATA_DIR };
  }
  const all = await loadIdxDirectory(EMBEDDED, { split: 't10k' });
  const [train, test] = all.split(0.5);
  console.log(`Fashion-MNIST train split not found at ${DEFAULT_SYSTEM_DATA_DIR}; using halves of the embedded t10k.`);
  return { train, test, source: EMBEDDED };
}

/** Images `(1 - alpha) x + alpha u` with `u` uniform noise in [-1, 1] from a fixed-seed LCG. */
export function blendWithNoise(images: Float32Array, alpha: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (1 - alpha) * images[i]! + alpha * (s / 2 ** 31 - 1);
  }
  return out;
}
