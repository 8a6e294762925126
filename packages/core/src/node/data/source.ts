/** Node-only: choosing which folder of MNIST-format files to train on. */
import { resolve } from 'node:path';
import { InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { findIdxSplit, requireIdxSplit } from './idx-directory.js';

/** Default system folder of Fashion-MNIST (the Debian `dataset-fashion-mnist` package). */
export const DEFAULT_SYSTEM_DATA_DIR = '/usr/share/datasets/fashion-mnist';

/** Options of {@link resolveDataSource}. */
export interface ResolveDataSourceOptions {
  /** A user-given folder (`--data DIR`); when set it must be valid, there is no fallback. */
  data?: string;
  /** System Fashion-MNIST folder, used when it holds the train files (default `/usr/share/datasets/fashion-mnist`). */
  systemDir?: string;
  /** Folder of the dataset shipped with the package, the last resort. */
  embeddedDir: string;
}

/** The folder chosen by {@link resolveDataSource}. */
export interface DataSource {
  /** Absolute folder path. */
  dir: string;
  /** Where it came from. */
  kind: 'user' | 'system' | 'embedded';
  /** One line for logs, e.g. `system Fashion-MNIST at /usr/share/datasets/fashion-mnist (train split)`. */
  description: string;
}

/**
 * Picks the data folder: `data` (`--data DIR`) if given, else the system Fashion-MNIST folder when it
 * holds the train files, else `embeddedDir`. A bad user folder is an InvalidDataError, never a fallback.
 */
export function resolveDataSource(options: ResolveDataSourceOptions): DataSource {
  const { data, embeddedDir } = options;
  const systemDir = options.systemDir ?? DEFAULT_SYSTEM_DATA_DIR;
  if (data !== undefined) {
    if (typeof data !== 'string' || data.trim().length === 0) {
      throw new InvalidArgumentError('data', `--data must be a folder path, got ${JSON.stringify(data)}.`);
    }
    const dir = resolve(data);
    const files = requireIdxSplit(dir, undefined, 'data folder (--data)');
    return { dir, kind: 'user', description: `user data folder ${dir} (${files.split} split)` };
  }
  const system = resolve(systemDir);
  if (findIdxSplit(system, 'train') !== undefined) {
    return { dir: system, kind: 'system', description: `system Fashion-MNIST at ${system} (train split)` };
  }
  if (typeof embeddedDir !== 'string' || embeddedDir.length === 0) {
    throw new InvalidArgumentError('embeddedDir', 'embeddedDir must be the folder of the embedded dataset.');
  }
  const embedded = resolve(embeddedDir);
  const files = requireIdxSplit(embedded, undefined, 'embedded dataset folder');
  return {
    dir: embedded,
    kind: 'embedded',
    description: `embedded Fashion-MNIST sample at ${embedded} (${files.split} split; pass --data DIR for more data)`,
  };
}
