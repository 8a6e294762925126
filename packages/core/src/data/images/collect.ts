/**
 * The cleaning pipeline both image loaders share: reads each candidate through the platform,
 * rejects empty, non-image, corrupt, oversized, undersized, duplicate and near-constant files with
 * a reason, decodes the rest to `size x size x channels` bytes, and keeps them in name order.
 */
import { readImageHeader, type ImageFormat } from './header.js';
import { contentHash } from './hash.js';
import type { ResolvedImageOptions, ImageLoadProgress } from './options.js';
import { strictError, type DuplicateFile, type SkippedFile, type SkipReason } from './report.js';

/** One file to load. */
export interface ImageCandidate {
  /** Name shown in the report (a path relative to the folder, or a File name). */
  readonly name: string;
  /** Class index, for labeled loads. */
  readonly label?: number;
}

/** What a platform provides to {@link collectImages}. */
export interface ImagePlatform<C extends ImageCandidate> {
  /** The file's bytes, or a skip (e.g. too large to read). May throw for fatal problems (the folder changed). */
  read(candidate: C): Promise<Uint8Array | Omit<SkippedFile, 'file'>>;
  /** Decodes, orients, composites and resizes to `size * size * channels` bytes; throws on undecodable data. */
  decode(bytes: Uint8Array, format: ImageFormat, candidate: C): Promise<Uint8Array>;
}

/** Result of {@link collectImages}. */
export interface CollectedImages {
  /** Kept pixels `[loaded, size, size, channels]`, row-major bytes (a view of a larger buffer). */
  readonly pixels: Uint8Array;
  /** Labels of the kept images, when candidates carry labels. */
  readonly labels: Int32Array | undefined;
  /** Names of the kept images, in order. */
  readonly loadedFiles: string[];
  /** Skipped files, in name order. */
  readonly skipped: SkippedFile[];
  /** Exact duplicates. */
  readonly duplicates: DuplicateFile[];
}

/** Standard deviation of bytes. */
export function pixelStd(pixels: Uint8Array): number {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    sum += v;
    sq += v * v;
  }
  const mean = sum / pixels.length;
  return Math.sqrt(Math.max(0, sq / pixels.length - mean * mean));
}

type Outcome = { readonly kept: true } | Omit<SkippedFile, 'file'> & { readonly duplicateOf?: number };

/**
 * Runs every candidate through the cleaning steps with `options.concurrency` files at once,
 * honouring `strict`, `signal` (rejects with its reason) and `onProgress`. Of files with equal
 * bytes the first in `candidates` order is kept.
 */
export async function collectImages<C extends ImageCandidate>(
  source: string,
  candidates: readonly C[],
  platform: ImagePlatform<C>,
  options: ResolvedImageOptions,
  hooks: { onProgress?: ((p: ImageLoadProgress) => void) | undefined; signal?: AbortSignal | undefined; preSkipped?: number },
): Promise<CollectedImages> {
  const per = options.size * options.size * options.channels;
  const slots = new Uint8Array(candidates.length * per);
  const outcomes: (Outcome | undefined)[] = new Array(candidates.length);
  const byHash = new Map<string, number>();
  const preSkipped = hooks.preSkipped ?? 0;
  let done = 0;
  let kept = 0;
  let skippedCount = preSkipped;
  let next = 0;
  let failed = false;

  const skip = (i: number, reason: SkipReason, detail: string, duplicateOf?: number): void => {
    if (outcomes[i] !== undefined && 'kept' in outcomes[i]!) kept -= 1;
    outcomes[i] = duplicateOf === undefined ? { reason, detail } : { reason, detail, duplicateOf };
    skippedCount += 1;
    if (options.strict) throw strictError(source, { file: candidates[i]!.name, reason, detail });
  };

  const handle = async (i: number): Promise<void> => {
    const candidate = candidates[i]!;
    const read = await platform.read(candidate);
    if (!(read instanceof Uint8Array)) return skip(i, read.reason, read.detail);
    if (read.length === 0) return skip(i, 'empty', 'the file has zero bytes');
    const header = readImageHeader(read);
    if (header.kind === 'not-image') return skip(i, 'not-image', 'not a PNG, JPEG, WebP or GIF file');
    if (header.kind === 'corrupt') return skip(i, 'corrupt', `broken ${header.format} header: ${header.detail}`);
    const { width, height } = header;
    if (width * height > options.maxPixels) {
      return skip(i, 'too-large', `${width}x${height} declares ${width * height} pixels, above maxPixels ${options.maxPixels}; not decoded`);
    }
    if (width < options.minSize || height < options.minSize) {
      return skip(i, 'too-small', `${width}x${height} is below minSize ${options.minSize}`);
    }
    if (options.dedupe) {
      const hash = await contentHash(read);
      const first = byHash.get(hash);
      if (first !== undefined && first < i) return skip(i, 'duplicate', `same bytes as ${candidates[first]!.name}`, first);
      byHash.set(hash, i);
      const earlier = first === undefined ? undefined : outcomes[first];
      if (first !== undefined && (earlier === undefined || 'kept' in earlier)) skip(first, 'duplicate', `same bytes as ${candidate.name}`, i);
    }
    let pixels: Uint8Array;
    try {
      pixels = await platform.decode(read, header.format, candidate);
    } catch (cause) {
      if (outcomes[i] !== undefined) return;
      return skip(i, 'corrupt', `cannot decode this ${header.format}: ${(cause as Error).message ?? String(cause)}`);
    }
    if (outcomes[i] !== undefined) return; // became a duplicate of an earlier file meanwhile
    if (pixels.length !== per) return skip(i, 'corrupt', `decoded to ${pixels.length} values, expected ${per}`);
    if (options.minPixelStd > 0) {
      const std = pixelStd(pixels);
      if (std < options.minPixelStd) {
        return skip(i, 'near-constant', `pixel standard deviation ${std.toFixed(2)} is below minPixelStd ${options.minPixelStd}`);
      }
    }
    slots.set(pixels, i * per);
    outcomes[i] = { kept: true };
    kept += 1;
  };

  const worker = async (): Promise<void> => {
    while (!failed && next < candidates.length) {
      hooks.signal?.throwIfAborted();
      const i = next++;
      try {
        await handle(i);
      } catch (error) {
        failed = true;
        throw error;
      }
      if (failed) return;
      hooks.signal?.throwIfAborted();
      done += 1;
      hooks.onProgress?.({ phase: 'decode', done, total: candidates.length, loaded: kept, skipped: skippedCount, file: candidates[i]!.name });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, candidates.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const loadedFiles: string[] = [];
  const skipped: SkippedFile[] = [];
  const duplicates: DuplicateFile[] = [];
  const hasLabels = candidates.some((c) => c.label !== undefined);
  const labels: number[] = [];
  let k = 0;
  candidates.forEach((c, i) => {
    const outcome = outcomes[i]!;
    if ('kept' in outcome) {
      if (k !== i) slots.copyWithin(k * per, i * per, (i + 1) * per);
      k += 1;
      loadedFiles.push(c.name);
      if (hasLabels) labels.push(c.label ?? -1);
      return;
    }
    skipped.push({ file: c.name, reason: outcome.reason, detail: outcome.detail });
    if (outcome.duplicateOf !== undefined) duplicates.push({ file: c.name, duplicateOf: candidates[outcome.duplicateOf]!.name });
  });
  return {
    pixels: slots.subarray(0, k * per),
    labels: hasLabels ? Int32Array.from(labels) : undefined,
    loadedFiles,
    skipped,
    duplicates,
  };
}
