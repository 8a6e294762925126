import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { useBackend } from '../backends/registry.js';
import { hingeLoss } from '../losses/hinge.js';
import { wassersteinLoss } from '../losses/wasserstein.js';
import { gradientPenalty } from '../losses/gradient-penalty.js';
import { Trainer } from '../training/trainer.js';
import { toyImages } from '../training/toy-data.test-utils.js';
import type { LossFn } from '../losses/types.js';
import type { DiscriminatorRegularizer } from '../losses/regularizer.js';
import { dcgan } from './dcgan.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Losses of a few seeded steps of a small 16x16 DCGAN on a backend. */
async function losses(backend: 'cpu' | 'wasm', loss: LossFn, regularizers: DiscriminatorRegularizer[], steps: number) {
  await useBackend(backend);
  const gan = dcgan({ resolution: 16, latentDim: 8, generatorFilters: 8, discriminatorFilters: 8, seed: 4 });
  const trainer = new Trainer(gan, { backend, batchSize: 16, seed: 2, loss, regularizers });
  const h = await trainer.fit(toyImages(64, 16), { steps });
  trainer.dispose();
  gan.dispose();
  return h.metrics.map((m) => [m.dLoss, m.gLoss, m.dPenalty ?? 0]);
}

describe('DCGAN on wasm (Conv2DBackpropFilter registered by wasmBackend().load())', () => {
  it('trains with WGAN-GP (second derivatives through convolutions) and matches cpu', async () => {
    const wasm = await losses('wasm', wassersteinLoss(), [gradientPenalty()], 3);
    const cpu = await losses('cpu', wassersteinLoss(), [gradientPenalty()], 3);
    expect(tf.getBackend()).toBe('cpu');
    wasm.flat().forEach((v, i) => expect(Math.abs(v - (cpu.flat()[i] as number))).toBeLessThan(1e-3 * Math.max(1, Math.abs(v))));
    expect(wasm[2]?.[2]).toBeGreaterThan(0);
  });

  it('learns the toy data on wasm: D separates real from fake, then samples move toward the data', async () => {
    await useBackend('wasm');
    const gan = dcgan({ resolution: 16, latentDim: 8, generatorFilters: 8, discriminatorFilters: 8, seed: 4 });
    // G in training mode (batch statistics): after a few dozen steps BN's moving averages still lag.
    const extreme = () => {
      const z = tf.randomNormal([32, 8], 0, 1, 'float32', 9) as tf.Tensor2D;
      const x = gan.generate(z, undefined, true);
      z.dispose();
      const v = Array.from(x.dataSync());
      x.dispose();
      return v.filter((p) => Math.abs(p) > 0.7).length / v.length;
    };
    const before = extreme();
    const adam = () => tf.train.adam(2e-3, 0.5);
    const trainer = new Trainer(gan, { backend: 'wasm', batchSize: 16, seed: 2, loss: hingeLoss(), optimizers: { generator: adam(), discriminator: adam() } });
    const h = await trainer.fit(toyImages(128, 16), { steps: 60 });
    expect(trainer.backend).toBe('wasm');
    const acc = Math.max(...h.metrics.slice(0, 20).map((m) => m.dAccuracy));
    const after = extreme();
    expect(acc).toBeGreaterThan(0.6);
    expect(before).toBeLessThan(0.2);
    expect(after).toBeGreaterThan(0.5);
    trainer.dispose();
    gan.dispose();
  });
});
