/**
 * report.html in real headless Chromium: it opens from file:// with no network and no console
 * errors, and each plot's data holds exactly the logged points.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../src/report/run-report.js';
import { writeRunConfig } from '../src/run/config.js';
import { runPaths } from '../src/run/layout.js';
import { cleanTemps, temp } from './helpers.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { encodePng } from '@aigc/core';

const CHROMIUM = process.env.AIGC_CHROMIUM ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium, or set AIGC_CHROMIUM)`;
if (missing) console.warn(`report.chromium.test skipped: ${missing}`);

afterAll(cleanTemps);

/** A run folder with 120 logged steps (ADA's p included), two FID points and three grids. */
async function fakeRun(): Promise<string> {
  const dir = temp();
  const paths = runPaths(dir);
  const lines = [JSON.stringify({ event: 'begin', totalSteps: 120 })];
  for (let step = 1; step <= 120; step++) {
    lines.push(JSON.stringify({ step, epoch: 0, dLoss: 1 + Math.sin(step / 9), gLoss: 2 + Math.cos(step / 7), dReal: 0.6, dFake: 0.4, dAccuracyReal: 0.7, dAccuracyFake: 0.7, dAccuracy: 0.7, augmentP: step / 240, time: step }));
    if (step % 60 === 0) lines.push(JSON.stringify({ event: 'fid', step, fid: 100 - step / 2, n: 64 }));
  }
  lines.push('{"step": 121, "dLo'); // a line cut by a crash is skipped
  writeFileSync(paths.metrics, `${lines.join('\n')}\n`);
  mkdirSync(paths.grids);
  for (const step of [40, 80, 120]) {
    const data = new Uint8Array(8 * 8 * 3).fill(step);
    writeFileSync(path.join(paths.grids, `samples-${String(step).padStart(6, '0')}.png`), encodePng({ width: 8, height: 8, channels: 3, data }));
  }
  writeFileSync(paths.dataReport, JSON.stringify({ loaded: 3, skipped: [{ file: 'bad.png', reason: 'corrupt' }] }));
  await writeRunConfig(dir, {
    format: 1, data: { dir: '/data', images: 3, description: 'test' }, size: 8, channels: 3, model: 'dcgan', filters: 4, conditional: false,
    loss: 'hinge', aug: 'ada', steps: 120, batch: 1, backend: 'cpu', ema: 0.999, seed: 1, sampleEvery: 40, checkpointEvery: 40, fidEvery: 60, createdAt: 'now',
  });
  await writeRunReport(dir);
  return dir;
}

describe.skipIf(missing !== undefined)('report.html in headless Chromium', () => {
  it('loads from file:// offline with no console errors, and its plots hold the logged points', async () => {
    const dir = await fakeRun();
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(runPaths(dir).report).href);
      await page.waitForFunction(() => (globalThis as { aigcReport?: { ready: Promise<unknown> } }).aigcReport !== undefined);
      const result = await page.evaluate(async () => {
        const report = (globalThis as unknown as { aigcReport: { ready: Promise<unknown>; views: Record<string, { data(name: string): Array<Record<string, number>> }> } }).aigcReport;
        await report.ready;
        const out: Record<string, Array<Record<string, number>>> = {};
        for (const [id, view] of Object.entries(report.views)) out[id] = view.data('metrics');
        const marks: Record<string, number> = {};
        for (const el of Array.from(document.querySelectorAll('.chart'))) marks[(el as HTMLElement).dataset.chart as string] = el.querySelectorAll('path').length;
        return { data: out, marks, images: document.querySelectorAll('#grids img').length, data_report: document.querySelector('#data-report')?.textContent ?? '' };
      });
      expect(problems).toEqual([]);
      expect(requests.every((u) => u.startsWith('file:') || u.startsWith('data:'))).toBe(true);
      expect(Object.keys(result.data).sort()).toEqual(['augment', 'discriminator', 'fid', 'losses']);
      const steps = Array.from({ length: 120 }, (_, i) => i + 1);
      expect(result.data.losses?.map((r) => r.step)).toEqual(steps);
      expect(result.data.losses?.[9]?.dLoss).toBeCloseTo(1 + Math.sin(10 / 9), 6);
      expect(result.data.discriminator?.map((r) => r.dFake)).toEqual(steps.map(() => 0.4));
      expect(result.data.augment?.at(-1)?.augmentP).toBeCloseTo(0.5, 6);
      expect(result.data.fid).toEqual([{ step: 60, fid: 70 }, { step: 120, fid: 40 }]);
      for (const id of ['losses', 'discriminator', 'augment', 'fid']) expect(result.marks[id], id).toBeGreaterThan(3);
      expect(result.images).toBe(3);
      expect(result.data_report).toContain('bad.png');
      expect(readFileSync(runPaths(dir).lossesSvg, 'utf8')).toContain('<svg');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
