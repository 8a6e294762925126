import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically: the bytes go to a temporary file in the same folder, are flushed,
 * and the temporary file is renamed over the target, so readers see the old or the new file, never half of one.
 * `data` may be a list of byte arrays, written one after the other (no concatenated copy is made).
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const part of data) await handle.writeFile(part);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/** Flushes a folder's entries (the renames in it) to disk where the platform allows. */
export async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on every platform (e.g. Windows); the rename is still atomic.
  } finally {
    await handle?.close().catch(() => {});
  }
}
