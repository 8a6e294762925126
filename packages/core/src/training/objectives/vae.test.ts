import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../../errors.js';
import { mlpGan } from '../../models/mlp-gan.js';
import { mlpVae, type MlpVaeOptions } from '../../models/vae-builders.js';
import type { VaeModel } from '../../models/vae.js';
import { reparameterize } from '../../models/vae.js';
import { gaussianKl, reconstructionNll } from '../../losses/elbo.js';
import { Rng } from '../../random/rng.js';
import { adam } from '../optimizers/adam.js';
import { toyImages } from '../toy-data.test-utils.js';
import { vaeLoss, vaeObjective, type VaeObjective } from './vae.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny = (options: MlpVaeOptions = {}) => mlpVae({ latentDim: 2, imageShape: [2, 2, 1], encoderUnits: [3], decoderUnits: [3], seed: 3, ...options });
const images2x2 = () => tf.tensor4d([-1, 0.5, 1, -0.2, 0.3, -0.8, 0.9, 0.1], [2, 2, 2, 1]);

/** Runs one step inside tf.tidy and reads every metric. */
function step(objective: VaeObjective, images: tf.Tensor4D, rng: Rng, n: number): Record<string, number> {
  const tensors = tf.tidy(() => objective.step([{ images }], { step: n, rng }));
  const out = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.dataSync()[0]!]));
  tf.dispose(Object.values(tensors));
  return out;
}

describe('vaeObjective.step', () => {
  it('returns named scalar metrics: loss = reconstruction + beta * kl (before the update), elbo = -(reconstruction + kl)', () => {
    const vae = tiny();
    const x = images2x2();
    const objective = vaeObjective(vae, { beta: 0.5 });
    expect(objective.name).toBe('vae');
    expect(objective.batchesPerStep).toBe(1);
    expect(objective.networks.map((n) => [n.name, n.variables.length, n.weights.length])).toEqual([['encoder', 4, 4], ['decoder', 4, 4]]);
    const rng = new Rng(7);
    const seed = new Rng(7).nextSeed(); // the step draws exactly one seed from the stream
    const expected = tf.tidy(() => vaeLoss(vae, x, seed, 0.5).loss.dataSync()[0]!);
    const m = step(objective, x, rng, 1);
    expect(Object.keys(m).sort()).toEqual(['beta', 'elbo', 'kl', 'loss', 'reconstruction']);
    expect(m.loss).toBeCloseTo(expected, 5);
    expect(m.loss).toBeCloseTo(m.reconstruction! + 0.5 * m.kl!, 5);
    expect(m.elbo).toBeCloseTo(-(m.reconstruction! + m.kl!), 5);
    expect(m.beta).toBe(0.5);
    expect(rng.getState()).toEqual((() => { const r = new Rng(7); r.nextSeed(); return r.getState(); })());
    x.dispose();
    vae.dispose();
  });

  it('vaeLoss is the mean over the batch of per-image sums, from the parts computed by hand', () => {
    const vae = tiny({ likelihood: 'gaussian', gaussianStd: 0.5 });
    const x = images2x2();
    const got = tf.tidy(() => {
      const t = vaeLoss(vae, x, 5, 2);
      return [t.loss, t.reconstruction, t.kl].map((s) => s.dataSync()[0]!);
    });
    const want = tf.tidy(() => {
      const { mu, logVar } = vae.encode(x);
      const a = vae.decodePreActivation(reparameterize(mu, logVar, 5));
      const rec = tf.sum(tf.mul(tf.square(tf.sub(x, tf.tanh(a))), 0.5 / 0.25)).dataSync()[0]! / 2;
      const kl = tf.sum(gaussianKl(mu, logVar)).dataSync()[0]! / 2;
      return [rec + 2 * kl, rec, kl];
    });
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    x.dispose();
    vae.dispose();
  });

  it('ramps the KL weight linearly over klWarmupSteps', () => {
    const vae = tiny();
    const x = images2x2();
    const objective = vaeObjective(vae, { beta: 2, klWarmupSteps: 4 });
    const rng = new Rng(1);
    expect([1, 2, 3, 4, 5].map((n) => step(objective, x, rng, n).beta)).toEqual([0.5, 1, 1.5, 2, 2]);
    x.dispose();
    vae.dispose();
  });

  it('is deterministic given the model seed and the rng state (what checkpoints restore)', () => {
    const run = () => {
      const vae = tiny();
      const x = images2x2();
      const objective = vaeObjective(vae);
      const rng = new Rng(11);
      for (let n = 1; n <= 3; n++) step(objective, x, rng, n);
      const w = vae.encoder.getWeights().concat(vae.generator.getWeights()).flatMap((t) => Array.from(t.dataSync()));
      x.dispose();
      vae.dispose();
      return w;
    };
    const a = run();
    expect(run()).toEqual(a);
  });

  it('leaves no tensors behind after the optimizers have made their slots', () => {
    const vae = tiny();
    const x = images2x2();
    const objective = vaeObjective(vae);
    const rng = new Rng(1);
    step(objective, x, rng, 1);
    const before = tf.memory().numTensors;
    for (let n = 2; n <= 6; n++) step(objective, x, rng, n);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    vae.dispose();
  });

  it('bad options and batches give typed errors', () => {
    const vae = tiny();
    expect(() => vaeObjective(mlpGan({ latentDim: 2, imageShape: [2, 2, 1] }) as unknown as VaeModel)).toThrow(/VaeModel/);
    expect(() => vaeObjective(vae, { beta: -1 })).toThrow(InvalidArgumentError);
    expect(() => vaeObjective(vae, { beta: '1' as unknown as number })).toThrow(/the string "1"/);
    expect(() => vaeObjective(vae, { beta: Number.NaN })).toThrow(/beta/);
    expect(() => vaeObjective(vae, { klWarmupSteps: 1.5 })).toThrow(/klWarmupSteps/);
    const opt = adam();
    expect(() => vaeObjective(vae, { optimizers: { encoder: opt, decoder: opt } })).toThrow(/two optimizer objects/);
    expect(() => vaeObjective(vae, { optimizers: { encoder: {} as tf.Optimizer } })).toThrow(/optimizers.encoder/);
    expect(() => vaeObjective(vae, null as unknown as {})).toThrow(InvalidArgumentError);
    const objective = vaeObjective(vae);
    const wrong = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    expect(() => objective.step([{ images: wrong }], { step: 1, rng: new Rng() })).toThrow(ShapeMismatchError);
    expect(() => objective.step([], { step: 1, rng: new Rng() })).toThrow(/one batch/);
    wrong.dispose();
    vae.dispose();
  });
});

