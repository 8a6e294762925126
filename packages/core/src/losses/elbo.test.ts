import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { Rng } from '../random/rng.js';
import { gaussianKl, klWeight, reconstructionNll } from './elbo.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** KL(N(m, s^2) || N(0, 1)) of one coordinate, from the textbook formula log(1/s) + (s^2 + m^2 - 1) / 2, in float64. */
const klOne = (m: number, logVar: number) => -0.5 * logVar + 0.5 * (Math.exp(logVar) + m * m - 1);

/** Standard normal draw from an Rng (Box-Muller), float64. */
const gauss = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());

describe('gaussianKl', () => {
  it('equals the closed form computed independently in float64, per example', () => {
    const mu = [[0, 0, 0], [1, -2, 0.5], [0.1, 3, -1]];
    const lv = [[0, 0, 0], [0.5, -1, 2], [-3, 1.5, 0.2]];
    const kl = gaussianKl(tf.tensor2d(mu), tf.tensor2d(lv));
    const want = mu.map((row, i) => row.reduce((s, m, j) => s + klOne(m, lv[i]![j]!), 0));
    expect(kl.shape).toEqual([3]);
    const got = Array.from(kl.dataSync());
    expect(got[0]).toBe(0); // N(0, 1) against itself
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    expect(want[1]).toBeCloseTo(5.0778, 3); // by hand: 0.5744 + 2.1839 + 2.3195 (guards klOne itself)
  });

  it('agrees with a Monte-Carlo estimate E_q[log q(z) - log p(z)] (loosely: 20,000 draws)', () => {
    const m = [0.7, -1.2];
    const lv = [-0.8, 0.6];
    const rng = new Rng(3);
    let sum = 0;
    const draws = 20_000;
    for (let k = 0; k < draws; k++) {
      for (let j = 0; j < 2; j++) {
        const s = Math.exp(lv[j]! / 2);
        const e = gauss(rng);
        const z = m[j]! + s * e;
        sum += -0.5 * e * e - Math.log(s) + 0.5 * z * z; // log q - log p (the 2π terms cancel)
      }
    }
    const mc = sum / draws;
    const closed = gaussianKl(tf.tensor2d([m]), tf.tensor2d([lv])).dataSync()[0]!;
    expect(Math.abs(mc - closed)).toBeLessThan(0.05 * closed);
  });

  it('is differentiable with the analytic gradients mu and (exp(logVar) - 1) / 2', () => {
    const mu = tf.tensor2d([[0.3, -1]]);
    const lv = tf.tensor2d([[0.4, -0.2]]);
    const [gm, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(gaussianKl(a as tf.Tensor2D, b as tf.Tensor2D)))([mu, lv]);
    expect(Array.from(gm!.dataSync())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(-1, 6)]);
    expect(Array.from(gl!.dataSync())).toEqual([expect.closeTo((Math.exp(0.4) - 1) / 2, 6), expect.closeTo((Math.exp(-0.2) - 1) / 2, 6)]);
  });
});

describe('reconstructionNll', () => {
  const x = tf.tensor4d([-1, 1, 0, 0.5], [1, 2, 2, 1]);
  const a = tf.tensor4d([-2, 3, 0, 0.25], [1, 2, 2, 1]);

  it('bernoulli: sum of binary cross-entropies with logits 2a against targets (x + 1) / 2', () => {
    const t = [0, 1, 0.5, 0.75];
    const l = [-4, 6, 0, 0.5];
    const want = l.reduce((s, li, i) => s - t[i]! * Math.log(1 / (1 + Math.exp(-li))) - (1 - t[i]!) * Math.log(1 - 1 / (1 + Math.exp(-li))), 0);
    expect(reconstructionNll('bernoulli', a, x).dataSync()[0]).toBeCloseTo(want, 5);
  });

  it('bernoulli stays finite for saturated outputs', () => {
    const big = tf.tensor4d([-500, 500, 400, -400], [1, 2, 2, 1]);
    const v = reconstructionNll('bernoulli', big, x).dataSync()[0]!;
    expect(Number.isFinite(v)).toBe(true);
    // logits -1000, 1000, 800, -800 against 0, 1, 0.5, 0.75: 0 + 0 + (800 - 400) + (0 + 600)
    expect(v).toBeCloseTo(1000, 2);
  });

  it('gaussian: 0.5 * sum((x - tanh(a))^2) / std^2, summed per image', () => {
    const want = [-1, 1, 0, 0.5].reduce((s, xi, i) => s + (xi - Math.tanh([-2, 3, 0, 0.25][i]!)) ** 2, 0) * 0.5 / 0.04;
    expect(reconstructionNll('gaussian', a, x).dataSync()[0]).toBeCloseTo(want, 4);
    expect(reconstructionNll('gaussian', a, x, 1).dataSync()[0]).toBeCloseTo(want * 0.04, 5);
    const two = reconstructionNll('gaussian', tf.concat([a, a]) as tf.Tensor4D, tf.concat([x, x]) as tf.Tensor4D);
    expect(two.shape).toEqual([2]);
  });
});

describe('klWeight', () => {
  it('ramps linearly to beta over the warm-up and stays there', () => {
    expect([1, 2, 5, 10, 11, 1000].map((s) => klWeight(2, 10, s))).toEqual([0.2, 0.4, 1, 2, 2, 2]);
    expect(klWeight(0.5, 0, 1)).toBe(0.5);
  });
});
