import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import type { ImageGenerator } from '../models/types.js';
import { ImageDataset } from '../data/dataset.js';
import type { TrainingObjective } from './objective.js';
import { registerObjective } from './objectives.js';
import { Trainer } from './trainer.js';

/** A toy "decoder" family: images = tanh(z W), trained to reproduce the data mean from a fixed latent; it has `encode`, so no GAN. */
interface ToyModel extends ImageGenerator {
  readonly w: tf.Variable;
  encode(images: tf.Tensor4D): tf.Tensor2D;
}

function toyModel(seed: number): ToyModel {
  const w = tf.variable(tf.randomNormal([2, 4], 0, 0.5, 'float32', seed), true);
  const generate = (z: tf.Tensor2D) => tf.tidy(() => tf.reshape(tf.tanh(tf.matMul(z, w)), [-1, 2, 2, 1]) as tf.Tensor4D);
  return {
    w,
    latentDim: 2,
    imageShape: [2, 2, 1],
    numClasses: undefined,
    generate,
    sample: (n) => generate(tf.ones([n, 2])),
    encode: (images) => tf.zeros([images.shape[0], 2]),
    dispose: () => w.dispose(),
  };
}

function toyObjective(model: ToyModel, lr = 0.1): TrainingObjective {
  return {
    name: 'toy',
    networks: [{ name: 'generator', variables: [model.w], weights: [model.w], optimizer: tf.train.adam(lr) }],
    batchesPerStep: 1,
    config: { lr },
    step(batches, ctx) {
      const images = batches[0]!.images;
      const jitter = ctx.rng.nextFloat() * 0.01;
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(tf.add(model.sample(images.shape[0]), jitter), images))) as tf.Scalar, [model.w]);
      this.networks[0]!.optimizer.applyGradients(grads);
      return { loss: value };
    },
  };
}

const data = ImageDataset.fromArrays({ images: new Float32Array(16 * 4).map((_, i) => (i % 4) * 0.3 - 0.4), imageShape: [2, 2, 1] });

describe('your own objective', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains through { objective }, with named metrics, and resumes exactly when the objective is passed again', async () => {
    const model = toyModel(1);
    const t = new Trainer(model, { backend: 'cpu', batchSize: 4, objective: toyObjective(model), ema: true });
    const h = await t.fit(data, { steps: 30 });
    expect(Object.keys(h.metrics[0]!).sort()).toEqual(['epoch', 'loss', 'step']);
    expect(h.metrics[29]!.loss).toBeLessThan(h.metrics[0]!.loss as number);
    const saved = await t.checkpoint();
    expect(saved.state.config.objective).toEqual({ name: 'toy', config: { lr: 0.1 } });
    expect(saved.arrays.map((a) => a.name)).toContain('optimizer/generator/slot/0');
    const next = await t.fit(data, { steps: 3 });

    const again = toyModel(5);
    const r = await Trainer.fromCheckpoint(saved, { model: again, objective: toyObjective(again), backend: 'cpu' });
    expect(r.globalStep).toBe(30);
    expect((await r.fit(data, { steps: 3 })).metrics).toEqual(next.metrics);
    expect(() => t.loss).toThrow(/GAN objective/);
    for (const x of [t, r]) x.dispose();
    for (const m of [model, again]) m.dispose();
  });

  it('plugs in by registration: a matching model trains with it, and its checkpoints resume by name', async () => {
    registerObjective('toy', {
      matches: (m) => typeof (m as Partial<ToyModel>).encode === 'function',
      create: (m, o) => toyObjective(m as ToyModel, (o as { toyRate?: number }).toyRate ?? 0.1),
      optionsFromConfig: (c) => ({ toyRate: c['lr'] }) as never,
    });
    const model = toyModel(2);
    const t = new Trainer(model, { backend: 'cpu', batchSize: 4, toyRate: 0.05 } as never);
    expect(t.objective.name).toBe('toy');
    await t.fit(data, { steps: 2 });
    const saved = await t.checkpoint();
    expect(saved.state.config.objective.config).toEqual({ lr: 0.05 });
    const next = await t.fit(data, { steps: 2 });
    const again = toyModel(7);
    const r = await Trainer.fromCheckpoint(saved, { model: again, backend: 'cpu' });
    expect((await r.fit(data, { steps: 2 })).metrics).toEqual(next.metrics);
    for (const x of [t, r]) x.dispose();
    for (const m of [model, again]) m.dispose();
  });

  it('fit({ untilStep }) trains up to that global step, and is a no-op once it is reached', async () => {
    const model = toyModel(3);
    const t = new Trainer(model, { backend: 'cpu', batchSize: 4, objective: toyObjective(model) });
    expect((await t.fit(data, { untilStep: 5 })).steps).toBe(5);
    const again = await t.fit(data, { untilStep: 5 });
    expect([again.steps, again.globalStep, again.stopReason]).toEqual([0, 5, 'completed']);
    expect((await t.fit(data, { untilStep: 7 })).steps).toBe(2);
    t.dispose();
    model.dispose();
  });
});
