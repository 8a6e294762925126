/**
 * Your pictures -> a training set, in the worker (it has OffscreenCanvas), with `loadImageFiles`
 * of `@aigc/core`: the decoding, resizing and cleaning of `loadImageFolder` in Node (not an image,
 * corrupt, too small, near-constant, byte-identical duplicates are left out), and its report
 * turned into the summary the page shows.
 */
import { ImageDataset, SKIP_REASONS, loadImageFiles, type ImageLoadReport } from '@aigc/core';
import type { CleaningSummary, PictureFile } from './protocol.js';

/** Options of {@link decodePictures}. */
export interface DecodeOptions {
  /** Output height and width in pixels. */
  readonly size: number;
  /** 3 (colour) or 1 (gray). */
  readonly channels: 1 | 3;
  /** Called after each file with the number done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The decoded set: 8-bit pixels (kept for IndexedDB) and what cleaning did. */
export interface DecodedPictures {
  /** `count * size * size * channels` bytes, row-major. */
  readonly pixels: Uint8Array;
  /** `[size, size, channels]`. */
  readonly imageShape: readonly [number, number, number];
  /** What was kept and what was dropped, and why. */
  readonly summary: CleaningSummary;
}

const LISTED = 5;

/** A File whose name is its path in the folder, which is how `loadImageFiles` reads paths of dropped files. */
function named({ file, path }: PictureFile): File {
  if (file.webkitRelativePath !== '' || path === file.name) return file;
  return new File([file], path, { type: file.type, lastModified: file.lastModified });
}

/** The page's summary of a load report. */
export function summarize(report: ImageLoadReport): CleaningSummary {
  return {
    found: report.files,
    used: report.loaded,
    dropped: SKIP_REASONS.filter((reason) => report.counts[reason] > 0).map((reason) => ({
      reason,
      count: report.counts[reason],
      examples: report.skipped.filter((s) => s.reason === reason).slice(0, LISTED).map((s) => s.file),
    })),
    imageShape: report.imageShape,
    seconds: report.seconds,
  };
}

/** Decodes, cleans and resizes `files` (see the module comment); a load that keeps nothing throws an InvalidDataError saying why. */
export async function decodePictures(files: readonly PictureFile[], options: DecodeOptions): Promise<DecodedPictures> {
  const dataset = await loadImageFiles(files.map(named), {
    size: options.size,
    channels: options.channels,
    onProgress: (p) => {
      if (p.phase === 'decode') options.onProgress?.(p.done, p.total);
    },
  });
  const pixels = dataset.pixels;
  if (pixels === undefined) throw new Error('loadImageFiles returned float pixels; the page keeps bytes.');
  return { pixels, imageShape: dataset.imageShape, summary: summarize(dataset.report) };
}

/** The dataset of decoded pixels (kept as bytes, converted per batch). */
export function datasetOf(pixels: Uint8Array, imageShape: readonly [number, number, number]): ImageDataset {
  return ImageDataset.fromUint8({ pixels, imageShape });
}
