import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { minimaxLoss } from './minimax.js';
import { nonSaturatingLoss } from './non-saturating.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Float64 reference: softplus(x) = log(1 + e^x), computed stably.
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function value(t: tf.Scalar): number {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
}

const cases: Array<[string, number[], number[]]> = [
  ['small logits', [0, 2, -1.5], [0, -1, 0.5]],
  ['large-magnitude logits', [100, -100, 80], [-90, 95, 0]],
  ['extreme logits', [1e4, -1e4], [1e4, -1e4]],
];

describe('nonSaturatingLoss', () => {
  for (const [label, real, fake] of cases) {
    it(`matches the float64 formula for ${label}`, () => {
      const loss = nonSaturatingLoss();
      const r = tf.tensor2d(real, [real.length, 1]);
      const f = tf.tensor2d(fake, [fake.length, 1]);
      const d = value(loss.discriminatorLoss(r, f));
      const g = value(loss.generatorLoss(f));
      // -log sigmoid(r) = softplus(-r); -log(1 - sigmoid(f)) = softplus(f)
      const dExpected = mean(real.map((x) => softplus(-x))) + mean(fake.map((x) => softplus(x)));
      const gExpected = mean(fake.map((x) => softplus(-x)));
      expect(Number.isFinite(d)).toBe(true);
      expect(Number.isFinite(g)).toBe(true);
      expect(d).toBeCloseTo(dExpected, 3);
      expect(g).toBeCloseTo(gExpected, 3);
      r.dispose();
      f.dispose();
    });
  }

  it('gives ln 2 + ln 2 for D and ln 2 for G at zero logits (hand computed)', () => {
    const loss = nonSaturatingLoss();
    const z = tf.zeros([4, 1]);
    expect(value(loss.discriminatorLoss(z, z))).toBeCloseTo(2 * Math.LN2, 6);
    expect(value(loss.generatorLoss(z))).toBeCloseTo(Math.LN2, 6);
    z.dispose();
  });

  it('has finite gradients at extreme logits', () => {
    const loss = nonSaturatingLoss();
    const f = tf.tensor2d([1e4, -1e4, 50], [3, 1]);
    const g = tf.grad((x: tf.Tensor) => loss.generatorLoss(x))(f);
    const values = Array.from(g.dataSync());
    // d/dx softplus(-x)/n = -sigmoid(-x)/n
    expect(values[0]).toBeCloseTo(0, 6);
    expect(values[1]).toBeCloseTo(-1 / 3, 6);
    values.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    tf.dispose([f, g]);
  });
});

describe('minimaxLoss', () => {
  for (const [label, real, fake] of cases) {
    it(`matches the float64 formula for ${label}`, () => {
      const loss = minimaxLoss();
      const r = tf.tensor2d(real, [real.length, 1]);
      const f = tf.tensor2d(fake, [fake.length, 1]);
      const d = value(loss.discriminatorLoss(r, f));
      const g = value(loss.generatorLoss(f));
      const dExpected = mean(real.map((x) => softplus(-x))) + mean(fake.map((x) => softplus(x)));
      // G minimizes mean log(1 - sigmoid(f)) = -mean softplus(f)
      const gExpected = -mean(fake.map((x) => softplus(x)));
      expect(d).toBeCloseTo(dExpected, 3);
      expect(g).toBeCloseTo(gExpected, 3);
      expect(Number.isFinite(g)).toBe(true);
      r.dispose();
      f.dispose();
    });
  }

  it('saturates: its generator gradient vanishes when D confidently rejects fakes, unlike non-saturating', () => {
    const f = tf.tensor2d([-10], [1, 1]);
    const gMinimax = tf.grad((x: tf.Tensor) => minimaxLoss().generatorLoss(x))(f);
    const gNs = tf.grad((x: tf.Tensor) => nonSaturatingLoss().generatorLoss(x))(f);
    expect(Math.abs(gMinimax.dataSync()[0] as number)).toBeLessThan(1e-4);
    expect(Math.abs(gNs.dataSync()[0] as number)).toBeGreaterThan(0.99);
    tf.dispose([f, gMinimax, gNs]);
  });
});
