/**
 * The VAE on Fashion-MNIST at a reduced budget (400 steps of batch 64 with Adam 2e-3: about 20 s
 * of training and 10 s of evaluation on one idle core, wasm): mean reconstructions beat the
 * mean-image baseline by a wide margin, and prior samples reach a stated FID with the shipped
 * extractor. Measured with seed 42: MSE 0.107 vs 0.347, FID 120 at n = 2,000. Full-budget
 * numbers: docs/metrics.md (scripts/vae-reference.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backends/registry.js';
import type { ImageDataset } from '../data/dataset.js';
import { evaluate } from '../metrics/evaluate.js';
import { loadFeatureExtractor } from '../metrics/extractor/default.js';
import type { FeatureExtractor } from '../metrics/extractor/feature-extractor.js';
import { fashionSplits } from '../metrics/fashion-data.test-utils.js';
import { Rng } from '../random/rng.js';
import { tf } from '../tf.js';
import { adam } from '../training/optimizers/adam.js';
import { vaeObjective } from '../training/objectives/vae.js';
import { mlpVae } from './vae-builders.js';
import type { VaeModel } from './vae.js';

const STEPS = 400;
const BATCH = 64;
const EVAL_N = 2000;

let extractor: FeatureExtractor;
let train: ImageDataset;
let test: ImageDataset;
let vae: VaeModel;

beforeAll(async () => {
  await useBackend('wasm');
  extractor = loadFeatureExtractor();
  ({ train, test } = await fashionSplits());
  vae = mlpVae({ seed: 42 });
  const objective = vaeObjective(vae, { optimizers: { encoder: adam(2e-3), decoder: adam(2e-3) } });
  const rng = new Rng(42);
  const order = train.epochOrder(new Rng(43));
  for (let step = 1; step <= STEPS; step++) {
    const start = ((step - 1) * BATCH) % (train.size - BATCH);
    const batch = train.batch(order, start, BATCH);
    tf.dispose([batch.images, ...Object.values(tf.tidy(() => objective.step([batch], { step, rng })))]);
  }
}, 600_000); // generous: the machine's load, not the budget, sets the wall time

afterAll(() => {
  extractor?.dispose();
  vae?.dispose();
});

describe(`mlpVae on Fashion-MNIST, ${STEPS} steps of ${BATCH}`, () => {
  it('reconstructs the test images with under half the mean-image baseline MSE', () => {
    const order = new Int32Array(1000).map((_, i) => i);
    const { images } = test.batch(order, 0, 1000);
    const [mse, baseline] = tf.tidy(() => {
      const rec = vae.reconstruct(images);
      const mean = tf.mean(tf.tensor4d(train.images.subarray(0, 10_000 * 784), [10_000, 28, 28, 1]), 0, true);
      return [tf.mean(tf.squaredDifference(rec, images)).dataSync()[0]!, tf.mean(tf.squaredDifference(images, mean)).dataSync()[0]!];
    });
    images.dispose();
    console.log(`reconstruction MSE ${mse.toFixed(4)} vs mean-image baseline ${baseline.toFixed(4)} (1,000 test images, [-1, 1] units)`);
    expect(baseline).toBeGreaterThan(0.3);
    expect(mse).toBeLessThan(0.5 * baseline);
  });

  it(`prior samples reach FID < 140 at n = ${EVAL_N} (uniform noise scores about 190, the 1,000-step MLP GAN 237)`, async () => {
    const report = await evaluate(vae, { real: test, n: EVAL_N, metrics: ['fid'], extractor, seed: 0 });
    const fid = report.metrics[0]!.value;
    console.log(`sample FID ${fid.toFixed(1)} at n = ${EVAL_N}`);
    expect(fid).toBeLessThan(140);
  }, 300_000);
});
