/**
 * Divergence: a NaN loss stops training with a TrainingDivergedError naming the step, and the
 * model keeps the weights of the last good step (the divergence guard restores them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageDataset, Trainer, TrainingDivergedError, mlpGan, nonSaturatingLoss, tf, type LossFn } from '@aigc/core';

const data = ImageDataset.fromArrays({
  images: new Float32Array(32 * 16).map((_, i) => Math.sin(i) * 0.9),
  imageShape: [4, 4, 1],
});
const tiny = () => mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 1 });
const weightsOf = (gan: ReturnType<typeof tiny>) =>
  [...gan.generator.getWeights(), ...gan.discriminator.getWeights()].map((w) => Array.from(w.dataSync()));

/** The non-saturating loss, except that D's loss is NaN on call number `badCall`. */
function nanOnCall(badCall: number): LossFn {
  const base = nonSaturatingLoss();
  let calls = 0;
  return {
    ...base,
    discriminatorLoss: (real, fake) => {
      const loss = base.discriminatorLoss(real, fake);
      return ++calls === badCall ? tf.mul(loss, NaN) : loss;
    },
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a NaN loss', () => {
  it('stops fit at the step it happened, names it, and keeps the last good weights', async () => {
    const gan = tiny();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 1, loss: nanOnCall(5) });
    let good: number[][] = [];
    const tensorsBefore = tf.memory().numTensors;
    const error = await trainer
      .fit(data, { steps: 10, callbacks: [{ onStepEnd: () => void (good = weightsOf(gan)) }] })
      .catch((e: unknown) => e);
    expect(TrainingDivergedError.isInstance(error), String(error)).toBe(true);
    const diverged = error as TrainingDivergedError;
    expect(diverged.step).toBe(5);
    expect(diverged.message).toMatch(/step 5/);
    expect(diverged.message).toMatch(/Lower the learning rates|check the data/);
    expect(trainer.globalStep).toBe(4);
    expect(weightsOf(gan)).toEqual(good);
    expect(weightsOf(gan).flat().every(Number.isFinite)).toBe(true);
    // Training can go on from the kept weights.
    const more = await trainer.fit(data, { steps: 3 });
    expect(more.globalStep).toBe(7);
    expect(more.metrics.every((m) => Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss))).toBe(true);
    trainer.dispose();
    gan.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(tensorsBefore);
  });

  it('from NaN images given to step() keeps the weights from before that step', async () => {
    const gan = tiny();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 1 });
    await trainer.fit(data, { steps: 2 });
    const good = weightsOf(gan);
    const images = tf.fill([8, 4, 4, 1], NaN) as tf.Tensor4D;
    const error = await trainer.step({ images }).catch((e: unknown) => e);
    images.dispose();
    expect(TrainingDivergedError.isInstance(error), String(error)).toBe(true);
    expect((error as TrainingDivergedError).step).toBe(3);
    expect(weightsOf(gan)).toEqual(good);
    trainer.dispose();
    gan.dispose();
  });
});
