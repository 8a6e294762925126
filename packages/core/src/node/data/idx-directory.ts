/** Node-only: loading MNIST-format datasets from a folder of IDX files. */
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ImageDataset } from '../../data/dataset.js';
import { InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { checkKeys } from '../../options.js';

/** The two standard MNIST splits. */
export type IdxSplit = 'train' | 't10k';

/** Paths of one split's image and label files. */
export interface IdxSplitFiles {
  /** The split found. */
  split: IdxSplit;
  /** Path of the images file. */
  images: string;
  /** Path of the labels file. */
  labels: string;
}

/** Options of {@link loadIdxDirectory}. */
export interface LoadIdxDirectoryOptions {
  /** Which split to load (default: `'train'` if its files are present, else `'t10k'`). */
  split?: IdxSplit;
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /** Per-file payload cap passed to the IDX parser (default 2^31 bytes). */
  maxBytes?: number;
}

const SPLITS: readonly IdxSplit[] = ['train', 't10k'];

function candidates(split: IdxSplit, kind: 'images-idx3' | 'labels-idx1'): string[] {
  const base = `${split}-${kind}-ubyte`;
  return [base, `${base}.gz`];
}

/** The file names looked for, e.g. `train-images-idx3-ubyte[.gz]`, for messages. */
function expectedNames(split: IdxSplit): string {
  return `${split}-images-idx3-ubyte[.gz] and ${split}-labels-idx1-ubyte[.gz]`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds `{split}-images-idx3-ubyte[.gz]` and `{split}-labels-idx1-ubyte[.gz]` in `dir` (raw preferred), or undefined. */
export function findIdxSplit(dir: string, split: IdxSplit): IdxSplitFiles | undefined {
  const pick = (names: string[]): string | undefined => names.map((n) => join(dir, n)).find(isFile);
  const images = pick(candidates(split, 'images-idx3'));
  const labels = pick(candidates(split, 'labels-idx1'));
  return images !== undefined && labels !== undefined ? { split, images, labels } : undefined;
}

/** Throws InvalidDataError unless `dir` exists and is a folder; `what` names it in the message. */
export function assertDirectory(dir: string, what: string): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new InvalidDataError(
      `${what} ${dir} ${reason}; pass a folder holding ${expectedNames('train')} (or the t10k files).`,
      { cause: error }
    );
  }
  if (!stat.isDirectory()) {
    throw new InvalidDataError(
      `${what} ${dir} is not a folder; pass the folder that holds ${expectedNames('train')}, not a file.`
    );
  }
}

function listing(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return '(could not list the folder)';
  }
  if (names.length === 0) return 'the folder is empty';
  const shown = names.slice(0, 20).join(', ');
  return `found: ${shown}${names.length > 20 ? `, ... (${names.length} entries)` : ''}`;
}

/**
 * Locates a split's files in `dir`, or throws InvalidDataError listing what was looked for and
 * what was found. Without `split`, prefers train and falls back to t10k.
 */
export function requireIdxSplit(dir: string, split: IdxSplit | undefined, what = 'data folder'): IdxSplitFiles {
  assertDirectory(dir, what);
  const wanted = split === undefined ? SPLITS : [split];
  for (const s of wanted) {
    const found = findIdxSplit(dir, s);
    if (found !== undefined) return found;
  }
  throw new InvalidDataError(
    `${what} ${dir} has no MNIST-format files: looked for ${wanted.map(expectedNames).join(', or ')}; ` +
      `${listing(dir)}. Pass a folder with these files (gzip or raw).`
  );
}

/**
 * Loads an MNIST-format split (`{split}-images-idx3-ubyte[.gz]` and `{split}-labels-idx1-ubyte[.gz]`)
 * from `dir`. Default split: train if present, else t10k. Missing folder or files is an InvalidDataError.
 */
export async function loadIdxDirectory(dir: string, options: LoadIdxDirectoryOptions = {}): Promise<ImageDataset> {
  checkKeys('loadIdxDirectory', options, { split: true, limit: true, maxBytes: true });
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new InvalidArgumentError('dir', `dir must be a non-empty folder path, got ${JSON.stringify(dir)}.`);
  }
  if (options.split !== undefined && !SPLITS.includes(options.split)) {
    throw new InvalidArgumentError('split', `split must be 'train' or 't10k', got ${JSON.stringify(options.split)}.`);
  }
  const files = requireIdxSplit(resolve(dir), options.split);
  const [imagesBytes, labelsBytes] = await Promise.all([readFile(files.images), readFile(files.labels)]);
  return ImageDataset.fromIdx(imagesBytes, labelsBytes, {
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    imagesName: files.images,
    labelsName: files.labels,
  });
}
