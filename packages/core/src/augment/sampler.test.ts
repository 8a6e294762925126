import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { identityAffine, planAffine, samplePlan, type AugmentPadding } from './sampler.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 4x4 one-channel image with the values 0..15 (row-major). */
const grid = () => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);

function sample(images: tf.Tensor4D, m: number[], padding: AugmentPadding = 'zeros'): number[] {
  const [n, h, w] = images.shape;
  return tf.tidy(() => Array.from(samplePlan(images, planAffine(n, h, w, Float64Array.from(m), padding)).dataSync()));
}

describe('affine sampler', () => {
  it('mirrors left-right exactly (one tap per pixel)', () => {
    const plan = planAffine(1, 4, 4, Float64Array.from([-1, 0, 0, 0, 1, 0]), 'zeros');
    expect(plan.taps).toBe(1);
    expect(sample(grid(), [-1, 0, 0, 0, 1, 0])).toEqual([3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12]);
  });

  it('turns by 90 degrees exactly', () => {
    // Output (x, y) reads source (y + 1.5 - 1.5, 1.5 - (x - 1.5)) = (y, 3 - x): a clockwise turn on screen.
    const c = Math.cos(Math.PI / 2), s = Math.sin(Math.PI / 2);
    expect(planAffine(1, 4, 4, Float64Array.from([c, s, 0, -s, c, 0]), 'zeros').taps).toBe(1);
    expect(sample(grid(), [c, s, 0, -s, c, 0])).toEqual([12, 8, 4, 0, 13, 9, 5, 1, 14, 10, 6, 2, 15, 11, 7, 3]);
  });

  it('shifts by one pixel exactly, with zeros, reflection or the edge outside', () => {
    // source = offset + (1, 0): each output pixel reads its right neighbour (content moves left).
    expect(sample(grid(), [1, 0, 1, 0, 1, 0], 'zeros')).toEqual([1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0]);
    expect(sample(grid(), [1, 0, 1, 0, 1, 0], 'reflect')).toEqual([1, 2, 3, 2, 5, 6, 7, 6, 9, 10, 11, 10, 13, 14, 15, 14]);
    expect(sample(grid(), [1, 0, 1, 0, 1, 0], 'edge')).toEqual([1, 2, 3, 3, 5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15]);
    // Down by one: output row y reads row y - 1.
    expect(sample(grid(), [1, 0, 0, 0, 1, -1], 'zeros')).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('interpolates half-pixel shifts bilinearly', () => {
    const out = sample(grid(), [1, 0, 0.5, 0, 1, 0.5], 'edge');
    // Output (0, 0) reads (0.5, 0.5): the mean of 0, 1, 4, 5.
    expect(out[0]).toBeCloseTo(2.5, 6);
    expect(out[5]).toBeCloseTo((5 + 6 + 9 + 10) / 4, 6);
    expect(out[15]).toBeCloseTo(15, 6); // edge padding at the far corner
  });

  it('keeps each image of a batch to its own map and channels together', () => {
    const x = tf.tensor4d(Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i), [2, 2, 2, 3]);
    const m = [...identityAffine(1), -1, 0, 0, 0, 1, 0];
    const out = sample(x, m);
    expect(out.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // Image 1 mirrored: pixel (0,0) <- (1,0), RGB triplets kept.
    expect(out.slice(12, 18)).toEqual([15, 16, 17, 12, 13, 14]);
  });

  it('has the transposed map as its gradient (checked against finite differences)', () => {
    const x0 = tf.tensor4d(Array.from({ length: 2 * 5 * 5 * 2 }, (_, i) => Math.sin(i * 0.7)), [2, 5, 5, 2]);
    const r = tf.tensor4d(Array.from({ length: 2 * 5 * 5 * 2 }, (_, i) => Math.cos(i * 1.3)), [2, 5, 5, 2]);
    const theta = 0.4;
    const m = Float64Array.from([Math.cos(theta) * 0.8, Math.sin(theta) * 0.8, 0.3, -Math.sin(theta) * 0.8, Math.cos(theta) * 0.8, -0.6, 1.3, 0, 0.25, 0, 0.7, 0]);
    for (const padding of ['zeros', 'reflect', 'edge'] as const) {
      const plan = planAffine(2, 5, 5, m, padding);
      const loss = (x: tf.Tensor) => tf.sum(tf.mul(samplePlan(x as tf.Tensor4D, plan), r));
      const g = tf.tidy(() => Array.from(tf.grad(loss)(x0).dataSync()));
      const base = x0.arraySync() as number[][][][];
      const flat = base.flat(3);
      const eps = 1e-2;
      for (const i of [0, 7, 13, 24, 33, 49, 50, 77, 99]) {
        const plus = flat.slice(); plus[i]! += eps;
        const minus = flat.slice(); minus[i]! -= eps;
        const f = (v: number[]) => tf.tidy(() => loss(tf.tensor4d(v, [2, 5, 5, 2])).dataSync()[0] as number);
        expect(g[i]).toBeCloseTo((f(plus) - f(minus)) / (2 * eps), 3);
      }
    }
  });
});
