import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { ImageDataset } from '../data/dataset.js';
import { Trainer } from './trainer.js';
import type { StepMetrics } from './types.js';

/** Two-mode toy images: half bright top rows, half bright bottom rows, in [-1, 1]. */
function toyData(n: number, size = 8): ImageDataset {
  const images = new Float32Array(n * size * size).fill(-1);
  for (let i = 0; i < n; i++) {
    const top = i % 2 === 0;
    for (let y = 0; y < size / 2; y++) {
      for (let x = 0; x < size; x++) images[i * size * size + (top ? y : y + size / 2) * size + x] = 0.9;
    }
  }
  return ImageDataset.fromArrays({ images, imageShape: [size, size, 1] });
}

const small = (seed = 1) =>
  mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Trainer', () => {
  it('reports every metric for each step, in range', async () => {
    const gan = small();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, seed: 3 });
    const h = await trainer.fit(toyData(64), { steps: 5 });
    expect(h.steps).toBe(5);
    expect(h.backend).toBe('cpu');
    h.metrics.forEach((m, i) => {
      expect(m.step).toBe(i + 1);
      for (const k of ['dReal', 'dFake', 'dAccuracyReal', 'dAccuracyFake', 'dAccuracy'] as const) {
        expect(m[k]).toBeGreaterThanOrEqual(0);
        expect(m[k]).toBeLessThanOrEqual(1);
      }
      expect(m.dAccuracy).toBeCloseTo((m.dAccuracyReal + m.dAccuracyFake) / 2, 6);
      expect(Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss)).toBe(true);
    });
    trainer.dispose();
    gan.dispose();
  });

  it('does not leak tensors across 50 steps', async () => {
    const gan = small();
    const data = toyData(64);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, seed: 1 });
    await trainer.fit(data, { steps: 1 }); // creates the optimizers' slots
    const before = tf.memory().numTensors;
    await trainer.fit(data, { steps: 50 });
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    gan.dispose();
  });

  it('gives identical losses for two seeded runs on cpu, different ones for another seed', async () => {
    const run = async (seed: number) => {
      const gan = small(11);
      const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, seed });
      const h = await trainer.fit(toyData(64), { steps: 10 });
      const w = Array.from(gan.generator.getWeights()[0]!.dataSync());
      trainer.dispose();
      gan.dispose();
      return { losses: h.metrics.map((m) => [m.dLoss, m.gLoss]), w };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b.losses).toEqual(a.losses);
    expect(b.w).toEqual(a.w);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('updates only D in the D phase and G in the G phase (explicit variable lists, no freezing)', async () => {
    const gan = small();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16 });
    const g0 = gan.generator.getWeights().map((t) => t.clone());
    const d0 = gan.discriminator.getWeights().map((t) => t.clone());
    await trainer.fit(toyData(32), { steps: 1 });
    const changed = (a: tf.Tensor[], b: tf.Tensor[]) =>
      a.some((t, i) => tf.tidy(() => tf.any(tf.notEqual(t, b[i]!)).dataSync()[0] === 1));
    expect(changed(g0, gan.generator.getWeights())).toBe(true);
    expect(changed(d0, gan.discriminator.getWeights())).toBe(true);
    expect(gan.discriminator.trainable).toBe(true);
    tf.dispose([...g0, ...d0]);
    trainer.dispose();
    gan.dispose();
  });

  it('descends each loss: D alone drives dLoss down, G alone drives gLoss down', async () => {
    const run = async (which: 'd' | 'g') => {
      const gan = small(4);
      const frozen = tf.train.sgd(0);
      const adam = tf.train.adam(2e-3, 0.5);
      const trainer = new Trainer(gan, {
        backend: 'cpu',
        batchSize: 32,
        seed: 4,
        optimizers: which === 'd' ? { discriminator: adam, generator: frozen } : { discriminator: frozen, generator: adam },
      });
      const h = await trainer.fit(toyData(128), { steps: 40 });
      trainer.dispose();
      gan.dispose();
      return h.metrics.map((m) => (which === 'd' ? m.dLoss : m.gLoss));
    };
    const d = await run('d');
    const g = await run('g');
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(d.slice(-5))).toBeLessThan(0.5 * avg(d.slice(0, 5)));
    expect(avg(g.slice(-5))).toBeLessThan(0.5 * avg(g.slice(0, 5)));
  });

  it('learns the toy data: D accuracy leaves 0.5 and samples move toward the data', async () => {
    const gan = small(2);
    const extremeFraction = (t: tf.Tensor) => {
      const arr = Array.from(t.dataSync());
      t.dispose();
      return arr.filter((v) => Math.abs(v) > 0.8).length / arr.length;
    };
    // Real pixels are all -1 or 0.9; an untrained G outputs values near 0.
    const before = extremeFraction(gan.sample(64, { seed: 9 }));
    const adam = () => tf.train.adam(2e-3, 0.5);
    const trainer = new Trainer(gan, {
      backend: 'cpu',
      batchSize: 32,
      seed: 2,
      optimizers: { generator: adam(), discriminator: adam() },
    });
    const h = await trainer.fit(toyData(256), { steps: 300 });
    const early = h.metrics.slice(0, 100).map((m) => m.dAccuracy);
    expect(Math.max(...early)).toBeGreaterThan(0.75);
    const after = extremeFraction(gan.sample(64, { seed: 9 }));
    expect(before).toBeLessThan(0.2);
    expect(after).toBeGreaterThan(0.6);
    trainer.dispose();
    gan.dispose();
  });

  it('calls callbacks in order and stops cleanly on abort', async () => {
    const gan = small();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16 });
    const events: string[] = [];
    const controller = new AbortController();
    const h = await trainer.fit(toyData(64), {
      epochs: 3,
      signal: controller.signal,
      callbacks: [
        {
          onTrainBegin: (info) => void events.push(`begin:${info.totalSteps}:${info.stepsPerEpoch}`),
          onEpochBegin: (e) => void events.push(`epoch:${e}`),
          onEpochEnd: (e, m) => void events.push(`epochEnd:${e}:${Number.isFinite(m.dLoss)}`),
          onStepEnd: (m: StepMetrics) => {
            events.push(`step:${m.step}`);
            if (m.step === 6) controller.abort();
          },
          onTrainEnd: (hist) => void events.push(`end:${hist.stopReason}`),
        },
      ],
    });
    expect(h.stopReason).toBe('aborted');
    expect(h.steps).toBe(6);
    expect(events).toEqual([
      'begin:12:4',
      'epoch:0',
      'step:1',
      'step:2',
      'step:3',
      'step:4',
      'epochEnd:0:true',
      'epoch:1',
      'step:5',
      'step:6',
      'end:aborted',
    ]);
    trainer.dispose();
    gan.dispose();
  });

  it('rejects bad options and mismatched data with typed errors', async () => {
    const gan = small();
    expect(() => new Trainer(gan, { batchSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Trainer(gan, { batchSize: -4 })).toThrow(/batchSize/);
    expect(() => new Trainer({} as never)).toThrow(/GanModel/);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16 });
    await expect(trainer.fit(toyData(8), { steps: 1 })).rejects.toThrow(/batch/i);
    await expect(trainer.fit(toyData(64), { steps: 1, epochs: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(trainer.fit(toyData(64), { steps: 0 })).rejects.toThrow(/steps/);
    await expect(trainer.fit(toyData(64, 4), { steps: 1 })).rejects.toBeInstanceOf(ShapeMismatchError);
    const wrong = tf.zeros([4, 4, 4, 1]) as tf.Tensor4D;
    await expect(trainer.step({ images: wrong })).rejects.toBeInstanceOf(ShapeMismatchError);
    wrong.dispose();
    trainer.dispose();
    gan.dispose();
  });
});
