/** {@link LoadedImageDataset}: the dataset the image loaders return, with its load report. */
import { ImageDataset } from '../dataset.js';
import { InvalidDataError } from '../../errors.js';
import type { ImageShape } from '../../models/types.js';
import type { CollectedImages } from './collect.js';
import type { ResolvedImageOptions } from './options.js';
import { countReasons, nothingLoadedError, type ImageLoadReport, type SkippedFile } from './report.js';

/** A uint8 {@link ImageDataset} made by `loadImageFolder` or {@link loadImageFiles}, with the {@link ImageLoadReport} of its load. */
export class LoadedImageDataset extends ImageDataset {
  /** What was loaded and skipped, and why. */
  readonly report: ImageLoadReport;

  /** Prefer the loaders; `pixels` must hold `[n, h, w, c]` bytes and `labels` valid class indices. */
  constructor(pixels: Uint8Array, imageShape: ImageShape, labels: Int32Array | undefined, classNames: readonly string[] | undefined, report: ImageLoadReport) {
    super(pixels, imageShape, labels, labels === undefined ? undefined : (classNames?.length ?? 0), labels === undefined ? undefined : classNames);
    this.report = report;
  }
}

/** What a loader knows besides the collected images. */
export interface LoadSummary {
  readonly source: string;
  readonly files: number;
  readonly hidden: number;
  readonly preSkipped: readonly SkippedFile[];
  readonly classNames: readonly string[] | undefined;
  readonly cache: ImageLoadReport['cache'];
  readonly began: number;
}

/** Builds the dataset and its report; throws an InvalidDataError with per-reason counts when nothing was kept. */
export function finishLoad(collected: CollectedImages, options: ResolvedImageOptions, summary: LoadSummary): LoadedImageDataset {
  const skipped = [...summary.preSkipped, ...collected.skipped].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files = summary.files;
  if (files === 0) {
    throw new InvalidDataError(
      `${summary.source} holds no files to load${summary.hidden > 0 ? ` (${summary.hidden} hidden entries were passed over)` : ''}; ` +
        'put PNG, JPEG, WebP or GIF images in it (subfolders are searched).'
    );
  }
  const loaded = collected.loadedFiles.length;
  if (loaded === 0) throw nothingLoadedError(summary.source, files, skipped);
  const imageShape: ImageShape = [options.size, options.size, options.channels];
  const classNames = summary.classNames;
  let classes: ImageLoadReport['classes'];
  if (classNames !== undefined) {
    const counts = new Array<number>(classNames.length).fill(0);
    for (const l of collected.labels ?? []) counts[l]! += 1;
    classes = classNames.map((name, i) => ({ name, count: counts[i]! }));
  }
  const report: ImageLoadReport = {
    source: summary.source,
    files,
    loaded,
    loadedFiles: collected.loadedFiles,
    skipped,
    counts: countReasons(skipped),
    duplicates: collected.duplicates,
    ...(classes === undefined ? {} : { classes }),
    hidden: summary.hidden,
    cache: summary.cache,
    imageShape,
    bytes: collected.pixels.byteLength,
    seconds: (Date.now() - summary.began) / 1000,
  };
  return new LoadedImageDataset(collected.pixels, imageShape, classNames === undefined ? undefined : collected.labels, classNames, report);
}
