import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { InvalidArgumentError, ModelFormatError, ShapeMismatchError } from '../errors.js';
import { Trainer, type TrainerOptions } from '../training/trainer.js';
import { wassersteinLoss } from '../losses/wasserstein.js';
import { gradientPenalty } from '../losses/gradient-penalty.js';
import { toyImages } from '../training/toy-data.test-utils.js';
import type { TrainHistory } from '../training/types.js';
import '../node/checkpoint/index.js';
import { saveGenerator } from '../node/model-io.js';
import { ganFromFunctions, type FunctionalGanOptions } from './functional-gan.js';
import { mlpGan } from './mlp-gan.js';
import type { GanModel } from './types.js';

const temps: string[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const dense = (x: tf.Tensor, w: tf.Variable, b: tf.Variable, activation?: 'relu'): tf.Tensor2D =>
  tf.fused.matMul({ a: x as tf.Tensor2D, b: w as unknown as tf.Tensor2D, bias: b, ...(activation ? { activation } : {}) }) as tf.Tensor2D;

/**
 * The same network as `mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32],
 * discriminatorUnits: [32] })`, written as functions over copies of `from`'s weights.
 */
function functionalTwin(from: GanModel, extra: Partial<FunctionalGanOptions> = {}) {
  const copy = (vs: tf.Variable[]) => vs.map((v) => tf.variable(v.clone(), true));
  const [gw1, gb1, gw2, gb2] = copy(from.generatorVariables()) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const [dw1, db1, dw2, db2] = copy(from.discriminatorVariables()) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  return ganFromFunctions({
    latentDim: 8,
    imageShape: [8, 8, 1],
    generator: {
      apply: (z) => tf.reshape(tf.tanh(dense(dense(z, gw1, gb1, 'relu'), gw2, gb2)), [-1, 8, 8, 1]),
      variables: [gw1, gb1, gw2, gb2],
    },
    discriminator: {
      apply: (x) => dense(dense(tf.reshape(x, [-1, 64]), dw1, db1, 'relu'), dw2, db2),
      variables: [dw1, db1, dw2, db2],
    },
    ...extra,
  });
}

const small = (seed = 1) => mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed });

/** A functional GAN whose D keeps a running mean of its input (non-trainable state, updated in training mode). */
function statefulGan(seed: number) {
  const init = (shape: number[], s: number) => tf.variable(tf.randomNormal(shape, 0, 0.2, 'float32', seed * 10 + s), true);
  const gw = init([4, 16], 1);
  const gb = tf.variable(tf.zeros([16]), true);
  const dw = init([16, 1], 2);
  const db = tf.variable(tf.zeros([1]), true);
  const mean = tf.variable(tf.zeros([16]), false, `running-mean-${seed}-${Math.random()}`);
  return ganFromFunctions({
    latentDim: 4,
    imageShape: [4, 4, 1],
    generator: { apply: (z) => tf.reshape(tf.tanh(tf.add(tf.matMul(z, gw), gb)), [-1, 4, 4, 1]), variables: [gw, gb] },
    discriminator: {
      apply: (x, { training }) => {
        const flat = tf.reshape(x, [-1, 16]) as tf.Tensor2D;
        if (training) mean.assign(tf.tidy(() => tf.add(tf.mul(mean, 0.9), tf.mul(tf.mean(flat, 0), 0.1))));
        return tf.add(tf.matMul(tf.sub(flat, mean), dw), db);
      },
      variables: [dw, db],
      state: [mean],
    },
  });
}

/** Losses and every weight of a trainer's model as exact bit patterns. */
function fingerprint(model: GanModel, history: TrainHistory): { losses: number[][]; weights: number[][] } {
  const all = [...(model.generatorWeights?.() ?? []), ...(model.discriminatorWeights?.() ?? [])];
  return {
    losses: history.metrics.map((m) => [m.dLoss, m.gLoss]),
    weights: all.map((v) => Array.from(new Uint32Array(new Float32Array(v.dataSync()).buffer))),
  };
}

