import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { seededNormalValues } from './normal.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('seededNormalValues', () => {
  const seeds = [1, 2, 3, 42, 7919 * 5 + 1, 123456789, 2 ** 31 - 1, 2 ** 40 + 3, 0.5, -17];
  const lengths = [1, 2, 3, 100, 12800, 12801];
  it.each(seeds)('equals tf.randomNormal bit for bit (seed %s, every length)', (seed) => {
    for (const length of lengths) {
      const expected = tf.tidy(() => tf.randomNormal([length], 0, 1, 'float32', seed).dataSync() as Float32Array);
      expect(Array.from(seededNormalValues(length, 0, 1, seed))).toEqual(Array.from(expected));
    }
  });

  it('equals it with a mean and a standard deviation too', () => {
    const expected = tf.tidy(() => tf.randomNormal([64, 9], 0.25, 3, 'float32', 11).dataSync() as Float32Array);
    expect(Array.from(seededNormalValues(576, 0.25, 3, 11))).toEqual(Array.from(expected));
  });

  it('is standard normal in distribution and gives nothing for length 0', () => {
    const v = seededNormalValues(100_000, 0, 1, 5);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(seededNormalValues(0, 0, 1, 5).length).toBe(0);
  });
});
