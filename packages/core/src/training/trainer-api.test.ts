import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../tf.js';
import { InvalidArgumentError, UnknownOptionError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { mlpVae } from '../models/vae-builders.js';
import type { VaeTrainerOptions } from './objectives/vae.js';
import './objectives/vae.js';
import { checkpointCallback, sampleGridFileCallback, sampleGridSaver } from '../node/checkpoint/index.js';
import { loadGenerator } from '../node/model-io.js';
import { imageGridAsync, type RasterImage } from '../io/grid.js';
import { sampleGridCallback } from './callbacks.js';
import type { CheckpointStore } from './checkpoint-types.js';
import { toyImages } from './toy-data.test-utils.js';
import { Trainer } from './trainer.js';

const small = (seed = 1) => mlpGan({ latentDim: 4, imageShape: [8, 8, 1], generatorUnits: [8], discriminatorUnits: [8], seed });
const data = toyImages(16, 8);
const scratch = () => mkdtempSync(join(tmpdir(), 'aigc-api-'));

describe('Trainer API', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trainer.generator samples with the EMA weights when EMA is on, the live ones otherwise', async () => {
    const gan = small();
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, ema: { decay: 0.5 } });
    await t.fit(data, { steps: 3 });
    const z = tf.randomNormal([2, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const averaged = t.generator.generate(z).dataSync();
    const viaSample = t.ema!.apply(() => gan.generate(z).dataSync());
    const live = gan.generate(z).dataSync();
    expect(Array.from(averaged)).toEqual(Array.from(viaSample));
    expect(Array.from(averaged)).not.toEqual(Array.from(live));
    const x = tf.randomUniform([2, 8, 8, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
    const view = t.generator as Partial<typeof gan>;
    expect(tf.tidy(() => Array.from(view.discriminate!(x).dataSync()))).toEqual(tf.tidy(() => Array.from(gan.discriminate(x).dataSync())));
    x.dispose();
    expect(new Trainer(small(2), { backend: 'cpu' }).generator).toBeDefined();
    t.dispose();
    gan.dispose();
  });

  it('trainer.saveGenerator(dir) saves the averaged weights of an EMA run and restores the live ones', async () => {
    const gan = small(6);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, ema: { decay: 0.5 } });
    await t.fit(data, { steps: 3 });
    const live = gan.generator.getWeights().map((w) => Array.from(w.dataSync()));
    const averaged = t.ema!.shadows.map((s) => Array.from(s.dataSync()));
    expect(averaged).not.toEqual(live);
    const dir = join(scratch(), 'generator');
    await t.saveGenerator(dir);
    const loaded = await loadGenerator(dir);
    expect(loaded.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(averaged);
    expect(gan.generator.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(live);
    const z = tf.randomNormal([2, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    expect(tf.tidy(() => Array.from(loaded.generate(z).dataSync()))).toEqual(tf.tidy(() => Array.from(t.generator.generate(z).dataSync())));
    loaded.dispose();
    z.dispose();
    t.dispose();
    gan.dispose();
  });

  it('trainer.saveGenerator saves the live weights without EMA, and needs a store that can save generators', async () => {
    const gan = small(7);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4 });
    await t.fit(data, { steps: 1 });
    const dir = join(scratch(), 'generator');
    await t.saveGenerator(dir);
    const loaded = await loadGenerator(dir);
    expect(loaded.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(gan.generator.getWeights().map((w) => Array.from(w.dataSync())));
    loaded.dispose();
    const store: CheckpointStore = { write: async () => undefined, read: async () => Promise.reject(new Error('unused')) };
    const error = await t.saveGenerator(dir, { store }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/cannot save generators/);
    await expect(t.saveGenerator('')).rejects.toThrow(/saveGenerator needs a location/);
    t.dispose();
    gan.dispose();
  });

  it('sampleGridCallback takes the trainer from fit and grids the EMA generator; the old (trainer, options) form still works', async () => {
    const gan = small(8);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, ema: { decay: 0.5 } });
    const grids: [RasterImage, number][] = [];
    const old: number[] = [];
    await t.fit(data, { steps: 1 }); // creates the optimizer state
    const before = tf.memory().numTensors;
    await t.fit(data, {
      steps: 2,
      callbacks: [sampleGridCallback({ every: 1, count: 4, seed: 5, onGrid: (g, step) => void grids.push([g, step]) }), sampleGridCallback(t, { every: 2, onGrid: (_g, step) => void old.push(step) })],
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(grids.map(([, step]) => step)).toEqual([2, 3]);
    expect(old).toEqual([2, 3]);
    const images = t.generator.sample(4, { seed: 5 });
    expect(Array.from(grids[1]![0].data)).toEqual(Array.from((await imageGridAsync(images)).data));
    images.dispose();
    expect(() => sampleGridCallback({ onGrid: () => undefined, evry: 2 } as never)).toThrow(UnknownOptionError);
    t.dispose();
    gan.dispose();
  });

  it('training with grid callbacks never reads synchronously (WebGPU in Node cannot dataSync)', async () => {
    const gan = small(10);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, ema: { decay: 0.5 } });
    const sizes: number[] = [];
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
      throw new Error('dataSync() called');
    });
    try {
      await t.fit(data, { steps: 1, callbacks: [sampleGridCallback({ every: 1, count: 4, onGrid: (g) => void sizes.push(g.data.length) }), sampleGridFileCallback(scratch(), { every: 1, count: 4 })] });
    } finally {
      spy.mockRestore();
    }
    expect(sizes.length).toBe(1);
    expect(sizes[0]).toBeGreaterThan(4 * 8 * 8);
    t.dispose();
    gan.dispose();
  });

  it('sampleGridFileCallback(dir) writes zero-padded grids; sampleGridSaver(trainer, dir) is its deprecated alias', async () => {
    const gan = small(9);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4 });
    const [a, b] = [scratch(), scratch()];
    await t.fit(data, { steps: 2, callbacks: [sampleGridFileCallback(a, { every: 1, count: 4 }), sampleGridSaver(t, b, { every: 2, latest: false })] });
    expect(readdirSync(a).sort()).toEqual(['latest.png', 'samples-000001.png', 'samples-000002.png']);
    expect(readdirSync(b)).toEqual(['samples-000002.png']);
    expect(() => sampleGridFileCallback(a, { lastest: false } as never)).toThrow(/Did you mean "latest"/);
    expect(() => sampleGridFileCallback('')).toThrow(/needs the folder/);
    t.dispose();
    gan.dispose();
  });

  it('checkpointCallback(dir) takes the trainer from fit; the old (trainer, dir) form still saves', async () => {
    const gan = small(3);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4 });
    const [a, b] = [scratch(), scratch()];
    await t.fit(data, { steps: 2, callbacks: [checkpointCallback(a, { every: 1 }), checkpointCallback(t, b)] });
    expect(readdirSync(a)).toContain('manifest.json');
    expect(readdirSync(b)).toContain('manifest.json');
    expect((await Trainer.resume(a, { backend: 'cpu' })).globalStep).toBe(2);
    t.dispose();
    gan.dispose();
  });

  it('rejects unknown Trainer option keys with the nearest valid one, for GANs, VAEs and custom objectives', async () => {
    const gan = small(11);
    const typo = (() => {
      try {
        return new Trainer(gan, { batchsize: 4 } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(UnknownOptionError.isInstance(typo)).toBe(true);
    expect(typo).toMatchObject({ where: 'Trainer', suggestion: 'batchSize' });
    expect(() => new Trainer(gan, { vae: { beta: 1 } } as never)).toThrow(/unknown option "vae"/);
    const vae = mlpVae({ latentDim: 2, imageShape: [4, 4, 1], encoderUnits: [4], decoderUnits: [4], seed: 1 });
    expect(() => new Trainer(vae, { loss: undefined, batchSize: 2 } as never)).toThrow(/Trainer: unknown option "loss"/);
    new Trainer(vae, { vae: { beta: 0.5 }, batchSize: 2 } as VaeTrainerOptions).dispose();
    const own = new Trainer(gan, { batchSize: 4 }).objective;
    expect(() => new Trainer(gan, { objective: own, discriminatorSteps: 2 } as never)).toThrow(UnknownOptionError);
    vae.dispose();
    gan.dispose();
  });

  it('a trainer whose global backend was switched by another refuses to train, with the way out', async () => {
    const gan = small(4);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4 });
    await t.fit(data, { steps: 1 });
    const other = new Trainer(small(5), { backend: 'wasm', batchSize: 4 });
    await other.ready();
    const error = await t.fit(data, { steps: 1 }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/trains on cpu, but the tfjs backend is now wasm.*useBackend\('cpu'\)/);
    await tf.setBackend('cpu');
    expect((await t.fit(data, { steps: 1 })).globalStep).toBe(2);
    t.dispose();
    other.dispose();
    gan.dispose();
    other.model.dispose();
  });
});
