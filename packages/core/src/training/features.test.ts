import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../tf.js';
import { TrainingDivergedError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { dcgan } from '../models/dcgan.js';
import { conditionalGanFromLayers } from '../models/conditional-gan.js';
import { hingeLoss } from '../losses/hinge.js';
import { wassersteinLoss } from '../losses/wasserstein.js';
import { relativisticAverageLoss } from '../losses/relativistic.js';
import { instanceNoise } from '../losses/instance-noise.js';
import type { DiscriminatorRegularizer } from '../losses/regularizer.js';
import { linearDecaySchedule } from './schedules.js';
import { Trainer } from './trainer.js';
import { toyImages } from './toy-data.test-utils.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small = (seed = 1) => mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed });
const copy = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));
const iterations = (o: tf.Optimizer) => (o as unknown as { iterations_: number }).iterations_;

describe('Trainer features', () => {
  it('n critic: D is updated discriminatorSteps times per step, each on its own batch', async () => {
    const gan = small();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, discriminatorSteps: 3 });
    const h = await trainer.fit(toyImages(64), { epochs: 2 });
    // 4 batches per epoch / 3 D updates per step -> 1 step per epoch.
    expect(h.steps).toBe(2);
    expect(iterations(trainer.discriminatorOptimizer)).toBe(6);
    expect(iterations(trainer.generatorOptimizer)).toBe(2);
    trainer.dispose();
    gan.dispose();
  });

  it('applies learning-rate schedules (TTUR rates) before each step; a zero rate freezes D', async () => {
    const gan = small();
    const d0 = copy(gan.discriminatorVariables());
    const rates: number[] = [];
    const trainer = new Trainer(gan, {
      backend: 'cpu',
      batchSize: 16,
      optimizers: { generator: tf.train.adam(1e-3, 0.5), discriminator: tf.train.adam(4e-3, 0.5) },
      learningRateSchedules: { generator: linearDecaySchedule(1e-3, 5), discriminator: () => 0 },
    });
    await trainer.fit(toyImages(64), {
      steps: 5,
      callbacks: [{ onStepEnd: () => void rates.push((trainer.generatorOptimizer as unknown as { learningRate: number }).learningRate) }],
    });
    expect(rates).toEqual([1e-3, 7.5e-4, 5e-4, 2.5e-4, 0].map((r, i) => (i === 4 ? 0 : r)));
    expect(copy(gan.discriminatorVariables())).toEqual(d0);
    trainer.dispose();
    gan.dispose();
  });

  it('clips gradients to a global norm', async () => {
    const change = async (clip?: number) => {
      const gan = small(3);
      const before = gan.discriminatorVariables().map((v) => v.clone());
      const trainer = new Trainer(gan, {
        backend: 'cpu',
        batchSize: 16,
        optimizers: { generator: tf.train.sgd(1), discriminator: tf.train.sgd(1) },
        ...(clip === undefined ? {} : { gradientClipNorm: clip }),
      });
      await trainer.fit(toyImages(64), { steps: 1 });
      const norm = Math.sqrt(gan.discriminatorVariables().reduce((s, v, i) => s + (tf.sum(tf.square(tf.sub(v, before[i]!))).dataSync()[0] as number), 0));
      tf.dispose(before);
      trainer.dispose();
      gan.dispose();
      return norm;
    };
    const free = await change();
    const clipped = await change(0.01);
    expect(free).toBeGreaterThan(0.05);
    expect(clipped).toBeCloseTo(0.01, 4);
  });

  it('WGAN weight clipping keeps every D weight in [-c, c]', async () => {
    const gan = small();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, loss: wassersteinLoss({ weightClip: 0.01 }), discriminatorSteps: 2 });
    await trainer.fit(toyImages(64), { steps: 3 });
    const maxAbs = Math.max(...gan.discriminatorVariables().map((v) => tf.max(tf.abs(v)).dataSync()[0] as number));
    expect(maxAbs).toBeLessThanOrEqual(0.01 + 1e-9);
    expect(maxAbs).toBeGreaterThan(0.009);
    trainer.dispose();
    gan.dispose();
  });

  it('keeps an EMA of G (copy until startStep, then decay) and samples with it', async () => {
    const gan = small();
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, ema: { decay: 0.75, startStep: 1 } });
    const seen: number[][][] = [];
    await trainer.fit(toyImages(64), { steps: 3, callbacks: [{ onStepEnd: () => void seen.push(copy(gan.generatorVariables())) }] });
    const [w1, w2, w3] = seen as [number[][], number[][], number[][]];
    const expected = w1.map((a, i) => a.map((v, j) => 0.75 * (0.75 * v + 0.25 * w2[i]![j]!) + 0.25 * w3[i]![j]!));
    const shadows = copy(trainer.ema!.shadows);
    shadows.forEach((s, i) => s.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 5)));
    const viaTrainer = trainer.sample(4, { seed: 1 });
    const live = gan.sample(4, { seed: 1 });
    gan.generatorVariables().forEach((v, i) => v.assign(trainer.ema!.shadows[i]!));
    const manual = gan.sample(4, { seed: 1 });
    expect(Array.from(viaTrainer.dataSync())).toEqual(Array.from(manual.dataSync()));
    expect(Array.from(viaTrainer.dataSync())).not.toEqual(Array.from(live.dataSync()));
    tf.dispose([viaTrainer, live, manual]);
    trainer.dispose();
    gan.dispose();
  });

  it('divergence guard: a NaN weight stops training at that step and restores the last good weights', async () => {
    const gan = small();
    let step = 0;
    let fired = false;
    // A penalty whose value is 0 but whose gradient is NaN, once, at step 3: sqrt'(0) * 0.
    const poison: DiscriminatorRegularizer = {
      name: 'poison',
      penalty: ({ model, real, step: s }) => {
        const fire = s === 3 && !fired;
        fired ||= fire;
        return tf.tidy(() => (fire ? tf.sqrt(tf.mul(tf.sum(model.discriminate(real, undefined, true)), 0)) : tf.scalar(0)) as tf.Scalar);
      },
    };
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, regularizers: [poison] });
    let good: number[][] = [];
    const data = toyImages(64);
    const error = await trainer
      .fit(data, { steps: 5, callbacks: [{ onStepEnd: (m) => void ((step = m.step), (good = copy([...gan.generatorVariables(), ...gan.discriminatorVariables()]))) }] })
      .catch((e: unknown) => e);
    expect(TrainingDivergedError.isInstance(error)).toBe(true);
    expect((error as TrainingDivergedError).step).toBe(3);
    expect((error as Error).message).toMatch(/step 3.*weights and optimizer state of step 2 were restored/);
    expect(step).toBe(2);
    expect(trainer.globalStep).toBe(2);
    expect(copy([...gan.generatorVariables(), ...gan.discriminatorVariables()])).toEqual(good);
    // Training can go on from the good state (the poison only fires at step 3).
    const h = await trainer.fit(data, { steps: 1 });
    expect(Number.isFinite(h.metrics[0]!.dLoss)).toBe(true);
    trainer.dispose();
    gan.dispose();
  });

  it('passes dataset labels to G and D: a conditional GAN learns a class-dependent image', async () => {
    const z = tfl.input({ shape: [8] });
    const y = tfl.input({ shape: [2] });
    const h = tfl.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }).apply(tfl.layers.concatenate().apply([z, y]));
    const out = tfl.layers.dense({ units: 64, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }).apply(h);
    const g = tfl.model({ inputs: [z, y], outputs: tfl.layers.reshape({ targetShape: [8, 8, 1] }).apply(out) as tfl.SymbolicTensor });
    const x = tfl.input({ shape: [8, 8, 1] });
    const dy = tfl.input({ shape: [2] });
    const dh = tfl.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }).apply(
      tfl.layers.concatenate().apply([tfl.layers.flatten().apply(x) as tfl.SymbolicTensor, dy]),
    );
    const d = tfl.model({ inputs: [x, dy], outputs: tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }).apply(dh) as tfl.SymbolicTensor });
    const gan = conditionalGanFromLayers(g, d, { numClasses: 2 });
    const adam = () => tf.train.adam(5e-3, 0.5);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 32, seed: 1, optimizers: { generator: adam(), discriminator: adam() } });
    await trainer.fit(toyImages(256, 8, true), { steps: 250 });
    const topMinusBottom = (label: number) => {
      const img = gan.sample(16, { seed: 5, labels: Array(16).fill(label) });
      const v = tf.tidy(() => {
        const top = tf.mean(tf.slice(img, [0, 0, 0, 0], [16, 4, 8, 1]));
        const bottom = tf.mean(tf.slice(img, [0, 4, 0, 0], [16, 4, 8, 1]));
        return tf.sub(top, bottom).dataSync()[0] as number;
      });
      img.dispose();
      return v;
    };
    // Real class 0: top brighter by 1.9, class 1: bottom brighter by 1.9.
    const c0 = topMinusBottom(0);
    const c1 = topMinusBottom(1);
    // Same latents, different labels: an unconditional G would give c0 === c1.
    expect(c0).toBeGreaterThan(0.3);
    expect(c1).toBeLessThan(-0.3);
    expect(c0 - c1).toBeGreaterThan(1);
    await expect(trainer.fit(toyImages(64), { steps: 1 })).rejects.toThrow(/no labels/);
    trainer.dispose();
    gan.dispose();
  });

  it('ACGAN: adds the class loss to D and G; D learns to classify real images', async () => {
    const gan = dcgan({ resolution: 8, latentDim: 8, numClasses: 2, conditioning: 'acgan', generatorFilters: 4, discriminatorFilters: 4, seed: 1 });
    const adam = () => tf.train.adam(2e-3, 0.5);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, seed: 1, loss: hingeLoss(), optimizers: { generator: adam(), discriminator: adam() } });
    const h = await trainer.fit(toyImages(64, 8, true), { steps: 30 });
    const cls = h.metrics.map((m) => m.dClassLoss as number);
    expect(h.metrics[0]!.gClassLoss).toBeGreaterThan(0);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Starts near 2 ln 2 (real + fake, two classes), falls as D learns the classes.
    expect(avg(cls.slice(0, 3))).toBeGreaterThan(1.2);
    expect(avg(cls.slice(-5))).toBeLessThan(0.5 * avg(cls.slice(0, 3)));
    trainer.dispose();
    gan.dispose();
  });

  it('trains G\'s BatchNorm in training mode: moving statistics change, and inference sampling is batch independent', async () => {
    const gan = dcgan({ resolution: 8, latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed: 1 });
    const movingBefore = gan.generator.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    expect(movingBefore.length).toBe(2); // moving mean and variance of the BN layer (one stage at 8x8)
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, seed: 1 });
    await trainer.fit(toyImages(64), { steps: 3 });
    const movingAfter = gan.generator.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    movingAfter.forEach((m, i) => expect(m).not.toEqual(movingBefore[i]));
    const a = gan.sample(4, { seed: 2 });
    const b = gan.sample(4, { seed: 2 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
    trainer.dispose();
    gan.dispose();
  });

  it('instance noise and the relativistic loss run deterministically and change the run', async () => {
    const run = async (noise: boolean) => {
      const gan = small(7);
      const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 16, seed: 2, loss: relativisticAverageLoss(), ...(noise ? { instanceNoise: instanceNoise({ stddev: 0.3 }) } : {}) });
      const h = await trainer.fit(toyImages(64), { steps: 3 });
      trainer.dispose();
      gan.dispose();
      return h.metrics.map((m) => m.dLoss);
    };
    const a = await run(true);
    expect(await run(true)).toEqual(a);
    expect(await run(false)).not.toEqual(a);
    a.forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });

  it('does not leak tensors with EMA, a penalty, n critic and the guard on', async () => {
    const { gradientPenalty } = await import('../losses/gradient-penalty.js');
    const gan = dcgan({ resolution: 8, latentDim: 8, generatorFilters: 2, discriminatorFilters: 2, seed: 1 });
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, loss: wassersteinLoss(), regularizers: [gradientPenalty()], discriminatorSteps: 2, ema: true });
    const data = toyImages(32);
    await trainer.fit(data, { steps: 1 });
    const before = tf.memory().numTensors;
    const h = await trainer.fit(data, { steps: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.metrics[4]!.dPenalty).toBeGreaterThanOrEqual(0);
    trainer.dispose();
    gan.dispose();
  });
});