describe('ganFromFunctions', () => {
  const objectives: Array<[string, () => Partial<TrainerOptions>]> = [
    ['non-saturating', () => ({})],
    ['WGAN-GP, n critic 2', () => ({ loss: wassersteinLoss(), regularizers: [gradientPenalty({ weight: 10 })], discriminatorSteps: 2 })],
  ];
  for (const [name, extra] of objectives) {
    it(`trains exactly like the same network built from layers (${name}; bitwise on cpu)`, async () => {
      const layers = small(3);
      const functional = functionalTwin(layers);
      const data = toyImages(64);
      const run = async (model: GanModel) => {
        const trainer = new Trainer(model, { backend: 'cpu', batchSize: 16, seed: 5, ...extra() });
        const h = await trainer.fit(data, { steps: 6 });
        trainer.dispose();
        return {
          losses: h.metrics.map((m) => [m.dLoss, m.gLoss, m.dAccuracy, m.dPenalty ?? 0]),
          weights: [...model.generatorVariables(), ...model.discriminatorVariables()].map((v) => Array.from(v.dataSync())),
        };
      };
      const a = await run(layers);
      const b = await run(functional);
      expect(b.losses).toEqual(a.losses);
      expect(b.weights).toEqual(a.weights);
      // The weights moved: training really happened.
      expect(a.losses[0]).not.toEqual(a.losses[5]);
      layers.dispose();
      functional.dispose();
    });
  }

  it('learns the toy data and leaks no tensors across steps', async () => {
    const gan = functionalTwin(small(2));
    const adam = () => tf.train.adam(2e-3, 0.5);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 32, seed: 2, optimizers: { generator: adam(), discriminator: adam() } });
    const data = toyImages(256);
    await trainer.fit(data, { steps: 1 });
    const before = tf.memory().numTensors;
    const h = await trainer.fit(data, { steps: 299 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.max(...h.metrics.slice(0, 100).map((m) => m.dAccuracy))).toBeGreaterThan(0.75);
    const samples = gan.sample(64, { seed: 9 });
    const values = Array.from(samples.dataSync());
    samples.dispose();
    // Real pixels are -1 or 0.9; G learned to output near-extreme values.
    expect(values.filter((v) => Math.abs(v) > 0.8).length / values.length).toBeGreaterThan(0.6);
    trainer.dispose();
    gan.dispose();
  });

  it('saves non-trainable state and resumes bitwise with a user-built model (memory and disk)', async () => {
    const data = toyImages(64, 4);
    const options = { backend: 'cpu' as const, batchSize: 8, seed: 7, ema: { decay: 0.9 } };
    const whole = new Trainer(statefulGan(1), options);
    const full = fingerprint(whole.model, await whole.fit(data, { steps: 8 }));

    const first = new Trainer(statefulGan(1), options);
    const h1 = await first.fit(data, { steps: 4 });
    const meanAfter4 = Array.from(first.model.discriminatorWeights()[2]?.dataSync() ?? []);
    expect(meanAfter4.some((v) => v !== 0)).toBe(true);
    const checkpoint = await first.checkpoint();
    expect(checkpoint.state.model.networks).toEqual({});
    expect(checkpoint.state.model.kind).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'aigc-functional-'));
    temps.push(dir);
    await first.save(dir);

    // Another model instance (other initial weights, zero state) gets the saved values.
    for (const resume of [
      () => Trainer.fromCheckpoint(checkpoint, { model: statefulGan(2), backend: 'cpu' }),
      () => Trainer.resume(dir, { model: statefulGan(3), backend: 'cpu' }),
    ]) {
      const second = await resume();
      expect(Array.from(second.model.discriminatorWeights()[2]?.dataSync() ?? [])).toEqual(meanAfter4);
      const h2 = await second.fit(data, { steps: 4 });
      const joined = fingerprint(second.model, h2);
      expect([...h1.metrics, ...h2.metrics].map((m) => [m.dLoss, m.gLoss])).toEqual(full.losses);
      expect(joined.weights).toEqual(full.weights);
      second.dispose();
      second.model.dispose();
    }
    await expect(Trainer.resume(dir, { backend: 'cpu' })).rejects.toThrow(/custom GanModel.*options\.model/);
    await expect(Trainer.resume(dir, { backend: 'cpu', model: functionalTwin(small(1)) })).rejects.toBeInstanceOf(ModelFormatError);
    whole.dispose();
    first.dispose();
  });

  it('passes labels to both functions for conditional models and cycles classes in sample()', async () => {
    const w = tf.variable(tf.zeros([1]), true);
    const v = tf.variable(tf.zeros([1]), true);
    const seen: number[][] = [];
    const gan = ganFromFunctions({
      latentDim: 2,
      imageShape: [2, 2, 1],
      numClasses: 3,
      // Each image is filled with its class label (plus w, so G has a variable).
      generator: {
        apply: (z, { labels }) =>
          tf.add(tf.add(tf.tile(tf.reshape(tf.cast(labels as tf.Tensor1D, 'float32'), [-1, 1, 1, 1]), [1, 2, 2, 1]), w), tf.mul(tf.sum(z), 0)),
        variables: [w],
      },
      discriminator: {
        apply: (x, { labels }) => {
          seen.push(Array.from((labels as tf.Tensor1D).dataSync()));
          return tf.add(tf.reshape(tf.mean(x, [1, 2, 3]), [-1, 1]), v);
        },
        variables: [v],
      },
    });
    const images = gan.sample(5);
    expect(Array.from(images.dataSync()).filter((_, i) => i % 4 === 0)).toEqual([0, 1, 2, 0, 1]);
    images.dispose();
    const z = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => gan.generate(z)).toThrow(InvalidArgumentError);
    const labels = tf.tensor1d([2, 1], 'int32');
    const fake = gan.generate(z, labels);
    tf.dispose([gan.discriminate(fake, labels), fake, z, labels]);
    expect(seen.at(-1)).toEqual([2, 1]);
    gan.dispose();
    expect(w.isDisposed && v.isDisposed).toBe(true);
  });

  it('reports shape mismatches with both shapes and rejects bad variable lists', async () => {
    const w = tf.variable(tf.zeros([4, 16]), true);
    const d = tf.variable(tf.zeros([16, 1]), true);
    const frozen = tf.variable(tf.zeros([1]), false);
    const gen = { apply: (z: tf.Tensor2D) => tf.reshape(tf.matMul(z, w), [-1, 4, 4, 1]) as tf.Tensor4D, variables: [w] };
    const disc = { apply: (x: tf.Tensor4D) => tf.matMul(tf.reshape(x, [-1, 16]), d) as tf.Tensor2D, variables: [d] };
    const base = { latentDim: 4, imageShape: [4, 4, 1] as const, generator: gen, discriminator: disc };
    const before = tf.memory().numTensors;

    let error: unknown;
    try {
      ganFromFunctions({ ...base, imageShape: [2, 8, 1] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect((error as ShapeMismatchError).message).toMatch(/returned \[2, 4, 4, 1\].*\[2, 8, 1\]/);
    expect((error as ShapeMismatchError).expected).toEqual([2, 2, 8, 1]);
    expect((error as ShapeMismatchError).actual).toEqual([2, 4, 4, 1]);

    const wideD = { apply: (x: tf.Tensor4D) => tf.reshape(x, [-1, 16]) as tf.Tensor2D, variables: [d] };
    expect(() => ganFromFunctions({ ...base, discriminator: wideD })).toThrow(/returned \[2, 16\] for generator output \[2, 4, 4, 1\]/);
    expect(() => ganFromFunctions({ ...base, discriminator: { ...disc, variables: [d, w] } })).toThrow(/listed in generator.variables and in discriminator.variables/);
    expect(() => ganFromFunctions({ ...base, generator: { ...gen, variables: [w, frozen] } })).toThrow(/not trainable; move it to the network's state/);
    expect(() => ganFromFunctions({ ...base, generator: { ...gen, variables: [] } })).toThrow(InvalidArgumentError);
    const plain = tf.zeros([1]);
    expect(() => ganFromFunctions({ ...base, generator: { ...gen, variables: [plain] as unknown as tf.Variable[] } })).toThrow(/tf\.Variable/);
    plain.dispose();
    expect(() => ganFromFunctions({ ...base, latentDim: 0 })).toThrow(InvalidArgumentError);
    expect(() => ganFromFunctions({ ...base, numClasses: 1 })).toThrow(/numClasses/);
    expect(() => ganFromFunctions({ ...base, generator: { variables: [w] } as never })).toThrow(/generator.apply/);
    // The probe left nothing behind.
    expect(tf.memory().numTensors).toBe(before);

    const gan = ganFromFunctions(base);
    await expect(saveGenerator(gan, join(tmpdir(), 'aigc-never-written'))).rejects.toThrow(/has none.*trainer\.save/);
    const z = tf.zeros([3, 5]) as tf.Tensor2D;
    expect(() => gan.generate(z)).toThrow(ShapeMismatchError);
    z.dispose();
    gan.dispose();
    frozen.dispose();
  });

  it('runs the docs/custom-models.md example', async () => {
    const v = (shape: number[], seed: number) => tf.variable(tf.randomNormal(shape, 0, 0.05, 'float32', seed));
    const [gw1, gb1, gw2, gb2] = [v([64, 256], 1), tf.variable(tf.zeros([256])), v([256, 784], 2), tf.variable(tf.zeros([784]))];
    const [dw1, db1, dw2, db2] = [v([784, 256], 3), tf.variable(tf.zeros([256])), v([256, 1], 4), tf.variable(tf.zeros([1]))];
    const gan = ganFromFunctions({
      latentDim: 64,
      imageShape: [28, 28, 1],
      generator: {
        apply: (z) => tf.reshape(tf.tanh(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, gw1), gb1)), gw2), gb2)), [-1, 28, 28, 1]),
        variables: [gw1, gb1, gw2, gb2],
      },
      discriminator: {
        apply: (x) => tf.add(tf.matMul(tf.leakyRelu(tf.add(tf.matMul(tf.reshape(x, [-1, 784]), dw1), db1), 0.2), dw2), db2),
        variables: [dw1, db1, dw2, db2],
      },
    });
    const trainer = new Trainer(gan, { batchSize: 16, backend: 'cpu' });
    const before = Array.from(gw2.dataSync());
    const h = await trainer.fit(toyImages(32, 28), { steps: 2 });
    expect(h.metrics.every((m) => Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss))).toBe(true);
    expect(Array.from(gw2.dataSync())).not.toEqual(before);
    trainer.dispose();
    gan.dispose();
  });
});
