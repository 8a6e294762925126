import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { dcgan } from '../models/dcgan.js';
import { ExponentialMovingAverage, batchNormLayers, recalibrateBatchNorm } from './ema.js';
import { Trainer } from './trainer.js';
import { toyImages } from './toy-data.test-utils.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny 16x16 DCGAN: G has two batch-norm layers. */
const tinyGan = (seed: number) => dcgan({ seed, resolution: 16, latentDim: 3, generatorFilters: 4, discriminatorFilters: 4, kernelSize: 3 });

describe('ExponentialMovingAverage', () => {
  it('keeps the plain decay by default and ramps it as min(decay, (1 + t) / (10 + t)) with warmup', () => {
    const v = tf.variable(tf.scalar(0));
    const plain = new ExponentialMovingAverage([v], { decay: 0.99, startStep: 2 });
    expect([1, 2, 3, 1000].map((s) => plain.decayAt(s))).toEqual([0, 0, 0.99, 0.99]);
    const ramp = new ExponentialMovingAverage([v], { decay: 0.99, startStep: 2, warmup: true });
    expect(ramp.decayAt(2)).toBe(0);
    expect(ramp.decayAt(3)).toBeCloseTo(2 / 11, 12);
    expect(ramp.decayAt(102)).toBeCloseTo(101 / 110, 12);
    expect(ramp.decayAt(10_000)).toBe(0.99);
    expect(ramp.config).toEqual({ decay: 0.99, startStep: 2, warmup: true });
    // The average follows the ramp: w = 1 at step 3, 2 at step 4.
    v.assign(tf.scalar(1));
    ramp.update(3);
    v.assign(tf.scalar(2));
    ramp.update(4);
    const d3 = 2 / 11;
    const d4 = 3 / 12;
    const expected = (0 * d3 + 1 * (1 - d3)) * d4 + 2 * (1 - d4);
    expect(ramp.shadows[0]!.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(() => new ExponentialMovingAverage([v], { warmup: 'yes' as unknown as boolean })).toThrow(InvalidArgumentError);
    plain.dispose();
    ramp.dispose();
    v.dispose();
  });

  it('recalibrates batch-norm statistics to the mean of G\'s own batch statistics', () => {
    const gan = tinyGan(1);
    const layers = batchNormLayers(gan.generator);
    expect(layers).toHaveLength(2);
    const options = { batches: 3, batchSize: 16, seed: 5 };
    // Independently: the inputs of each BN layer on the same latents, G in training mode.
    const bnIndex = gan.generator.layers.findIndex((l) => l.getClassName() === 'BatchNormalization');
    const probe = tfl.model({ inputs: gan.generator.inputs, outputs: gan.generator.layers[bnIndex]!.input as tfl.SymbolicTensor });
    const expectedMean = tf.tidy(() => {
      const means = [0, 1, 2].map((i) => {
        const z = tf.randomNormal([16, 3], 0, 1, 'float32', 5 * 7919 + i + 1);
        return tf.mean(probe.apply(z, { training: true }) as tf.Tensor, 0);
      });
      return Array.from(tf.div(tf.addN(means), 3).dataSync());
    });
    const before = tf.memory().numTensors;
    expect(recalibrateBatchNorm(gan, options)).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    const got = Array.from(layers[0]!.movingMean.read().dataSync());
    got.forEach((m, i) => expect(m).toBeCloseTo(expectedMean[i] as number, 4));
    expect(layers.map((l) => l.momentum)).toEqual([0.99, 0.99]);
    gan.dispose();
  });

  it('with batchNorm, apply() samples with recalibrated statistics and puts weights and live statistics back', async () => {
    const gan = tinyGan(2);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 3, ema: { decay: 0.9, warmup: true, batchNorm: { model: gan, batches: 2, batchSize: 16 } } });
    await trainer.fit(toyImages(32, 16), { steps: 4 });
    const ema = trainer.ema!;
    expect(ema.warmup).toBe(true);
    const snapshot = () => gan.generator.weights.map((w) => Array.from(w.read().dataSync()));
    const live = snapshot();
    const before = tf.memory().numTensors;
    let inside: number[][] = [];
    const samples = ema.apply(() => {
      inside = snapshot();
      return gan.sample(4, { seed: 1 });
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    samples.dispose();
    expect(snapshot()).toEqual(live);
    // Inside: the averaged trainable weights and recalibrated (changed) moving statistics.
    const names = gan.generator.weights.map((w) => w.name);
    const movingMean = names.findIndex((n) => n.includes('moving_mean'));
    expect(inside[movingMean]).not.toEqual(live[movingMean]);
    const expectedStats = (() => {
      const shadowed = ema.apply(() => {
        recalibrateBatchNorm(gan, { batches: 2, batchSize: 16 });
        return Array.from(batchNormLayers(gan.generator)[0]!.movingMean.read().dataSync());
      });
      return shadowed;
    })();
    // (tfjs' moving-average arithmetic, orig - (orig - x), is exact only to float rounding.)
    inside[movingMean]!.forEach((m, i) => expect(m).toBeCloseTo(expectedStats[i] as number, 6));
    // An async fn keeps the averaged weights until its promise settles.
    const asyncInside = await ema.apply(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return snapshot();
    });
    expect(asyncInside).toEqual(inside);
    expect(snapshot()).toEqual(live);
    const plainSample = trainer.sample(2, { seed: 1 });
    expect(plainSample.shape).toEqual([2, 16, 16, 1]);
    plainSample.dispose();
    trainer.dispose();
    gan.dispose();
  });

  it('Trainer.fromCheckpoint takes ema.batchNorm back (model: the resumed one) and samples as the saved trainer does', async () => {
    const gan = tinyGan(4);
    const batchNorm = { batches: 2, batchSize: 16 };
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 3, ema: { decay: 0.9, warmup: true, batchNorm: { model: gan, ...batchNorm } } });
    await trainer.fit(toyImages(32, 16), { steps: 3 });
    const checkpoint = await trainer.checkpoint();
    const values = (t: tf.Tensor) => {
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const saved = values(trainer.sample(3, { seed: 2 }));
    const withBn = await Trainer.fromCheckpoint(checkpoint, { backend: 'cpu', ema: { batchNorm } });
    const withoutBn = await Trainer.fromCheckpoint(checkpoint, { backend: 'cpu' });
    expect(withBn.ema!.warmup).toBe(true);
    expect(values(withBn.sample(3, { seed: 2 }))).toEqual(saved);
    // Without it the resumed EMA samples with the live statistics: different images.
    expect(values(withoutBn.sample(3, { seed: 2 }))).not.toEqual(saved);
    for (const t of [withBn, withoutBn]) {
      t.dispose();
      (t.model as { dispose(): void }).dispose();
    }
    // A checkpoint without an EMA has nothing to recalibrate: the caller's option is named.
    const plain = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 3 });
    const error = await Trainer.fromCheckpoint(await plain.checkpoint(), { backend: 'cpu', ema: { batchNorm } }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error) && (error as InvalidArgumentError).argument).toBe('ema.batchNorm');
    plain.dispose();
    trainer.dispose();
    gan.dispose();
  });

  it('rejects batchNorm without a model', () => {
    const v = tf.variable(tf.scalar(0));
    expect(() => new ExponentialMovingAverage([v], { batchNorm: {} as never })).toThrow(InvalidArgumentError);
    v.dispose();
  });
});
