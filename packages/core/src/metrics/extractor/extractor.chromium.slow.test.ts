/**
 * The shipped extractor in a browser: headless Debian Chromium (playwright-core, no download)
 * loads it with one call on cpu, wasm, webgl and webgpu and must match Node's cpu features.
 * Skipped, with the reason printed, where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../backends/registry.js';
import { fashionSplits } from '../fashion-data.test-utils.js';
import { loadFeatureExtractor } from './default.js';

const CHROMIUM = process.env.AIGC_CHROMIUM ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium, or set AIGC_CHROMIUM)`;
if (missing) console.warn(`[extractor] skipping the Chromium check: ${missing}`);

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const ENTRY = `
import { cpuBackend, wasmBackend, useBackend, loadFeatureExtractor, tf } from '@aigc/core';
import { webglBackend, webgpuBackend } from '@aigc/backend-webgpu';
const adapters = {
  cpu: () => cpuBackend(),
  wasm: () => wasmBackend({ wasmPaths: new URL('/wasm/', location.href).href }),
  webgl: () => webglBackend(),
  webgpu: () => webgpuBackend(),
};
globalThis.runExtractor = async (name, pixels, count) => {
  await useBackend(adapters[name]());
  const ex = loadFeatureExtractor();
  const x = tf.tensor4d(pixels, [count, 28, 28, 1]);
  const { features, logits } = ex.predict(x);
  const out = { backend: tf.getBackend(), features: Array.from(await features.data()) };
  tf.dispose([x, features, logits]);
  ex.dispose();
  return out;
};
globalThis.extractorPageReady = true;
`;

async function startServer(): Promise<{ url: string; server: Server }> {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    alias: {
      '@aigc/core': join(root, 'packages/core/src/index.ts'),
      '@aigc/backend-webgpu': join(root, 'packages/backend-webgpu/src/index.ts'),
    },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const script = bundle.outputFiles[0]!.text;
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    if (path === '/') return send('text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
    if (path === '/page.js') return send('text/javascript', script);
    const wasm = /^\/wasm\/(tfjs-backend-wasm[\w-]*\.wasm)$/.exec(path);
    if (wasm?.[1]) {
      readFile(join(wasmDir, wasm[1])).then((b) => send('application/wasm', b), () => (res.writeHead(404), res.end()));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server };
}

describe.skipIf(missing !== undefined)('shipped extractor in headless Chromium', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let run: (backend: string) => Promise<{ backend: string; features: number[] }>;
  let pixels: number[];
  let reference: Float32Array;
  const count = 8;

  beforeAll(async () => {
    const { test } = await fashionSplits();
    pixels = Array.from(test.images.subarray(0, count * 784));
    await useBackend('cpu');
    const ex = loadFeatureExtractor();
    reference = ex.extract(test, count).features.data;
    ex.dispose();
    const started = await startServer();
    server = started.server;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--no-sandbox'],
    });
    const page = await browser.newPage();
    await page.goto(started.url);
    await page.waitForFunction(() => (globalThis as { extractorPageReady?: boolean }).extractorPageReady === true, undefined, {
      timeout: 60_000,
    });
    run = (backend) =>
      page.evaluate(
        ([b, p, c]) =>
          (globalThis as unknown as { runExtractor(b: string, p: number[], c: number): Promise<{ backend: string; features: number[] }> }).runExtractor(b, p, c),
        [backend, pixels, count] as const,
      );
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it.each(['cpu', 'wasm', 'webgl', 'webgpu'])('%s gives the features Node cpu gives', async (backend) => {
    const out = await run(backend);
    expect(out.backend).toBe(backend);
    let maxDiff = 0;
    out.features.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - reference[i]!))));
    console.log(`[extractor] Chromium ${backend}: max |feature - Node cpu feature| = ${maxDiff.toExponential(2)}`);
    // webgl/webgpu compute in float32 with different summation orders (and webgl may pack to float16 textures).
    expect(maxDiff).toBeLessThan(backend === 'webgl' ? 0.05 * (1 + Math.max(...reference)) : 1e-3 * (1 + Math.max(...reference)));
  });
});
