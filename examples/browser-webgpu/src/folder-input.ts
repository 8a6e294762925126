/**
 * Getting your pictures onto the page: a folder or file picker (`<input type=file>`, with
 * `webkitdirectory` for folders) and drag and drop of files or whole folders (walked with
 * `DataTransferItem.webkitGetAsEntry`). Every route ends in a list of files with their paths.
 */
import type { PictureFile } from './protocol.js';

/** The most files taken from one drop or pick (the rest are ignored, and the count says so). */
export const MAX_FILES = 20_000;

/** The files of an `<input type=file>`, with their paths inside the chosen folder. */
export function filesOfInput(input: HTMLInputElement): PictureFile[] {
  return [...(input.files ?? [])].slice(0, MAX_FILES).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every entry of a directory (readEntries returns them in batches). */
async function entriesOf(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: PictureFile[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const child of await entriesOf(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/** The files of a drop, folders walked recursively. Call it from the `drop` handler itself (the entries expire after it returns). */
export function filesOfDrop(transfer: DataTransfer): Promise<PictureFile[]> {
  // webkitGetAsEntry must be called synchronously, inside the event handler.
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.() ?? null);
  const loose = [...transfer.files];
  return (async () => {
    const out: PictureFile[] = [];
    const found = entries.filter((e): e is FileSystemEntry => e !== null);
    if (found.length > 0) {
      for (const entry of found) await walk(entry, out);
    } else {
      out.push(...loose.map((file) => ({ file, path: file.name })));
    }
    // One folder dropped: paths inside it, as for a folder chosen with the picker.
    const only = found.length === 1 && found[0]?.isDirectory ? `${found[0].name}/` : '';
    return out.slice(0, MAX_FILES).map((f) => (only && f.path.startsWith(only) ? { ...f, path: f.path.slice(only.length) } : f));
  })();
}

/** Makes `zone` accept drops (highlighted while something is dragged over it) and calls `onFiles` with what was dropped. */
export function acceptDrops(zone: HTMLElement, onFiles: (files: PictureFile[]) => void, onError: (message: string) => void): void {
  const over = (event: DragEvent) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  };
  zone.addEventListener('dragenter', over);
  zone.addEventListener('dragover', over);
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (!event.dataTransfer) return;
    filesOfDrop(event.dataTransfer).then(onFiles, (e: unknown) => onError(`Could not read what was dropped: ${String(e)}`));
  });
}
