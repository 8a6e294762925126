import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import type { Augmentation, AugmentContext, AugmentJson } from '../../augment/types.js';
import { registerAugmentation } from '../../augment/registry.js';
import { mlpGan } from '../../models/mlp-gan.js';
import type { GanModel } from '../../models/types.js';
import { gradientPenalty } from '../../losses/gradient-penalty.js';
import { r1Penalty } from '../../losses/r1-penalty.js';
import { lossFromConfig } from '../../losses/registry.js';
import { toyImages } from '../toy-data.test-utils.js';
import { Trainer } from '../trainer.js';

const small = (seed = 1) => mlpGan({ latentDim: 4, imageShape: [8, 8, 1], generatorUnits: [16], discriminatorUnits: [16], seed });
const data = toyImages(16, 8);

/** A fake augmentation: `images * scale + shift`, recording its calls; an ADA-like counter as state. */
function fake(kind: Augmentation['kind'], scale: number, shift = 0, calls: AugmentContext[] = []): Augmentation & { observed: Array<[number, number]> } {
  let p = 0;
  const observed: Array<[number, number]> = [];
  return {
    name: 'fake',
    kind,
    config: { kind, scale, shift },
    observed,
    apply(images, ctx) {
      calls.push(ctx);
      return tf.add(tf.mul(images, scale), shift) as tf.Tensor4D;
    },
    observe(r, n) {
      observed.push([r, n]);
      p += r > 0 ? 0.01 : -0.01;
    },
    metrics: () => ({ fakeP: p }),
    getState: () => ({ p }),
    setState: (s: AugmentJson) => void (p = (s as { p: number }).p),
  };
}

/** `gan` with D's inputs recorded (min and max of each batch D sees). */
function spied(gan: GanModel, seen: Array<[number, number]>): GanModel {
  const m = Object.create(gan) as GanModel;
  m.discriminate = (images, labels, training) => {
    seen.push([tf.min(images).dataSync()[0] as number, tf.max(images).dataSync()[0] as number]);
    return gan.discriminate(images, labels, training);
  };
  return m;
}

const weights = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));

describe('augmentation in the GAN objective', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("'data' kind: D sees augmented reals, fakes untouched; seeds come from the trainer's stream", async () => {
    const seen: Array<[number, number]> = [];
    const calls: AugmentContext[] = [];
    const gan = small();
    const t = new Trainer(spied(gan, seen), { backend: 'cpu', batchSize: 4, augment: fake('data', 0, 0.25, calls) });
    const m = await t.step({ images: tf.tidy(() => tf.fill([4, 8, 8, 1], -0.5) as tf.Tensor4D) });
    // D update: reals (all 0.25), fakes (G's output); G update: fakes only.
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual([0.25, 0.25]);
    expect(seen[1]![0]).not.toBe(0.25);
    expect(calls.map((c) => c.source)).toEqual(['real']);
    expect(calls[0]!.step).toBe(1);
    expect(Number.isInteger(calls[0]!.seed)).toBe(true);
    expect(m.realSign).toBeGreaterThanOrEqual(-1);
    expect(m['fakeP']).toBeDefined();
    t.dispose();
    gan.dispose();
  });

  it("'differentiable' kind: applied to reals and fakes in D's update and to fakes in G's, inside G's gradient", async () => {
    const run = async (scale: number) => {
      const calls: AugmentContext[] = [];
      const gan = small(3);
      const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, augment: fake('differentiable', scale, 0, calls) });
      const before = weights(gan.generatorVariables());
      await t.step({ images: tf.tidy(() => tf.fill([4, 8, 8, 1], 0.5) as tf.Tensor4D) });
      const after = weights(gan.generatorVariables());
      t.dispose();
      gan.dispose();
      const moved = before.some((w, i) => w.some((x, j) => x !== after[i]![j]));
      return { calls: calls.map((c) => c.source), moved };
    };
    const scaled = await run(0.5);
    expect(scaled.calls).toEqual(['real', 'fake', 'fake']);
    expect(scaled.moved).toBe(true);
    // x * 0 cuts every path from G to D: G gets a zero gradient, so Adam leaves it exactly as it was.
    expect((await run(0)).moved).toBe(false);
  });

  it('observes r_t each step, reports metrics, and checkpoints state and config (rebuilt through the registry)', async () => {
    registerAugmentation('fake', (c) => fake(c['kind'] as Augmentation['kind'], c['scale'] as number, c['shift'] as number));
    const aug = fake('differentiable', 0.9);
    const gan = small(5);
    const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, discriminatorSteps: 2, augment: [aug] });
    const h = await t.fit(data, { steps: 3 });
    expect(aug.observed.map(([, n]) => n)).toEqual([8, 8, 8]);
    aug.observed.forEach(([r], i) => expect(r).toBeCloseTo(h.metrics[i]!.realSign as number, 6));
    expect(h.metrics[2]!['fakeP']).toBeCloseTo(aug.metrics!()['fakeP']!, 10);
    const saved = await t.checkpoint();
    expect((saved.state.config.objective.config as { augment: unknown }).augment).toEqual([{ name: 'fake', config: { kind: 'differentiable', scale: 0.9, shift: 0 } }]);
    expect(saved.state.objectiveState).toMatchObject({ augment: [{ p: aug.metrics!()['fakeP']! }] });
    const next = await t.fit(data, { steps: 2 });
    const r = await Trainer.fromCheckpoint(saved, { model: small(9), backend: 'cpu' });
    expect((await r.fit(data, { steps: 2 })).metrics).toEqual(next.metrics);
    for (const x of [t, r]) x.dispose();
    gan.dispose();
    r.model.dispose();
  });

  it('runs with every built-in loss and both penalties (penalties see the augmented images)', async () => {
    for (const loss of ['minimax', 'non-saturating', 'wasserstein', 'least-squares', 'hinge', 'relativistic-average']) {
      for (const regularizers of [[r1Penalty()], [gradientPenalty()]]) {
        const gan = small(7);
        const t = new Trainer(gan, { backend: 'cpu', batchSize: 4, loss: lossFromConfig(loss), regularizers, augment: [fake('data', -1), fake('differentiable', 0.8, 0.1)] });
        const h = await t.fit(data, { steps: 1 });
        expect(Object.values(h.metrics[0]!).every(Number.isFinite), loss).toBe(true);
        expect(h.metrics[0]!.dPenalty).toBeGreaterThanOrEqual(0);
        t.dispose();
        gan.dispose();
      }
    }
  });
});
