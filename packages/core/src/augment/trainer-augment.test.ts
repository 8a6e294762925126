import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { mlpGan } from '../models/mlp-gan.js';
import { Trainer } from '../training/trainer.js';
import { toyImages } from '../training/toy-data.test-utils.js';
import { adaptiveAugment } from './adaptive.js';
import { dataAugmentation } from './data-augmentation.js';
import { diffAugment } from './diff-augment.js';
import type { AugmentContext, Augmentation } from './types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const opt = () => ({ generator: tf.train.adam(1e-3, 0.5), discriminator: tf.train.adam(1e-3, 0.5) });
const small = (seed = 1) => mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed });

/** An augmentation that replaces every image with `value` and records where it ran. */
function marker(kind: Augmentation['kind'], value: number, calls: AugmentContext['source'][]): Augmentation {
  return {
    name: `marker-${kind}`,
    kind,
    config: {},
    apply: (images, ctx) => {
      calls.push(ctx.source);
      return tf.tidy(() => tf.add(tf.mul(images, 0), value) as tf.Tensor4D);
    },
  };
}

/** Wraps D so the test sees every image batch it is given (first pixel of each image). */
function recordD(gan: ReturnType<typeof small>, seen: number[][]): void {
  const discriminate = gan.discriminate.bind(gan);
  gan.discriminate = (images, labels, training) => {
    seen.push(Array.from(images.dataSync().filter((_, i) => i % 64 === 0)));
    return discriminate(images, labels, training);
  };
}

describe('Trainer with augmentation', () => {
  it("D sees the augmented reals; a 'data' augmentation touches reals only, a 'differentiable' one every image", async () => {
    for (const kind of ['data', 'differentiable'] as const) {
      const gan = small();
      const calls: AugmentContext['source'][] = [];
      const seen: number[][] = [];
      recordD(gan, seen);
      const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 1, augment: marker(kind, 0.25, calls) });
      await trainer.fit(toyImages(16), { steps: 1 });
      // Toy images are -1 or 0.9; the marker makes them 0.25.
      const batches = seen.map((b) => b.every((v) => Math.abs(v - 0.25) < 1e-6));
      expect(batches.some(Boolean), kind).toBe(true);
      if (kind === 'data') {
        expect(new Set(calls)).toEqual(new Set(['real']));
        expect(batches.some((b) => !b)).toBe(true); // the fakes are G's own
      } else {
        expect(new Set(calls)).toEqual(new Set(['real', 'fake']));
        expect(batches.every(Boolean)).toBe(true); // every image D saw, in D's and G's update
      }
      trainer.dispose();
      gan.dispose();
    }
  });

  it('G learns through DiffAugment, and the run repeats exactly for a seed', async () => {
    const run = async () => {
      const gan = small(3);
      const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 2, augment: diffAugment(['color', 'translation', 'cutout']) });
      const w0 = Array.from(gan.generator.getWeights()[0]!.dataSync());
      const h = await trainer.fit(toyImages(32), { steps: 4 });
      const w = Array.from(gan.generator.getWeights()[0]!.dataSync());
      trainer.dispose();
      gan.dispose();
      return { w0, w, losses: h.metrics.map((m) => [m.dLoss, m.gLoss]) };
    };
    const a = await run();
    const b = await run();
    expect(a.w).not.toEqual(a.w0);
    expect(b).toEqual(a);
  });

  it('resumes exactly with augmentation on (data-side + ADA, incl. p), equal to the uninterrupted run', async () => {
    const augment = () => [dataAugmentation({ flip: true, rotate: 10, translate: 0.1 }), adaptiveAugment({ speed: 200, interval: 2, initialP: 0.2 })];
    const data = toyImages(32);
    const through = async () => {
      const gan = small(5);
      const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 4, augment: augment(), optimizers: opt() });
      const h = await trainer.fit(data, { steps: 7 });
      const w = Array.from(gan.generator.getWeights()[0]!.dataSync());
      trainer.dispose();
      gan.dispose();
      return { metrics: h.metrics.slice(4), w };
    };
    const expected = await through();
    const gan = small(5);
    const first = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 4, augment: augment(), optimizers: opt() });
    await first.fit(data, { steps: 4 });
    const saved = await first.checkpoint();
    first.dispose();
    gan.dispose();
    const resumed = await Trainer.fromCheckpoint(saved, { model: small(99) }); // augmentations rebuilt from the checkpoint by name
    const h = await resumed.fit(data, { steps: 3 });
    // ADA's p and r_t continue exactly; losses and weights agree to the last float bit or two (an
    // in-process resume is 1 ulp off even without augmentation, see the report; the new-process
    // bitwise resume with augmentation is resume.test.ts).
    expect(h.metrics.map((m) => [m.step, m.augmentP, m.augmentRt, m.realSign])).toEqual(expected.metrics.map((m) => [m.step, m.augmentP, m.augmentRt, m.realSign]));
    h.metrics.forEach((m, i) => {
      for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) expect(Math.abs(m[k] - expected.metrics[i]![k])).toBeLessThan(1e-6);
    });
    const w = Array.from(resumed.model.generator.getWeights()[0]!.dataSync());
    w.forEach((v, i) => expect(Math.abs(v - expected.w[i]!)).toBeLessThan(1e-6));
    expect(h.metrics.every((m) => typeof m.augmentP === 'number')).toBe(true);
    expect(h.metrics[h.metrics.length - 1]!.augmentP).not.toBe(0.2); // p moved, and the same way in both runs
    resumed.dispose();
    resumed.model.dispose();
  });

  it('ADA raises p while D overfits a tiny set, and lowers it when r_t stays under the target', async () => {
    const gan = small(7);
    const ada = adaptiveAugment({ target: 0.6, interval: 1, speed: 400 });
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 1, augment: ada, optimizers: { discriminator: tf.train.adam(5e-3, 0.5), generator: tf.train.adam(1e-5, 0.5) } });
    const h = await trainer.fit(toyImages(8), { steps: 40 });
    const last = h.metrics[h.metrics.length - 1]!;
    expect(last.augmentRt).toBeGreaterThan(0.6);
    expect(last.augmentP).toBeGreaterThan(0.2);
    expect(h.metrics.map((m) => m.augmentP)).toEqual(h.metrics.map((m) => m.augmentP).slice().sort((x, y) => (x as number) - (y as number)));
    trainer.dispose();
    gan.dispose();

    const gan2 = small(7);
    const unreachable = adaptiveAugment({ target: 1, interval: 1, speed: 400, initialP: 0.5 }); // r_t < 1 always
    const t2 = new Trainer(gan2, { backend: 'cpu', batchSize: 8, seed: 1, augment: unreachable });
    const h2 = await t2.fit(toyImages(8), { steps: 10 });
    expect(h2.metrics[9]!.augmentP).toBeLessThan(0.5);
    t2.dispose();
    gan2.dispose();
  });
});
