/**
 * The shipped extractor in a browser: headless Debian Chromium (playwright-core, no download)
 * loads it with one call on cpu, wasm, webgl and webgpu and must match Node's cpu features.
 * Skipped, with the reason printed, where Chromium is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumUnavailableReason, openChromiumPage, WEBGPU_CHROMIUM_ARGS, type ChromiumPage } from '../../../../../test/chromium-page.js';
import { useBackend } from '../../backends/registry.js';
import { fashionSplits } from '../fashion-data.test-utils.js';
import { loadFeatureExtractor } from './default.js';

const missing = chromiumUnavailableReason();
if (missing) console.warn(`[extractor] skipping the Chromium check: ${missing}`);

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

describe.skipIf(missing !== undefined)('shipped extractor in headless Chromium', () => {
  let chromium: ChromiumPage;
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
    // The entry imports only package names, so its resolve folder is this one.
    chromium = await openChromiumPage({
      entry: { contents: ENTRY, resolveDir: import.meta.dirname },
      serveWasm: true,
      readyGlobal: 'extractorPageReady',
      args: WEBGPU_CHROMIUM_ARGS,
    });
    run = (backend) =>
      chromium.page.evaluate(
        ([b, p, c]) =>
          (globalThis as unknown as { runExtractor(b: string, p: number[], c: number): Promise<{ backend: string; features: number[] }> }).runExtractor(b, p, c),
        [backend, pixels, count] as const,
      );
  });

  afterAll(async () => {
    await chromium?.close();
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
