/**
 * Serves the Chromium parity page on 127.0.0.1 (a secure context, as WebGPU requires): the
 * bundled `browser-entry.ts` and tfjs-backend-wasm's binaries under /wasm/.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../..');

/** Bundles the page script from sources (aliases as in vitest), for the browser. */
export async function bundlePage(entry = join(here, 'browser-entry.ts')): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    alias: { '@aigc/core': join(root, 'packages/core/src/index.ts') },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle for the parity page.');
  return file.text;
}

const HTML = '<!doctype html><meta charset="utf-8"><title>aigc parity</title><script type="module" src="/page.js"></script>';

/** A running page server; `close()` stops it. */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the server on a free port of 127.0.0.1, serving the bundle of `entry` (default: the parity page). */
export async function startPageServer(entry?: string): Promise<PageServer> {
  const script = await bundlePage(entry);
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send('text/html', HTML);
    if (path === '/page.js') return send('text/javascript', script);
    const wasm = /^\/wasm\/(tfjs-backend-wasm[\w-]*\.wasm)$/.exec(path);
    if (wasm?.[1]) {
      readFile(join(wasmDir, wasm[1])).then(
        (bytes) => send('application/wasm', bytes),
        () => (res.writeHead(404), res.end()),
      );
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
