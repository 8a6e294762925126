/**
 * The small-data bar of issue 12 at a reduced budget: on the first 1,000 Fashion-MNIST training
 * images, the same model, seed and step budget trained with DiffAugment must reach a lower FID
 * (shipped extractor, the same held-out reference images, n and latent seed for both arms) than
 * without augmentation. The setting is the one of docs/augmentation.md where D can overfit: a
 * 64-filter D against a 16-filter G, D's Adam at 8e-4 (G's 2e-4), batch 32. The script
 * (scripts/diffaugment-small-data.ts --filters 16 --d-filters 64 --d-lr 8e-4) measured, at 1,000
 * steps, DiffAugment 68.4 against none 78.7; this test repeats that run exactly (9.9 minutes for both arms
 * on one core, reproducing 68.4 and 78.7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backends/registry.js';
import type { ImageDataset } from '../data/dataset.js';
import { evaluate } from '../metrics/evaluate.js';
import { loadFeatureExtractor } from '../metrics/extractor/default.js';
import type { FeatureExtractor } from '../metrics/extractor/feature-extractor.js';
import { fashionSplits } from '../metrics/fashion-data.test-utils.js';
import { dcgan } from '../models/dcgan.js';
import { adam } from '../training/optimizers/adam.js';
import { tf } from '../tf.js';
import { Trainer } from '../training/trainer.js';
import { diffAugment } from './diff-augment.js';
import type { Augmentation } from './types.js';

const TRAIN = 1000;
const STEPS = 1000;
const BATCH = 32;
const FILTERS = 16;
const D_FILTERS = 64;
const D_LEARNING_RATE = 8e-4;
const EVAL_N = 2000;
const SEED = 1;

let extractor: FeatureExtractor;
let train: ImageDataset;
let test: ImageDataset;

beforeAll(async () => {
  await useBackend('wasm');
  extractor = loadFeatureExtractor();
  const splits = await fashionSplits();
  train = splits.train.take(TRAIN);
  test = splits.test;
});

afterAll(async () => {
  extractor?.dispose();
  await tf.setBackend('cpu');
});

/** FID after STEPS steps of the script's run (16-filter G, 64-filter D at 4x G's rate) with `augment` or none. */
async function fidAfterTraining(augment: Augmentation | undefined): Promise<number> {
  const gan = dcgan({ seed: SEED, generatorFilters: FILTERS, discriminatorFilters: D_FILTERS });
  const optimizers = { generator: adam(2e-4, 0.5), discriminator: adam(D_LEARNING_RATE, 0.5) };
  const trainer = new Trainer(gan, { backend: 'wasm', batchSize: BATCH, seed: SEED, optimizers, ...(augment ? { augment } : {}) });
  await trainer.fit(train, { steps: STEPS });
  const report = await evaluate(gan, { real: test, n: EVAL_N, metrics: ['fid'], extractor, seed: 0 });
  trainer.dispose();
  gan.dispose();
  return report.metrics[0]!.value;
}

describe(`DiffAugment on ${TRAIN} Fashion-MNIST images, ${STEPS} steps of ${BATCH}`, () => {
  it("diffAugment(['translation', 'cutout']) gives a lower FID than no augmentation, by more than 5", async () => {
    const before = tf.memory().numTensors;
    const none = await fidAfterTraining(undefined);
    const augmented = await fidAfterTraining(diffAugment(['translation', 'cutout']));
    console.log(`FID at ${STEPS} steps, n = ${EVAL_N}: none ${none.toFixed(1)}, DiffAugment ${augmented.toFixed(1)}`);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(none) && Number.isFinite(augmented)).toBe(true);
    // Measured by the script: DiffAugment 68.4, none 78.7.
    expect(augmented).toBeLessThan(none - 5);
  }, 1_200_000); // generous: the machine's load, not the budget, sets the wall time
});
