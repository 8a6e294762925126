import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { checkpointCallback } from '../node/checkpoint/index.js';
import { toyImages } from './toy-data.test-utils.js';
import { Trainer } from './trainer.js';

const small = (seed = 1) => mlpGan({ latentDim: 4, imageShape: [8, 8, 1], generatorUnits: [8], discriminatorUnits: [8], seed });
const data = toyImages(16, 8);

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
    expect(new Trainer(small(2), { backend: 'cpu' }).generator).toBeDefined();
    t.dispose();
    gan.dispose();
  });

  it('checkpointCallback(dir) takes the trainer from fit; the old (trainer, dir) form still saves', async () => {
    const gan = small(3);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4 });
    const a = mkdtempSync(join(tmpdir(), 'aigc-cb-'));
    const b = mkdtempSync(join(tmpdir(), 'aigc-cb-'));
    await t.fit(data, { steps: 2, callbacks: [checkpointCallback(a, { every: 1 }), checkpointCallback(t, b)] });
    expect(readdirSync(a)).toContain('manifest.json');
    expect(readdirSync(b)).toContain('manifest.json');
    expect((await Trainer.resume(a, { backend: 'cpu' })).globalStep).toBe(2);
    t.dispose();
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
