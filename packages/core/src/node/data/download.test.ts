import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { fakeImagesIdx, fakeLabelsIdx, gzip } from '../../data/idx.test-utils.js';
import { DEFAULT_MNIST_BASE_URL, MNIST_FILES, defaultMnistCacheDir, downloadMnist } from './download.js';
import type { DownloadProgress } from './download.js';
import { loadIdxDirectory } from './idx-directory.js';

interface Route {
  status?: number;
  body: Uint8Array;
  /** Send without Content-Length (chunked), so only the streaming cap can stop it. */
  chunked?: boolean;
}

const routes = new Map<string, Route>();
const requests: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const route = routes.get(path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.chunked) {
      res.writeHead(route.status ?? 200, { 'content-type': 'application/octet-stream' });
      const step = 4096;
      for (let i = 0; i < route.body.length; i += step) res.write(route.body.subarray(i, i + step));
      res.end();
      return;
    }
    res.writeHead(route.status ?? 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(route.body.length),
    });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const temps: string[] = [];
function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aigc-dl-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  routes.clear();
  requests.length = 0;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function serveMnist(prefix: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte.gz': gzip(fakeImagesIdx(6, 4, 4)),
    'train-labels-idx1-ubyte.gz': gzip(fakeLabelsIdx(6)),
    't10k-images-idx3-ubyte.gz': gzip(fakeImagesIdx(3, 4, 4)),
    't10k-labels-idx1-ubyte.gz': gzip(fakeLabelsIdx(3)),
  };
  for (const [name, body] of Object.entries(files)) routes.set(`${prefix}${name}`, { body });
  return files;
}

