import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { auxiliaryClassLoss } from './class-loss.js';
import { hingeLoss } from './hinge.js';
import { leastSquaresLoss } from './least-squares.js';
import { minimaxLoss } from './minimax.js';
import { nonSaturatingLoss } from './non-saturating.js';
import { lossFromConfig, regularizerFromConfig } from './registry.js';
import { relativisticAverageLoss } from './relativistic.js';
import { instanceNoise } from './instance-noise.js';
import { wassersteinLoss } from './wasserstein.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Float64 references, written from the papers' formulas.
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const logSigmoid = (x: number) => -softplus(-x);
const log1mSigmoid = (x: number) => -softplus(x);
const relu = (x: number) => Math.max(0, x);

const real = [1.5, -0.3, 2.2, 0.1];
const fake = [-1.2, 0.4, -2.5, 3.1];

function run(f: (r: tf.Tensor, g: tf.Tensor) => tf.Scalar, r = real, g = fake): number {
  const rt = tf.tensor2d(r, [r.length, 1]);
  const ft = tf.tensor2d(g, [g.length, 1]);
  const out = f(rt, ft);
  const v = out.dataSync()[0] as number;
  tf.dispose([rt, ft, out]);
  return v;
}

describe('loss zoo against float64 formulas', () => {
  it('Wasserstein: D = E[D(fake)] - E[D(real)], G = -E[D(fake)]', () => {
    const l = wassersteinLoss();
    expect(run(l.discriminatorLoss)).toBeCloseTo(mean(fake) - mean(real), 5);
    expect(run((_r, f) => l.generatorLoss(f))).toBeCloseTo(-mean(fake), 5);
    expect(l.weightClip).toBeUndefined();
    expect(wassersteinLoss({ weightClip: 0.01 }).weightClip).toBe(0.01);
    expect(() => wassersteinLoss({ weightClip: 0 })).toThrow(InvalidArgumentError);
  });

  it('least squares (a=0, b=c=1): D = ½E[(D(x)-1)²] + ½E[D(G(z))²], G = ½E[(D(G(z))-1)²]', () => {
    const l = leastSquaresLoss();
    expect(run(l.discriminatorLoss)).toBeCloseTo(0.5 * mean(real.map((x) => (x - 1) ** 2)) + 0.5 * mean(fake.map((x) => x * x)), 5);
    expect(run((_r, f) => l.generatorLoss(f))).toBeCloseTo(0.5 * mean(fake.map((x) => (x - 1) ** 2)), 5);
  });

  it('hinge: D = E[relu(1 - D(x))] + E[relu(1 + D(G(z)))], G = -E[D(G(z))]', () => {
    const l = hingeLoss();
    expect(run(l.discriminatorLoss)).toBeCloseTo(mean(real.map((x) => relu(1 - x))) + mean(fake.map((x) => relu(1 + x))), 5);
    expect(run((_r, f) => l.generatorLoss(f))).toBeCloseTo(-mean(fake), 5);
    // Hand computed: real [2, 0], fake [-2, 0] -> D = (0 + 1)/2 + (0 + 1)/2 = 1
    expect(run(l.discriminatorLoss, [2, 0], [-2, 0])).toBeCloseTo(1, 6);
  });

  it('relativistic average: uses the other side\'s mean logit', () => {
    const l = relativisticAverageLoss();
    const mr = mean(real);
    const mf = mean(fake);
    const dRef = -mean(real.map((x) => logSigmoid(x - mf))) - mean(fake.map((x) => log1mSigmoid(x - mr)));
    const gRef = -mean(fake.map((x) => logSigmoid(x - mr))) - mean(real.map((x) => log1mSigmoid(x - mf)));
    expect(run(l.discriminatorLoss)).toBeCloseTo(dRef, 5);
    expect(run((r, f) => l.generatorLoss(f, r))).toBeCloseTo(gRef, 5);
    expect(l.generatorUsesReal).toBe(true);
    expect(() => run((_r, f) => l.generatorLoss(f))).toThrow(/real images/);
  });

  it('one-sided label smoothing: real target 1 - s, fake target 0', () => {
    for (const make of [nonSaturatingLoss, minimaxLoss]) {
      const l = make({ labelSmoothing: 0.1 });
      const ref = mean(real.map((x) => -0.9 * logSigmoid(x) - 0.1 * log1mSigmoid(x))) + mean(fake.map((x) => -log1mSigmoid(x)));
      expect(run(l.discriminatorLoss)).toBeCloseTo(ref, 5);
    }
    // Smoothing changes D's loss only: at zero smoothing the result equals the plain loss.
    expect(run(nonSaturatingLoss({ labelSmoothing: 0 }).discriminatorLoss)).toBeCloseTo(run(nonSaturatingLoss().discriminatorLoss), 6);
    expect(() => nonSaturatingLoss({ labelSmoothing: 1 })).toThrow(InvalidArgumentError);
    // Large logits stay finite.
    expect(Number.isFinite(run(nonSaturatingLoss({ labelSmoothing: 0.1 }).discriminatorLoss, [1e4, -1e4], [1e4, -1e4]))).toBe(true);
  });

  it('ACGAN class loss is the mean softmax cross-entropy', () => {
    const logits = [
      [2, 0, -1],
      [0.5, 0.5, 3],
    ];
    const labels = [0, 1];
    const ref = mean(
      logits.map((row, i) => {
        const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
        return lse - (row[labels[i] as number] as number);
      }),
    );
    const l = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    const out = auxiliaryClassLoss(l, y);
    expect(out.dataSync()[0]).toBeCloseTo(ref, 5);
    tf.dispose([l, y, out]);
  });

  it('rebuilds built-ins from name and config; unknown names are typed errors', () => {
    const w = lossFromConfig('wasserstein', { weightClip: 0.02 });
    expect(w.weightClip).toBe(0.02);
    expect(lossFromConfig('non-saturating', { labelSmoothing: 0.1 }).config).toEqual({ labelSmoothing: 0.1 });
    for (const name of ['minimax', 'least-squares', 'hinge', 'relativistic-average']) expect(lossFromConfig(name).name).toBe(name);
    expect(regularizerFromConfig('gradient-penalty', { weight: 5, target: 1 }).config).toEqual({ weight: 5, target: 1 });
    expect(regularizerFromConfig('r1', { weight: 1 }).config).toEqual({ weight: 1 });
    // Checkpoints written before the rename store { gamma }.
    expect(regularizerFromConfig('r1', { gamma: 1 }).config).toEqual({ weight: 1 });
    expect(() => lossFromConfig('nope')).toThrow(InvalidArgumentError);
    expect(() => regularizerFromConfig('nope')).toThrow(/Built-ins/);
  });

  it('instance noise anneals linearly to 0', () => {
    const n = instanceNoise({ stddev: 0.2, annealSteps: 10 });
    expect(n.stddevAt(1)).toBeCloseTo(0.2, 9);
    expect(n.stddevAt(6)).toBeCloseTo(0.1, 9);
    expect(n.stddevAt(11)).toBe(0);
    expect(n.stddevAt(50)).toBe(0);
    expect(instanceNoise({ stddev: 0.3 }).stddevAt(1000)).toBe(0.3);
    expect(() => instanceNoise({ stddev: -1 })).toThrow(InvalidArgumentError);
  });
});
