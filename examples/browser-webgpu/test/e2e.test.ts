/**
 * End to end: builds the page, serves it on 127.0.0.1, trains ~50 steps in headless Chromium on
 * WebGPU (SwiftShader when there is no GPU) and checks what a person would see. Saves a
 * screenshot to out/e2e.png. Needs Chromium (see browser.ts); in CI its absence is a failure.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@aigc/core';
import { loadGenerator } from '@aigc/core/node';
import '@tensorflow/tfjs-backend-cpu';
import { browserMissingReason, launchChromium } from './browser.js';
import { serveStatic, type StaticServer } from './serve.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(exampleDir, 'out');
const missing = browserMissingReason();
if (missing !== undefined && !process.env.CI) console.warn(`Skipping the browser end-to-end test: ${missing}`);
const suite = missing !== undefined && !process.env.CI ? describe.skip : describe;

/** Steps to train; the batch is small because SwiftShader runs WebGPU on the CPU. */
const STEPS = 50;
const BATCH = 8;

interface CanvasStats {
  readonly step: number;
  readonly mean: number;
  readonly std: number;
  readonly pixels: number[];
}

/** Grayscale pixels of a canvas, with their mean and spread (a blank canvas has spread 0). */
function canvasStats(page: Page, selector: string): Promise<CanvasStats> {
  return page.$eval(selector, (el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const pixels: number[] = [];
    for (let i = 0; i < data.length; i += 4) pixels.push(data[i] as number);
    const mean = pixels.reduce((a, b) => a + b, 0) / pixels.length;
    const std = Math.sqrt(pixels.reduce((a, b) => a + (b - mean) ** 2, 0) / pixels.length);
    return { step: Number(canvas.dataset.step ?? -1), mean, std, pixels };
  });
}

function stepOf(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.body.dataset.step ?? 0));
}

suite('browser example, end to end', () => {
  let dist: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'aigc-browser-e2e-'));
    await build({
      root: exampleDir,
      configFile: join(exampleDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: dist, emptyOutDir: true },
    });
    server = await serveStatic(dist);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}?batch=${BATCH}`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it('samples the shipped pre-trained generator at once', async () => {
    await page.waitForFunction(() => document.body.dataset.explorer === 'ready', null, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const image = await canvasStats(page, '#explore-image');
    expect(image.pixels.length).toBe(28 * 28);
    expect(image.std).toBeGreaterThan(10);
    const strip = await canvasStats(page, '#strip');
    expect(strip.std).toBeGreaterThan(10);
    expect(await page.$$eval('#sliders input[type=range]', (els) => els.length)).toBe(16);
    // Moving the sliders changes the image.
    await page.click('#random');
    await page.waitForTimeout(300);
    const after = await canvasStats(page, '#explore-image');
    expect(after.pixels).not.toEqual(image.pixels);
  }, 120_000);

  it(`trains ${STEPS} steps on WebGPU without freezing the page`, async () => {
    await page.click('#start');
    await page.waitForFunction(() => Number(document.body.dataset.step ?? 0) >= 1, null, { timeout: 300_000 });
    expect(await page.textContent('#backend')).toBe('webgpu');

    // The main thread keeps running while the worker trains: sample the longest timer gap.
    const worstGapMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let last = performance.now();
          let worst = 0;
          const started = last;
          const tick = () => {
            const now = performance.now();
            worst = Math.max(worst, now - last);
            last = now;
            if (now - started < 3000) setTimeout(tick, 10);
            else resolve(worst);
          };
          setTimeout(tick, 10);
        }),
    );
    expect(worstGapMs).toBeLessThan(500);

    await page.waitForFunction(() => Number(document.getElementById('samples')?.dataset.step ?? -1) >= 20, null, {
      timeout: 300_000,
    });
    const early = await canvasStats(page, '#samples');
    await page.waitForFunction((n) => Number(document.body.dataset.step ?? 0) >= n, STEPS, { timeout: 400_000 });
    await page.click('#pause');
    await page.waitForFunction(() => document.body.dataset.state === 'paused', null, { timeout: 60_000 });
    const late = await canvasStats(page, '#samples');
    const steps = await stepOf(page);
    console.log(
      `e2e: backend webgpu, ${steps} steps, ${await page.textContent('#rate')} steps/s, ` +
        `samples at step ${early.step} (std ${early.std.toFixed(1)}) and ${late.step} (std ${late.std.toFixed(1)})`,
    );

    expect(steps).toBeGreaterThanOrEqual(STEPS);
    expect(late.step).toBeGreaterThan(early.step);
    expect(early.std).toBeGreaterThan(5);
    expect(late.std).toBeGreaterThan(5);
    const changed = late.pixels.filter((v, i) => v !== early.pixels[i]).length;
    expect(changed / late.pixels.length).toBeGreaterThan(0.1);

    const lossPoints = Number(await page.getAttribute('#loss-chart', 'data-points'));
    const accPoints = Number(await page.getAttribute('#acc-chart', 'data-points'));
    expect(lossPoints).toBe(steps);
    expect(accPoints).toBe(steps);
    expect(Number(await page.textContent('#rate'))).toBeGreaterThan(0);
    const last = JSON.parse((await page.evaluate(() => document.body.dataset.metrics)) as string);
    for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake']) {
      expect(Number.isFinite(last[key]) && last[key] > 0, `${key} = ${last[key]}`).toBe(true);
    }
    expect(pageErrors).toEqual([]);

    await page.waitForTimeout(200);
    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: join(outDir, 'e2e.png'), fullPage: true });
  }, 900_000);

  it('downloads a generator that @aigc/core/node loads and samples', async () => {
    const downloads = new Map<string, string>();
    const folder = mkdtempSync(join(tmpdir(), 'aigc-browser-download-'));
    try {
      const both = new Promise<void>((resolve) => {
        page.on('download', async (d) => {
          const file = join(folder, d.suggestedFilename());
          await d.saveAs(file);
          downloads.set(d.suggestedFilename(), file);
          if (downloads.size === 2) resolve();
        });
      });
      await page.click('#download');
      await both;
      expect([...downloads.keys()].sort()).toEqual(['model.json', 'weights.bin']);
      const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
      expect(json.userDefinedMetadata.aigc).toMatchObject({ kind: 'generator', latentDim: 100, imageShape: [28, 28, 1] });
      expect(json.userDefinedMetadata.aigc.step).toBeGreaterThanOrEqual(STEPS);
      await tf.setBackend('cpu');
      const gen = await loadGenerator(folder);
      const images = gen.sample(4, { seed: 1 });
      expect(images.shape).toEqual([4, 28, 28, 1]);
      const values = images.dataSync();
      expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
      images.dispose();
      gen.dispose();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