describe('downloadMnist', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_MNIST_BASE_URL).toBe('https://storage.googleapis.com/cvdf-datasets/mnist/');
    expect(MNIST_FILES).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ]);
    expect(defaultMnistCacheDir()).toBe(join(homedir(), '.cache', 'aigc', 'mnist'));
  });

  it('downloads, validates and caches the four files; a second call makes no request', async () => {
    const files = serveMnist('/mnist/');
    const dir = join(cacheDir(), 'nested', 'cache');
    const progress: DownloadProgress[] = [];
    const result = await downloadMnist({
      baseUrl: `${base}/mnist`,
      cacheDir: dir,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toBe(dir);
    expect(requests.sort()).toEqual(
      Object.keys(files)
        .map((f) => `/mnist/${f}`)
        .sort()
    );
    for (const [name, body] of Object.entries(files)) {
      expect(new Uint8Array(readFileSync(join(dir, name)))).toEqual(body);
    }
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort());
    expect(progress.filter((p) => p.phase === 'done').map((p) => p.file)).toEqual([...MNIST_FILES]);
    const done = progress.find((p) => p.phase === 'done' && p.file === 'train-images-idx3-ubyte.gz')!;
    expect(done.receivedBytes).toBe(files['train-images-idx3-ubyte.gz']!.length);

    requests.length = 0;
    progress.length = 0;
    expect(await downloadMnist({ baseUrl: `${base}/mnist/`, cacheDir: dir, onProgress: (p) => progress.push(p) })).toBe(
      dir
    );
    expect(requests).toEqual([]);
    expect(progress.map((p) => p.phase)).toEqual(['cached', 'cached', 'cached', 'cached']);

    const ds = await loadIdxDirectory(dir);
    expect(ds.size).toBe(6);
    expect(ds.imageShape).toEqual([4, 4, 1]);
  });

  it('re-downloads a cached file that is corrupt', async () => {
    const files = serveMnist('/m/');
    const dir = cacheDir();
    await downloadMnist({ baseUrl: `${base}/m/`, cacheDir: dir });
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), 'garbage');
    requests.length = 0;
    await downloadMnist({ baseUrl: `${base}/m/`, cacheDir: dir });
    expect(requests).toEqual(['/m/t10k-labels-idx1-ubyte.gz']);
    expect(new Uint8Array(readFileSync(join(dir, 't10k-labels-idx1-ubyte.gz')))).toEqual(
      files['t10k-labels-idx1-ubyte.gz']
    );
  });

  it('turns a 404 into a DownloadError naming the URL and status', async () => {
    const dir = cacheDir();
    const error = await rejection(downloadMnist({ baseUrl: `${base}/missing/`, cacheDir: dir }));
    expect(DownloadError.isInstance(error)).toBe(true);
    const url = `${base}/missing/train-images-idx3-ubyte.gz`;
    expect((error as DownloadError).url).toBe(url);
    expect(error.message).toContain(url);
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('--data DIR');
    expect(error.message).toContain('baseUrl');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('enforces maxBytes on a body with Content-Length and leaves no file', async () => {
    const dir = cacheDir();
    const body = new Uint8Array(50_000);
    for (let i = 0, x = 1; i < body.length; i++) body[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    routes.set('/big/a.gz', { body });
    const error = await rejection(
      downloadMnist({ baseUrl: `${base}/big/`, cacheDir: dir, files: ['a.gz'], maxBytes: 1000 })
    );
    expect(DownloadError.isInstance(error)).toBe(true);
    expect(error.message).toContain('1000-byte limit (Content-Length 50000)');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('enforces maxBytes while streaming a chunked body and leaves no file', async () => {
    const dir = cacheDir();
    const body = new Uint8Array(200_000).fill(7);
    routes.set('/stream/a.gz', { body, chunked: true });
    const progress: DownloadProgress[] = [];
    const error = await rejection(
      downloadMnist({
        baseUrl: `${base}/stream/`,
        cacheDir: dir,
        files: ['a.gz'],
        maxBytes: 10_000,
        onProgress: (p) => progress.push(p),
      })
    );
    expect(DownloadError.isInstance(error)).toBe(true);
    expect(error.message).toContain('more than 10000 bytes received');
    expect(progress.every((p) => p.receivedBytes <= 10_000)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'a.gz'))).toBe(false);
  });

  it('rejects a corrupt payload with InvalidDataError and leaves no file', async () => {
    const dir = cacheDir();
    const good = gzip(fakeImagesIdx(2, 4, 4));
    const truncated = good.subarray(0, good.length - 12);
    routes.set('/bad/trunc.gz', { body: truncated });
    routes.set('/bad/html.gz', { body: new TextEncoder().encode('<html>moved</html>') });
    for (const file of ['trunc.gz', 'html.gz']) {
      const error = await rejection(downloadMnist({ baseUrl: `${base}/bad/`, cacheDir: dir, files: [file] }));
      expect(InvalidDataError.isInstance(error)).toBe(true);
      expect(error.message).toContain(`${base}/bad/${file}`);
      expect(error.message).toContain('baseUrl');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses ftp: and other non-http URLs without fetching', async () => {
    let calls = 0;
    const fetchSpy = (async () => {
      calls++;
      throw new Error('should not be called');
    }) as unknown as typeof fetch;
    const dir = cacheDir();
    for (const baseUrl of ['ftp://127.0.0.1/mnist/', 'file:///etc/', 'not a url']) {
      const error = await rejection(downloadMnist({ baseUrl, cacheDir: dir, fetch: fetchSpy }));
      expect(DownloadError.isInstance(error)).toBe(true);
      expect((error as DownloadError).url).toBe(baseUrl);
    }
    const ftp = await rejection(downloadMnist({ baseUrl: 'ftp://127.0.0.1/mnist/', cacheDir: dir, fetch: fetchSpy }));
    expect(ftp.message).toContain('only http: and https:');
    expect(calls).toBe(0);
  });

  it('uses an injected fetch and wraps network failures', async () => {
    const dir = cacheDir();
    const body = gzip(fakeLabelsIdx(4));
    const seen: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response(body, { status: 200 });
    }) as typeof fetch;
    await downloadMnist({ baseUrl: 'https://example.invalid/data/', cacheDir: dir, files: ['l.gz'], fetch: fakeFetch });
    expect(seen).toEqual(['https://example.invalid/data/l.gz']);
    expect(new Uint8Array(readFileSync(join(dir, 'l.gz')))).toEqual(body);

    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const error = await rejection(
      downloadMnist({ baseUrl: 'https://example.invalid/', cacheDir: dir, files: ['x.gz'], fetch: failing })
    );
    expect(DownloadError.isInstance(error)).toBe(true);
    expect(error.message).toContain('fetch failed');
    expect(readdirSync(dir)).toEqual(['l.gz']);
  });

  it('rejects file names that could escape the cache folder', async () => {
    for (const files of [['../evil.gz'], ['a/b.gz'], ['.hidden'], []]) {
      await expect(downloadMnist({ baseUrl: `${base}/`, cacheDir: cacheDir(), files })).rejects.toSatisfy(
        InvalidArgumentError.isInstance
      );
    }
    expect(requests).toEqual([]);
  });
});
