/**
 * `loadImageFiles`: the browser loader. Decodes with `createImageBitmap` (EXIF orientation applied)
 * and resizes on an `OffscreenCanvas` with high-quality smoothing; cleaning and the report are the
 * ones `loadImageFolder` uses. No Node modules.
 */
import { InvalidArgumentError } from '../../errors.js';
import { collectImages, type ImageCandidate, type ImagePlatform } from './collect.js';
import { srgbToGray } from './gray.js';
import { finishLoad, type LoadedImageDataset } from './loaded.js';
import { resolveImageOptions, type ImageLoadOptions, type ResolvedImageOptions } from './options.js';
import { strictError, type SkippedFile } from './report.js';

/** Files to load: a `FileList` (e.g. from `<input type="file" multiple webkitdirectory>`), or an array of Files or Blobs. */
export type ImageFileInput = FileList | ArrayLike<Blob> | Iterable<Blob>;

interface BlobCandidate extends ImageCandidate {
  readonly blob: Blob;
}

/** Path of a file: its `webkitRelativePath` without the picked folder's name, else its name (which may hold '/'), else `blob-<i>`. */
function pathOf(blob: Blob, i: number): string {
  const file = blob as Partial<File>;
  const rel = file.webkitRelativePath;
  if (typeof rel === 'string' && rel.includes('/')) return rel.slice(rel.indexOf('/') + 1);
  return typeof file.name === 'string' && file.name !== '' ? file.name : `blob-${i}`;
}

function drawRects(o: ResolvedImageOptions, w: number, h: number): [number, number, number, number, number, number, number, number] {
  const s = o.size;
  if (o.fit === 'fill') return [0, 0, w, h, 0, 0, s, s];
  if (o.fit === 'cover') {
    const side = Math.min(w, h);
    return [(w - side) / 2, (h - side) / 2, side, side, 0, 0, s, s];
  }
  const scale = Math.min(s / w, s / h);
  const dw = Math.max(1, Math.round(w * scale));
  const dh = Math.max(1, Math.round(h * scale));
  return [0, 0, w, h, Math.floor((s - dw) / 2), Math.floor((s - dh) / 2), dw, dh];
}

async function decodeInBrowser(blob: Blob, o: ResolvedImageOptions): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'default' });
  try {
    const canvas = new OffscreenCanvas(o.size, o.size);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('no 2d context on OffscreenCanvas');
    const [r, g, b] = o.background;
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(0, 0, o.size, o.size);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, ...drawRects(o, bitmap.width, bitmap.height));
    const rgba = ctx.getImageData(0, 0, o.size, o.size).data;
    const n = o.size * o.size;
    const out = new Uint8Array(n * o.channels);
    for (let p = 0; p < n; p++) {
      if (o.channels === 1) out[p] = srgbToGray(rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!);
      else {
        out[p * 3] = rgba[p * 4]!;
        out[p * 3 + 1] = rgba[p * 4 + 1]!;
        out[p * 3 + 2] = rgba[p * 4 + 2]!;
      }
    }
    return out;
  } finally {
    bitmap.close();
  }
}

/**
 * Loads image Files or Blobs (PNG, JPEG, WebP, first GIF frame) in a browser or worker as
 * `size x size x channels` uint8 images, with the same options, cleaning and report as
 * `loadImageFolder` in Node (there is no cache). With `labels: 'subfolders'` the class is the first
 * folder of each file's `webkitRelativePath` below the picked folder (or of a '/'-separated name).
 */
export async function loadImageFiles(files: ImageFileInput, options: ImageLoadOptions): Promise<LoadedImageDataset> {
  const began = Date.now();
  const o = resolveImageOptions(options, 4);
  if (files === null || typeof files !== 'object') {
    throw new InvalidArgumentError('files', 'pass a FileList or an array of Files or Blobs.');
  }
  const list = Array.from(files as ArrayLike<Blob>);
  if (list.some((f) => typeof (f as Blob)?.arrayBuffer !== 'function')) {
    throw new InvalidArgumentError('files', 'every entry must be a File or Blob.');
  }
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    throw new InvalidArgumentError('files', 'loadImageFiles needs createImageBitmap and OffscreenCanvas (a browser or worker); in Node use loadImageFolder from @aigc/core/node.');
  }
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  let hidden = 0;
  const preSkipped: SkippedFile[] = [];
  const entries: { path: string; blob: Blob }[] = [];
  list.forEach((blob, i) => {
    const path = pathOf(blob, i);
    if (path.split('/').some((part) => part.startsWith('.'))) hidden += 1;
    else entries.push({ path, blob });
  });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let classNames: string[] | undefined;
  const candidates: BlobCandidate[] = [];
  if (o.labels === 'subfolders') {
    classNames = [...new Set(entries.filter((e) => e.path.includes('/')).map((e) => e.path.split('/')[0]!))].sort();
    for (const e of entries) {
      if (!e.path.includes('/')) {
        preSkipped.push({ file: e.path, reason: 'unlabeled', detail: "a file outside any class folder, loaded with labels: 'subfolders'; put it in a class subfolder" });
      } else candidates.push({ name: e.path, blob: e.blob, label: classNames.indexOf(e.path.split('/')[0]!) });
    }
  } else for (const e of entries) candidates.push({ name: e.path, blob: e.blob });
  if (o.strict && preSkipped.length > 0) throw strictError('files', preSkipped[0]!);
  onProgress?.({ phase: 'scan', done: 0, total: candidates.length, loaded: 0, skipped: preSkipped.length });
  const platform: ImagePlatform<BlobCandidate> = {
    async read(c) {
      if (c.blob.size > o.maxFileBytes) return { reason: 'too-large', detail: `${c.blob.size} bytes is above maxFileBytes ${o.maxFileBytes}; not read` };
      try {
        return new Uint8Array(await c.blob.arrayBuffer());
      } catch (cause) {
        return { reason: 'unreadable', detail: (cause as Error).message ?? String(cause) };
      }
    },
    decode: (_bytes, _format, c) => decodeInBrowser(c.blob, o),
  };
  const collected = await collectImages('files', candidates, platform, o, { onProgress, signal, preSkipped: preSkipped.length });
  return finishLoad(collected, o, {
    source: 'files',
    files: candidates.length + preSkipped.length,
    hidden,
    preSkipped,
    classNames,
    cache: 'off',
    began,
  });
}
