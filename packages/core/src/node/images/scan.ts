/** Lists the image candidates of a folder: recursive, name-sorted, hidden entries and links out of the folder skipped. */
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { InvalidDataError } from '../../errors.js';
import type { ImageCandidate } from '../../data/images/collect.js';
import type { SkippedFile } from '../../data/images/report.js';

/** A file found by {@link scanImageFolder}, with the size and mtime it had then. */
export interface FolderCandidate extends ImageCandidate {
  /** Real path of the file (links inside the folder resolved). */
  readonly file: string;
  /** Size in bytes at scan time. */
  readonly size: number;
  /** Modification time (ms) at scan time. */
  readonly mtimeMs: number;
}

/** What {@link scanImageFolder} found. */
export interface FolderScan {
  /** The folder's real path. */
  readonly root: string;
  /** Files to load, sorted by relative path. */
  readonly candidates: FolderCandidate[];
  /** Entries skipped while scanning (links out of the folder, special files, unreadable folders, unlabeled files). */
  readonly skipped: SkippedFile[];
  /** Hidden entries passed over. */
  readonly hidden: number;
  /** Class names (sorted top-level subfolders) for `labels: 'subfolders'`. */
  readonly classNames: string[] | undefined;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Walks `dir` recursively. Names starting with '.' are hidden and passed over; a symlink is followed
 * only when its target stays inside the folder; sockets, FIFOs and devices are skipped. With
 * `labels`, every top-level subfolder is a class and top-level files are skipped as unlabeled.
 */
export async function scanImageFolder(dir: string, labels: boolean): Promise<FolderScan> {
  const shown = path.resolve(dir);
  let root: string;
  try {
    root = await fs.realpath(shown);
  } catch (cause) {
    throw new InvalidDataError(`${shown} does not exist or cannot be read; pass the folder that holds your images.`, { cause });
  }
  if (!(await fs.stat(root)).isDirectory()) {
    throw new InvalidDataError(`${shown} is a file, not a folder; pass the folder that holds your images.`);
  }
  const candidates: FolderCandidate[] = [];
  const skipped: SkippedFile[] = [];
  const visited = new Set<string>([root]);
  let hidden = 0;
  const classIndex = new Map<string, number>();

  const walk = async (real: string, rel: string, label: number | undefined): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(real, { withFileTypes: true });
    } catch (cause) {
      skipped.push({ file: rel || '.', reason: 'unreadable', detail: `cannot list the folder: ${(cause as Error).message}` });
      return;
    }
    entries.sort((a, b) => byName(a.name, b.name));
    const subdirs: { real: string; rel: string; name: string }[] = [];
    const files: { real: string; rel: string }[] = [];
    for (const entry of entries) {
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.name.startsWith('.')) {
        hidden += 1;
        continue;
      }
      let target = path.join(real, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          target = await fs.realpath(target);
          const stat = await fs.stat(target);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch (cause) {
          skipped.push({ file: name, reason: 'unreadable', detail: `a broken link: ${(cause as Error).message}` });
          continue;
        }
        if (!isInside(root, target)) {
          skipped.push({ file: name, reason: 'link-outside', detail: 'a link to a path outside the folder; not followed (copy the file in instead)' });
          continue;
        }
      }
      if (isDir) subdirs.push({ real: target, rel: name, name: entry.name });
      else if (isFile) files.push({ real: target, rel: name });
      else skipped.push({ file: name, reason: 'not-image', detail: 'not a regular file (a socket, FIFO or device)' });
    }
    if (labels && rel === '') {
      for (const f of files) {
        skipped.push({ file: f.rel, reason: 'unlabeled', detail: "a file at the top of a folder loaded with labels: 'subfolders'; move it into a class subfolder" });
      }
      subdirs.forEach((d, i) => classIndex.set(d.name, i));
    } else {
      const stats = await Promise.all(files.map((f) => fs.stat(f.real).then((s) => s, (e: Error) => e)));
      files.forEach((f, i) => {
        const s = stats[i]!;
        if (s instanceof Error) skipped.push({ file: f.rel, reason: 'unreadable', detail: s.message });
        else candidates.push({ name: f.rel, file: f.real, size: s.size, mtimeMs: s.mtimeMs, ...(label === undefined ? {} : { label }) });
      });
    }
    for (const d of subdirs) {
      if (visited.has(d.real)) continue; // a link back to a folder already walked
      visited.add(d.real);
      await walk(d.real, d.rel, labels && rel === '' ? classIndex.get(d.name) : label);
    }
  };
  await walk(root, '', undefined);
  candidates.sort((a, b) => byName(a.name, b.name));
  return { root, candidates, skipped, hidden, classNames: labels ? [...classIndex.keys()] : undefined };
}
