import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { normalSampler } from './sampler.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('normalSampler', () => {
  it('gives the same latents for the same seed and different ones for another', () => {
    const s = normalSampler(16);
    const a = s.sample(8, { seed: 42 });
    const b = s.sample(8, { seed: 42 });
    const c = s.sample(8, { seed: 43 });
    expect(a.shape).toEqual([8, 16]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
  });

  it('repeats its own stream from the same sampler seed, and restores state', () => {
    const s1 = normalSampler(4, { seed: 7 });
    const s2 = normalSampler(4, { seed: 7 });
    const first = s1.sample(3);
    const state = s1.getState();
    const second = s1.sample(3);
    expect(Array.from(s2.sample(3).dataSync())).toEqual(Array.from(first.dataSync()));
    s2.setState(state);
    expect(Array.from(s2.sample(3).dataSync())).toEqual(Array.from(second.dataSync()));
    expect(Array.from(first.dataSync())).not.toEqual(Array.from(second.dataSync()));
    tf.dispose([first, second]);
  });

  it('has the requested moments', () => {
    const z = normalSampler(100, { mean: 2, stddev: 3, seed: 1 }).sample(200);
    const { mean, variance } = tf.moments(z);
    expect(mean.dataSync()[0]).toBeCloseTo(2, 0);
    expect(Math.sqrt(variance.dataSync()[0] as number)).toBeCloseTo(3, 0);
    tf.dispose([z, mean, variance]);
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => normalSampler(0)).toThrow(InvalidArgumentError);
    expect(() => normalSampler(3, { stddev: -1 })).toThrow(/stddev/);
    expect(() => normalSampler(3).sample(0)).toThrow(/positive integer/);
    expect(() => normalSampler(3).sample(1.5)).toThrow(InvalidArgumentError);
  });
});
