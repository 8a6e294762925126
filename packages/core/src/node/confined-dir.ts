import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../errors.js';

const NO_FOLLOW = fsConstants.O_NOFOLLOW ?? 0;

/** True when `child` is `parent` or inside it. */
function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Reads files of one folder (a saved model or checkpoint) and never opens anything outside it. */
export interface ConfinedDir {
  /** Real path of `name` inside the folder; a ModelFormatError `missing` if absent, or if it (or a folder on the way) links outside. */
  resolve(name: string, missing: string): Promise<string>;
  /** Size of the regular file `name` in bytes, without reading it. */
  size(name: string, missing: string): Promise<number>;
  /** Reads the regular file `name` after checking it holds at most `maxBytes`; `tooLarge(size)` explains a larger one. */
  read(name: string, missing: string, maxBytes: number, tooLarge: (size: number) => string): Promise<Uint8Array>;
}

/**
 * A reader confined to `dir`: every path is resolved through symlinks and must stay inside the
 * folder's real path, files are opened without following a final symlink, and sizes are checked
 * before any byte is read. Every failure is a ModelFormatError starting with `where`.
 */
export function confinedDir(dir: string, where: string, missingDir: string): ConfinedDir {
  let realDir: string | undefined;
  const resolve = async (name: string, missing: string): Promise<string> => {
    realDir ??= await fs.realpath(dir).catch(() => {
      throw new ModelFormatError(`${where}: ${missingDir}`);
    });
    let real: string;
    try {
      real = await fs.realpath(path.join(realDir, name));
    } catch {
      throw new ModelFormatError(`${where}: ${missing}`);
    }
    if (!isInside(realDir, real)) throw new ModelFormatError(`${where}: "${name}" is a link to a file outside the folder; copy the file in instead.`);
    return real;
  };
  return {
    resolve,
    async size(name, missing) {
      const stat = await fs.stat(await resolve(name, missing));
      if (!stat.isFile()) throw new ModelFormatError(`${where}: "${name}" is not a regular file.`);
      return stat.size;
    },
    async read(name, missing, maxBytes, tooLarge) {
      const file = await resolve(name, missing);
      const handle = await fs.open(file, fsConstants.O_RDONLY | NO_FOLLOW).catch((cause: unknown) => {
        throw new ModelFormatError(`${where}: cannot open "${name}" (${(cause as Error).message}); it must be a regular file in the folder.`, { cause });
      });
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) throw new ModelFormatError(`${where}: "${name}" is not a regular file.`);
        if (stat.size > maxBytes) throw new ModelFormatError(`${where}: ${tooLarge(stat.size)}`);
        const out = new Uint8Array(stat.size);
        const { bytesRead } = await handle.read(out, 0, stat.size, 0);
        if (bytesRead !== stat.size) throw new ModelFormatError(`${where}: "${name}" changed while loading; load again.`);
        return out;
      } finally {
        await handle.close();
      }
    },
  };
}
