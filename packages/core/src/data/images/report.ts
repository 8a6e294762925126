/** The report of an image load: what was kept, what was skipped and why. */
import { InvalidDataError } from '../../errors.js';

/** Why a file was not loaded. */
export type SkipReason =
  | 'empty'
  | 'not-image'
  | 'corrupt'
  | 'too-large'
  | 'too-small'
  | 'duplicate'
  | 'near-constant'
  | 'unreadable'
  | 'link-outside'
  | 'unlabeled';

/** Every {@link SkipReason}, in report order. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'empty',
  'not-image',
  'corrupt',
  'too-large',
  'too-small',
  'duplicate',
  'near-constant',
  'unreadable',
  'link-outside',
  'unlabeled',
];

/** One skipped file. */
export interface SkippedFile {
  /** Path relative to the folder (or the File's name). */
  readonly file: string;
  /** Why it was skipped. */
  readonly reason: SkipReason;
  /** Human-readable detail, e.g. `'12x9 is below minSize 16'`. */
  readonly detail: string;
}

/** One exact duplicate: `file` has the same bytes as the kept `duplicateOf`. */
export interface DuplicateFile {
  /** The skipped copy. */
  readonly file: string;
  /** The first file (in name order) with the same bytes, which was kept. */
  readonly duplicateOf: string;
}

/** One class of a labeled load. */
export interface ClassCount {
  /** Subfolder name. */
  readonly name: string;
  /** Images loaded into it. */
  readonly count: number;
}

/** What a load did: see `docs/data.md`. */
export interface ImageLoadReport {
  /** The folder, or `'files'` for the browser loader. */
  readonly source: string;
  /** Candidate files (not hidden). */
  readonly files: number;
  /** Images kept. */
  readonly loaded: number;
  /** Path of every kept image, index = image index in the dataset. */
  readonly loadedFiles: readonly string[];
  /** Every skipped file with its reason, in name order. */
  readonly skipped: readonly SkippedFile[];
  /** Number of skipped files per reason (every reason present, 0 when none). */
  readonly counts: Readonly<Record<SkipReason, number>>;
  /** Exact duplicates (also listed in `skipped`). */
  readonly duplicates: readonly DuplicateFile[];
  /** Classes in label order, with their image counts; absent for unlabeled loads. */
  readonly classes?: readonly ClassCount[];
  /** Hidden files and folders (names starting with '.') passed over, not listed. */
  readonly hidden: number;
  /** `'hit'`: read from the cache; `'miss'`: decoded and cached; `'rebuilt'`: a bad cache file was replaced; `'off'`: no cache. */
  readonly cache: 'hit' | 'miss' | 'rebuilt' | 'off';
  /** Shape of one image `[size, size, channels]`. */
  readonly imageShape: readonly [number, number, number];
  /** Bytes of pixel memory held (uint8: one per value). */
  readonly bytes: number;
  /** Wall time of the load, seconds. */
  readonly seconds: number;
}

/** Counts of `skipped` per reason, every reason present. */
export function countReasons(skipped: readonly SkippedFile[]): Record<SkipReason, number> {
  const counts = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
  for (const s of skipped) counts[s.reason] += 1;
  return counts;
}

/** `'3 corrupt, 1 empty'`: the non-zero counts. */
export function describeCounts(counts: Readonly<Record<SkipReason, number>>): string {
  return SKIP_REASONS.filter((r) => counts[r] > 0)
    .map((r) => `${counts[r]} ${r}`)
    .join(', ');
}

/** The InvalidDataError thrown under `strict: true` for the first file that would be skipped. */
export function strictError(source: string, skip: SkippedFile): InvalidDataError {
  return new InvalidDataError(
    `${source}: ${skip.file} would be skipped (${skip.reason}: ${skip.detail}); strict mode stops here. ` +
      'Fix or remove the file, or load without strict: true to skip it and list it in the report.'
  );
}

/** The InvalidDataError thrown when no image survived, with the per-reason counts. */
export function nothingLoadedError(source: string, files: number, skipped: readonly SkippedFile[]): InvalidDataError {
  const first = skipped.slice(0, 3).map((s) => `${s.file} (${s.reason}: ${s.detail})`).join('; ');
  return new InvalidDataError(
    `${source}: all ${files} files were skipped (${describeCounts(countReasons(skipped))}); e.g. ${first}. ` +
      'Check that the folder holds PNG, JPEG, WebP or GIF images, and relax minSize / minPixelStd if they caused it.'
  );
}
