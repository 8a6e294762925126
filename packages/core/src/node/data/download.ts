/** Node-only: downloading and caching the MNIST IDX files. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseIdx } from '../../data/idx.js';
import { DownloadError, InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { fetchCapped } from '../../io/fetch-capped.js';
import { checkKeys } from '../../options.js';

/** Default mirror of the MNIST files (Google's CVDF copy). */
export const DEFAULT_MNIST_BASE_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/';

/** The four standard gzip-compressed MNIST file names. */
export const MNIST_FILES: readonly string[] = Object.freeze([
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
]);

/** Default cap on one downloaded file: 64 MiB. */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 64 * 1024 * 1024;

/** Default cache folder, `~/.cache/aigc/mnist`. */
export function defaultMnistCacheDir(): string {
  return join(homedir(), '.cache', 'aigc', 'mnist');
}

/** Progress of {@link downloadMnist}, reported per file and per received chunk. */
export interface DownloadProgress {
  /** File name, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** Full URL of the file. */
  url: string;
  /** `cached`: valid file already present; `downloading`: bytes arriving; `done`: validated and written. */
  phase: 'cached' | 'downloading' | 'done';
  /** Bytes received so far (0 for cached files). */
  receivedBytes: number;
  /** From Content-Length, when the server sent it. */
  totalBytes: number | undefined;
}

/** Options of {@link downloadMnist}. */
export interface DownloadMnistOptions {
  /** Base URL, http: or https: only (default {@link DEFAULT_MNIST_BASE_URL}). */
  baseUrl?: string;
  /** Cache folder, created if needed (default `~/.cache/aigc/mnist`). */
  cacheDir?: string;
  /** Plain file names to fetch relative to `baseUrl` (default {@link MNIST_FILES}). */
  files?: readonly string[];
  /** The fetch implementation (default `globalThis.fetch`); inject one for tests or proxies. */
  fetch?: typeof fetch;
  /** Largest accepted download per file, enforced while streaming (default 64 MiB). */
  maxBytes?: number;
  /** Called as files are found in the cache, stream in, and complete. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborts the downloads. */
  signal?: AbortSignal;
}

const ADVICE = 'pass --data DIR with local MNIST-format files, or another baseUrl';

function checkFileName(file: unknown): string {
  if (typeof file !== 'string' || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(file)) {
    throw new InvalidArgumentError(
      'files',
      `files must be plain file names such as 'train-images-idx3-ubyte.gz', got ${JSON.stringify(file)}.`
    );
  }
  return file;
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new DownloadError(baseUrl, `${JSON.stringify(baseUrl)} is not a valid URL; ${ADVICE}.`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadError(
      baseUrl,
      `refusing to download from ${baseUrl}: only http: and https: URLs are supported, not ${url.protocol}; ${ADVICE}.`
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

async function isCachedValid(path: string, file: string): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return false;
  }
  try {
    parseIdx(bytes, { name: file });
    return true;
  } catch (error) {
    if (InvalidDataError.isInstance(error)) return false;
    throw error;
  }
}

function fetchFile(
  url: string,
  file: string,
  fetchImpl: typeof fetch,
  maxBytes: number,
  signal: AbortSignal | undefined,
  onProgress: ((progress: DownloadProgress) => void) | undefined
): Promise<Uint8Array> {
  return fetchCapped(url, {
    fetch: fetchImpl,
    maxBytes,
    advice: ADVICE,
    tooLargeReason: 'it is not a standard MNIST file',
    ...(signal === undefined ? {} : { signal }),
    onChunk: (receivedBytes, totalBytes) => onProgress?.({ file, url, phase: 'downloading', receivedBytes, totalBytes }),
  });
}

async function writeAtomic(dir: string, file: string, bytes: Uint8Array, url: string): Promise<void> {
  const target = join(dir, file);
  const temp = join(dir, `.${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(
      url,
      `could not save ${target}: ${reason}; check that cacheDir is writable or pass another cacheDir.`,
      {
        cause: error,
      }
    );
  }
}

/**
 * Downloads the MNIST files into `cacheDir` (default `~/.cache/aigc/mnist`) and returns that folder.
 * Files already cached and valid are skipped; each download is size-capped while streaming, validated
 * as IDX, and written atomically, so a failure never leaves a partial file.
 */
export async function downloadMnist(options: DownloadMnistOptions = {}): Promise<string> {
  checkKeys('downloadMnist', options, { baseUrl: true, cacheDir: true, files: true, fetch: true, maxBytes: true, onProgress: true, signal: true });
  const base = parseBaseUrl(options.baseUrl ?? DEFAULT_MNIST_BASE_URL);
  const files = (options.files ?? MNIST_FILES).map(checkFileName);
  if (files.length === 0) throw new InvalidArgumentError('files', 'files must name at least one file to download.');
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw new InvalidArgumentError('maxBytes', `maxBytes must be a positive number of bytes, got ${String(maxBytes)}.`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') {
    throw new InvalidArgumentError('fetch', 'no fetch implementation is available; pass options.fetch.');
  }
  const dir = resolve(options.cacheDir ?? defaultMnistCacheDir());
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(base.href, `could not create the cache folder ${dir}: ${reason}; pass another cacheDir.`, {
      cause: error,
    });
  }
  const { onProgress, signal } = options;
  for (const file of files) {
    const url = new URL(file, base).href;
    const target = join(dir, file);
    if (await isCachedValid(target, file)) {
      onProgress?.({ file, url, phase: 'cached', receivedBytes: 0, totalBytes: undefined });
      continue;
    }
    const bytes = await fetchFile(url, file, fetchImpl, maxBytes, signal, onProgress);
    try {
      parseIdx(bytes, { name: url });
    } catch (error) {
      if (!InvalidDataError.isInstance(error)) throw error;
      throw new InvalidDataError(
        `downloaded file is not valid MNIST data: ${error.message} Use another baseUrl, or ${ADVICE}.`,
        {
          cause: error,
        }
      );
    }
    await writeAtomic(dir, file, bytes, url);
    onProgress?.({ file, url, phase: 'done', receivedBytes: bytes.byteLength, totalBytes: bytes.byteLength });
  }
  return dir;
}
