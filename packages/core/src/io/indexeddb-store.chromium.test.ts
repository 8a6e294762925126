/**
 * The IndexedDB checkpoint store in headless Debian Chromium (playwright-core, never downloads a
 * browser): a run saved, the page reloaded, resumed and continued equals the uninterrupted run
 * bitwise on cpu; missing and corrupted records fail with ModelFormatError. Skipped, with the
 * reason printed, where Chromium is not installed.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumUnavailableReason, openChromiumPage, type ChromiumPage } from '../../../../test/chromium-page.js';

const missing = chromiumUnavailableReason();
if (missing) console.warn(`[indexeddb-store] skipping the Chromium test: ${missing}`);

const here = dirname(fileURLToPath(import.meta.url));

/** The page: a tiny seeded MLP GAN on cpu, trained, saved, resumed. */
const ENTRY = `
import { Trainer, cpuBackend, indexedDbCheckpointStore, mlpGan, ModelFormatError } from '../index.ts';
import { toyImages } from '../training/toy-data.test-utils.ts';

const store = indexedDbCheckpointStore('aigc-test');
const data = toyImages(24, 8);
const newTrainer = () =>
  new Trainer(mlpGan({ latentDim: 4, imageShape: [8, 8, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 5 }), {
    backend: cpuBackend(),
    batchSize: 4,
    seed: 9,
    ema: { decay: 0.9, startStep: 1 },
  });
const weights = (t) =>
  [...t.model.generator.weights, ...t.model.discriminator.weights].map((w) => Array.from(w.read().dataSync())).flat();
const losses = (h) => h.metrics.map((m) => [m.dLoss, m.gLoss]);

globalThis.idbTest = {
  async uninterrupted(steps) {
    const t = newTrainer();
    const h = await t.fit(data, { steps });
    const out = { losses: losses(h), weights: weights(t), step: t.globalStep };
    t.dispose();
    return out;
  },
  async trainAndSave(steps, location) {
    const t = newTrainer();
    const h = await t.fit(data, { steps });
    await t.save(location, { store });
    const out = { losses: losses(h), step: t.globalStep };
    t.dispose();
    return out;
  },
  async resumeAndTrain(steps, location) {
    const t = await Trainer.resume(location, { store, backend: cpuBackend() });
    const resumedAt = t.globalStep;
    const h = await t.fit(data, { steps });
    const out = { resumedAt, losses: losses(h), weights: weights(t), step: t.globalStep };
    t.dispose();
    return out;
  },
  list: () => store.list(),
  info: (location) => store.info(location),
  remove: (location) => store.delete(location),
  async readError(location) {
    try {
      await store.read(location);
      return 'no error';
    } catch (e) {
      return (ModelFormatError.isInstance(e) ? 'ModelFormatError: ' : 'other: ') + e.message;
    }
  },
  /** Puts a raw record at location, bypassing the store (to test validation). */
  async putRaw(location, kind) {
    const good = await new Promise((resolve, reject) => {
      const req = indexedDB.open('aigc-test', 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = good.transaction('checkpoints', 'readwrite');
    const os = tx.objectStore('checkpoints');
    const current = await new Promise((resolve) => { const r = os.get('base'); r.onsuccess = () => resolve(r.result); });
    const record = kind === 'garbage' ? { hello: 1 }
      : kind === 'version' ? { ...current, formatVersion: 99 }
      : kind === 'shape' ? { ...current, arrays: current.arrays.map((a, i) => (i === 0 ? { ...a, shape: [a.bytes / 4 + 1] } : a)) }
      : { ...current, bytes: current.bytes.slice(0, current.bytes.byteLength - 4) };
    os.put(record, location);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    good.close();
  },
};
globalThis.idbReady = true;
`;

type Call = (name: string, ...args: unknown[]) => Promise<unknown>;

describe.skipIf(missing !== undefined)('indexedDbCheckpointStore in headless Chromium', () => {
  let chromium: ChromiumPage;
  const call: Call = (name, ...args) =>
    chromium.page.evaluate(
      ([n, a]) => (globalThis as unknown as { idbTest: Record<string, (...x: unknown[]) => Promise<unknown>> }).idbTest[n as string]!(...(a as unknown[])),
      [name, args] as const,
    );

  beforeAll(async () => {
    chromium = await openChromiumPage({ entry: { contents: ENTRY, resolveDir: here }, readyGlobal: 'idbReady' });
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
  });

  it('6 steps equal 3 steps + save + page reload + resume + 3 steps, bitwise (cpu)', async () => {
    const full = (await call('uninterrupted', 6)) as { losses: number[][]; weights: number[]; step: number };
    const first = (await call('trainAndSave', 3, 'base')) as { losses: number[][]; step: number };
    expect(first.step).toBe(3);
    await chromium.load(); // a reload: nothing survives but IndexedDB
    expect(await call('list')).toEqual(['base']);
    expect(await call('info', 'base')).toMatchObject({ globalStep: 3 });
    const resumed = (await call('resumeAndTrain', 3, 'base')) as { resumedAt: number; losses: number[][]; weights: number[]; step: number };
    expect(resumed.resumedAt).toBe(3);
    expect(resumed.step).toBe(6);
    expect([...first.losses, ...resumed.losses]).toEqual(full.losses);
    expect(resumed.weights.length).toBeGreaterThan(100);
    expect(resumed.weights).toEqual(full.weights);
    expect(chromium.pageErrors).toEqual([]);
  }, 120_000);

  it('a missing or corrupted record fails with a ModelFormatError that says what to do', async () => {
    expect(await call('readError', 'nothing-here')).toMatch(/^ModelFormatError: .*there is no checkpoint there\. Save one first/);
    expect(await call('info', 'nothing-here')).toBeUndefined();
    await call('putRaw', 'garbage', 'garbage');
    expect(await call('readError', 'garbage')).toMatch(/^ModelFormatError: .*not an aigc trainer checkpoint/);
    await call('putRaw', 'version', 'version');
    expect(await call('readError', 'version')).toMatch(/^ModelFormatError: .*format version 99/);
    await call('putRaw', 'shape', 'shape');
    expect(await call('readError', 'shape')).toMatch(/^ModelFormatError: .*inconsistent/);
    await call('putRaw', 'truncated', 'truncated');
    expect(await call('readError', 'truncated')).toMatch(/^ModelFormatError: .*inconsistent/);
    expect(await call('readError', 'base')).toBe('no error');
    for (const key of ['garbage', 'version', 'shape', 'truncated']) await call('remove', key);
    expect(await call('list')).toEqual(['base']);
    await call('remove', 'base');
    expect(await call('list')).toEqual([]);
  }, 60_000);
});
