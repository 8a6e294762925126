import { DownloadError } from '../errors.js';

/** Options of {@link fetchCapped}. */
export interface FetchCappedOptions {
  /** Largest accepted body in bytes, enforced from Content-Length and while streaming. */
  readonly maxBytes: number;
  /** What to tell the user to do when the download fails, e.g. `'pass --data DIR ...'`. */
  readonly advice: string;
  /** Why a body over the cap is suspicious, e.g. `'it is not a standard MNIST file'`. */
  readonly tooLargeReason: string;
  /** The fetch implementation. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
  /** Called after each received chunk with the bytes so far and the Content-Length, if any. */
  readonly onChunk?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Downloads `url` (http: or https: only, also after redirects) into memory, refusing bodies over
 * `maxBytes` before and while streaming, so a hostile server cannot exhaust memory. Failures are DownloadErrors.
 */
export async function fetchCapped(url: string, options: FetchCappedOptions): Promise<Uint8Array> {
  const { maxBytes, advice, signal } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const httpOnly = (u: string) => {
    const protocol = URL.canParse(u) ? new URL(u).protocol : '';
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new DownloadError(url, `refusing to download ${u}: only http: and https: URLs are supported; ${advice}.`);
    }
  };
  httpOnly(url);
  let response: Response;
  try {
    response = await fetchImpl(url, signal === undefined ? { redirect: 'follow' } : { redirect: 'follow', signal });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(url, `could not download ${url}: ${reason}; check the network, or ${advice}.`, { cause: error });
  }
  const cancel = () => response.body?.cancel().catch(() => undefined);
  if (response.url) {
    try {
      httpOnly(response.url);
    } catch (error) {
      await cancel();
      throw error;
    }
  }
  if (!response.ok) {
    await cancel();
    throw new DownloadError(
      url,
      `downloading ${url} failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}; ${advice}.`,
    );
  }
  const tooLarge = (size: string): DownloadError =>
    new DownloadError(
      url,
      `${url} is larger than the ${maxBytes}-byte limit (${size}); ${options.tooLargeReason}. Raise maxBytes if it is genuine, or ${advice}.`,
    );
  const lengthHeader = response.headers.get('content-length');
  const declared = lengthHeader === null ? undefined : Number(lengthHeader);
  const totalBytes = declared !== undefined && Number.isFinite(declared) && declared >= 0 ? declared : undefined;
  if (totalBytes !== undefined && totalBytes > maxBytes) {
    await cancel();
    throw tooLarge(`Content-Length ${totalBytes}`);
  }
  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge(`${bytes.byteLength} bytes`);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(`more than ${maxBytes} bytes received`);
      }
      chunks.push(value);
      options.onChunk?.(received, totalBytes);
    }
  } catch (error) {
    if (DownloadError.isInstance(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(url, `download of ${url} broke off after ${received} bytes: ${reason}; retry, or ${advice}.`, {
      cause: error,
    });
  }
  return concat(chunks, received);
}
