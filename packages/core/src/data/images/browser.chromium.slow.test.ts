/**
 * loadImageFiles in headless Debian Chromium (playwright-core, no download): the same fixtures as
 * the Node loader's tests, decoded by createImageBitmap + OffscreenCanvas, must give the same
 * report and the same pixels as loadImageFolder (sharp) within a small tolerance.
 * Skipped, with the reason printed, where Chromium is not installed.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumUnavailableReason, openChromiumPage, type ChromiumPage } from '../../../../../test/chromium-page.js';
import { loadImageFolder } from '../../node/images/load-image-folder.js';
import { checker, MODE_COLOURS, pngRgb, put, rgb, viaSharp, writeModeFolder } from '../../node/images/images.test-utils.js';
import type { ImageLoadReport } from './report.js';

const missing = chromiumUnavailableReason();
if (missing) console.warn(`[loadImageFiles] skipping the Chromium check: ${missing}`);

const here = dirname(fileURLToPath(import.meta.url));
const ENTRY = `
import { loadImageFiles } from './browser.ts';
globalThis.runLoad = async (files, options) => {
  const list = files.map((f) => new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
  try {
    const data = await loadImageFiles(list, options);
    return { pixels: Array.from(data.pixels), report: data.report, labels: data.labels ? Array.from(data.labels) : null, classNames: data.classNames ?? null };
  } catch (error) {
    return { error: error.name + ': ' + error.message };
  }
};
globalThis.loaderReady = true;
`;

interface PageResult {
  pixels: number[];
  report: ImageLoadReport;
  labels: number[] | null;
  classNames: string[] | null;
  error?: string;
}

async function filesOf(dir: string, rel = ''): Promise<{ name: string; b64: string }[]> {
  const out: { name: string; b64: string }[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const name = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesOf(dir, name)));
    else out.push({ name, b64: (await readFile(join(dir, name))).toString('base64') });
  }
  return out;
}

describe.skipIf(missing !== undefined)('loadImageFiles in headless Chromium', () => {
  let chromium: ChromiumPage;
  let base: string;
  const run = (files: { name: string; b64: string }[], options: object) =>
    chromium.page.evaluate(([f, o]) => (globalThis as unknown as { runLoad(f: unknown, o: unknown): Promise<PageResult> }).runLoad(f, o), [files, options] as const);

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'aigc-browser-images-'));
    chromium = await openChromiumPage({ entry: { contents: ENTRY, resolveDir: here }, readyGlobal: 'loaderReady' });
  });

  afterAll(async () => {
    await chromium?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('decodes every PNG mode, JPEG, WebP and GIF to the colours sharp gives, alpha over white, gray by luminance', async () => {
    const dir = join(base, 'modes');
    await writeModeFolder(dir);
    for (const channels of [3, 1] as const) {
      const options = { size: 4, channels, minPixelStd: 0 };
      const [inPage, inNode] = [await run(await filesOf(dir), options), await loadImageFolder(dir, { ...options, cache: false })];
      expect(inPage.error).toBeUndefined();
      expect(inPage.report.loadedFiles).toEqual(inNode.report.loadedFiles);
      expect(inPage.report.loaded).toBe(Object.keys(MODE_COLOURS).length + 1);
      let worst = 0;
      inPage.pixels.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - inNode.pixels![i]!))));
      console.log(`[loadImageFiles] ${channels} channel(s): max |Chromium - sharp| = ${worst}`);
      expect(worst).toBeLessThanOrEqual(4);
    }
  });

  it('applies EXIF orientation, the three fits, and the cleaning report like loadImageFolder', async () => {
    const dir = join(base, 'mixed');
    const stored = rgb(16, 8, (x) => (x < 8 ? [0, 0, 0] : [255, 255, 255]));
    await put(dir, 'cats/rotated.jpg', await viaSharp(16, 8, stored, 'jpeg', 6));
    await put(dir, 'cats/wide.png', pngRgb(8, 4, rgb(8, 4, (x) => (x < 2 ? [255, 0, 0] : [0, 0, 255]))));
    const good = checker([0, 0, 0], [255, 255, 255]);
    await put(dir, 'dogs/good.png', good);
    await put(dir, 'dogs/copy.png', good);
    await put(dir, 'dogs/corrupt.png', good.subarray(0, 60));
    await put(dir, 'dogs/zero.png', new Uint8Array(0));
    await put(dir, 'dogs/notes.txt', 'text');
    await put(dir, 'dogs/.hidden.png', good);
    await put(dir, 'top.png', good);
    const files = await filesOf(dir);
    for (const fit of ['cover', 'contain', 'fill'] as const) {
      const options = { size: 4, fit, labels: 'subfolders', minPixelStd: 0 } as const;
      const inPage = await run(files, options);
      const inNode = await loadImageFolder(dir, { ...options, cache: false });
      expect(inPage.error).toBeUndefined();
      expect(inPage.classNames).toEqual(['cats', 'dogs']);
      expect(inPage.labels).toEqual(Array.from(inNode.labels!));
      expect(inPage.report.loadedFiles).toEqual(inNode.report.loadedFiles);
      expect(inPage.report.skipped.map((s) => [s.file, s.reason])).toEqual(inNode.report.skipped.map((s) => [s.file, s.reason]));
      expect(inPage.report.duplicates).toEqual([{ file: 'dogs/good.png', duplicateOf: 'dogs/copy.png' }]);
      expect(inPage.report.hidden).toBe(1);
      // Resampling filters differ (Skia vs libvips Lanczos); edges may differ, so compare the mean error.
      let sum = 0;
      inPage.pixels.forEach((v, i) => (sum += Math.abs(v - inNode.pixels![i]!)));
      const mean = sum / inPage.pixels.length;
      console.log(`[loadImageFiles] fit ${fit}: mean |Chromium - sharp| = ${mean.toFixed(2)}`);
      expect(mean).toBeLessThan(12);
      // The rotated JPEG: top rows black, bottom rows white (EXIF orientation 6 applied).
      const r = inPage.report.loadedFiles.indexOf('cats/rotated.jpg') * 48;
      if (fit !== 'contain') {
        expect(inPage.pixels[r]!).toBeLessThan(40);
        expect(inPage.pixels[r + 3 * 12]!).toBeGreaterThan(215);
      }
    }
    const none = await run([{ name: 'a.txt', b64: Buffer.from('x').toString('base64') }], { size: 4 });
    expect(none.error).toContain('InvalidDataError: files: all 1 files were skipped (1 not-image)');
    const bad = await run([], { size: 0 });
    expect(bad.error).toMatch(/^InvalidArgumentError: size must be a positive integer/);
  });
});