/** Central finite differences of `f` for every element of `vars`, in float32 (so h is large-ish). */
function finiteDifferences(f: () => number, vars: readonly tf.Variable[], h: number): number[] {
  const out: number[] = [];
  for (const v of vars) {
    const base = v.dataSync().slice();
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number) => {
        const p = base.slice();
        p[i] = base[i]! + delta;
        tf.tidy(() => v.assign(tf.tensor(p, v.shape)));
        return f();
      };
      out.push((at(h) - at(-h)) / (2 * h));
    }
    tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
  }
  return out;
}

function worstError(analytic: number[], numeric: number[]): number {
  return Math.max(...analytic.map((a, i) => Math.abs(a - numeric[i]!) / (1e-2 + Math.abs(numeric[i]!))));
}

describe('gradients through the reparameterization', () => {
  for (const likelihood of ['bernoulli', 'gaussian'] as const) {
    it(`match central finite differences (${likelihood}), and a gradient that ignores sigma's path fails the same check`, () => {
      const vae = tiny(likelihood === 'gaussian' ? { likelihood, gaussianStd: 1 } : {});
      const x = images2x2();
      const vars = [...vae.encoderVariables(), ...vae.decoderVariables()];
      const seed = 17;
      const f = () => tf.tidy(() => vaeLoss(vae, x, seed, 1).loss.dataSync()[0]!);
      const gradsOf = (loss: () => tf.Scalar) =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(loss, vars);
          value.dispose();
          return vars.flatMap((v) => Array.from(grads[v.name]!.dataSync()));
        });
      const analytic = gradsOf(() => vaeLoss(vae, x, seed, 1).loss);
      const numeric = finiteDifferences(f, vars, 1e-2);
      expect(analytic.length).toBe(56);
      expect(Math.max(...numeric.map(Math.abs))).toBeGreaterThan(0.05);
      const error = worstError(analytic, numeric);
      expect(error).toBeLessThan(0.02);
      // Wrong on purpose: sigma * eps treated as a constant (no gradient into the log-variance head
      // through z). The same tolerance must reject it.
      const wrong = gradsOf(() => {
        const { mu, logVar } = vae.encode(x, true);
        const noise = tf.sub(reparameterize(mu, logVar, seed), mu);
        const constant = tf.customGrad(((n: tf.Tensor) => ({ value: tf.clone(n), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);
        const z = tf.add(mu, constant(noise)) as tf.Tensor2D;
        const rec = tf.mean(reconstructionNll(vae.likelihood, vae.decodePreActivation(z, true), x, vae.gaussianStd));
        return tf.add(rec, tf.mean(gaussianKl(mu, logVar))) as tf.Scalar;
      });
      const wrongError = worstError(wrong, numeric);
      console.log(`${likelihood}: worst relative gradient error ${error.toExponential(2)}; with sigma's path cut ${wrongError.toExponential(2)}`);
      expect(wrongError).toBeGreaterThan(0.1);
      x.dispose();
      vae.dispose();
    });
  }
});

describe('learning a toy set', () => {
  it('two-mode 8x8 images: reconstruction error falls far below the mean-image baseline', () => {
    const data = toyImages(64);
    const vae = mlpVae({ latentDim: 2, imageShape: [8, 8, 1], encoderUnits: [16], decoderUnits: [16], seed: 1 });
    const objective = vaeObjective(vae, { optimizers: { encoder: adam(1e-2), decoder: adam(1e-2) } });
    const rng = new Rng(2);
    const order = new Int32Array(64).map((_, i) => i);
    let first: Record<string, number> | undefined;
    let last: Record<string, number> = {};
    for (let n = 1; n <= 150; n++) {
      const batch = data.batch(order, (n * 16) % 64, 16);
      last = step(objective, batch.images, rng, n);
      first ??= last;
      batch.images.dispose();
    }
    const all = data.batch(order, 0, 64).images;
    const [mse, baseline] = tf.tidy(() => {
      const rec = vae.reconstruct(all);
      const mean = tf.mean(all, 0, true);
      return [tf.mean(tf.squaredDifference(rec, all)).dataSync()[0]!, tf.mean(tf.squaredDifference(all, mean)).dataSync()[0]!];
    });
    console.log(`toy VAE: loss ${first!.loss!.toFixed(2)} -> ${last.loss!.toFixed(2)} (kl ${last.kl!.toFixed(2)}); reconstruction MSE ${mse.toFixed(4)} vs mean-image ${baseline.toFixed(4)}`);
    expect(baseline).toBeCloseTo(0.9025, 3);
    expect(mse).toBeLessThan(0.05 * baseline);
    expect(last.loss!).toBeLessThan(0.5 * first!.loss!);
    expect(last.kl!).toBeGreaterThan(0.1); // the code is used, not collapsed onto the prior
    all.dispose();
    vae.dispose();
  });
});
