import { beforeAll, describe, expect, it, vi } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { dcgan } from '../models/dcgan.js';
import { imageGrid, imageGridAsync } from '../io/grid.js';
import { sampleClassGrid } from './class-grid.js';
import { interpolate } from './interpolate.js';
import { samplerFromConfig } from './registry.js';
import { truncatedNormalSampler } from './truncated.js';
import { uniformSampler } from './uniform.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('uniformSampler', () => {
  it('stays in [low, high) with the right mean, seeded', () => {
    const s = uniformSampler(50, { low: -2, high: 4, seed: 1 });
    const v = values(s.sample(200));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...v)).toBeLessThan(4);
    expect(v.reduce((a, b) => a + b, 0) / v.length).toBeCloseTo(1, 1);
    expect(values(uniformSampler(5, { seed: 3 }).sample(2))).toEqual(values(uniformSampler(5, { seed: 3 }).sample(2)));
    expect(() => uniformSampler(5, { low: 1, high: 1 })).toThrow(InvalidArgumentError);
  });
});

describe('truncatedNormalSampler', () => {
  it('never exceeds the threshold, is seeded, and has the truncated variance', () => {
    const s = truncatedNormalSampler(100, { threshold: 0.5, seed: 2 });
    const v = values(s.sample(100));
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.5);
    // Var of N(0,1) truncated to [-a, a] = 1 - 2 a φ(a) / (2Φ(a) - 1); a = 0.5 -> 0.0797
    const variance = v.reduce((a, b) => a + b * b, 0) / v.length;
    expect(variance).toBeCloseTo(0.0797, 2);
    expect(values(s.sample(3, { seed: 9 }))).toEqual(values(truncatedNormalSampler(100, { threshold: 0.5 }).sample(3, { seed: 9 })));
    // The stream advances: two calls differ; a restored state repeats.
    const state = s.getState();
    const a = values(s.sample(2));
    s.setState(state);
    expect(values(s.sample(2))).toEqual(a);
    expect(() => truncatedNormalSampler(3, { threshold: 0 })).toThrow(/threshold/);
  });

  it('is rebuilt from its checkpoint config', () => {
    const s = samplerFromConfig('truncated-normal', 4, { threshold: 1 }, 5);
    expect(s.name).toBe('truncated-normal');
    expect(s.config).toEqual({ threshold: 1 });
    expect(() => samplerFromConfig('cauchy', 4)).toThrow(InvalidArgumentError);
  });
});

describe('interpolate', () => {
  it('lerp goes in a straight line, ends included', () => {
    const a = tf.tensor1d([0, 2]);
    const b = tf.tensor1d([4, -2]);
    expect(values(interpolate(a, b, 3, 'lerp'))).toEqual([0, 2, 2, 0, 4, -2]);
    tf.dispose([a, b]);
  });

  it('slerp keeps the norm between equal-norm latents and hits the ends', () => {
    const a = tf.tensor1d([1, 0]);
    const b = tf.tensor2d([[0, 1]]);
    const v = values(interpolate(a, b, 5, 'slerp'));
    for (let i = 0; i < 5; i++) expect(Math.hypot(v[2 * i]!, v[2 * i + 1]!)).toBeCloseTo(1, 5);
    expect(v.slice(0, 2)).toEqual([1, 0]);
    expect(v[8]).toBeCloseTo(0, 6);
    expect(v[9]).toBeCloseTo(1, 6);
    // Midpoint of a 90° arc: (cos 45°, sin 45°)
    expect(v[4]).toBeCloseTo(Math.SQRT1_2, 5);
    // Lerp's midpoint is shorter.
    const l = values(interpolate(a, b, 3, 'lerp'));
    expect(Math.hypot(l[2]!, l[3]!)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(() => interpolate(a, b, 1)).toThrow(InvalidArgumentError);
    const c = tf.tensor1d([1, 2, 3]);
    expect(() => interpolate(a, c, 3)).toThrow(ShapeMismatchError);
    tf.dispose([a, b, c]);
  });
});

describe('sampleClassGrid', () => {
  it('orders images by class, rows sharing latents across classes', () => {
    const gan = dcgan({ numClasses: 3, generatorFilters: 4, discriminatorFilters: 4, seed: 1 });
    const grid = sampleClassGrid(gan, 2, { seed: 4 });
    expect(grid.shape).toEqual([6, 28, 28, 1]);
    // Row for class 1 equals sampling class 1 with the same latents.
    const z = tf.randomNormal([2, 100], 0, 1, 'float32', 4) as tf.Tensor2D;
    const row1 = gan.generate(z, tf.tensor1d([1, 1], 'int32'));
    const diff = tf.max(tf.abs(tf.sub(tf.slice(grid, [2, 0, 0, 0], [2, 28, 28, 1]), row1))).dataSync()[0];
    expect(diff).toBeLessThan(1e-6);
    const only = sampleClassGrid(gan, 1, { classes: [2, 0], seed: 4 });
    expect(only.shape[0]).toBe(2);
    expect(() => sampleClassGrid(dcgan({ generatorFilters: 2, discriminatorFilters: 2 }), 2)).toThrow(/conditional/);
    tf.dispose([grid, z, row1, only]);
    gan.dispose();
  });
});

describe('without synchronous reads (as on WebGPU in Node)', () => {
  it('interpolate, truncatedNormalSampler and imageGridAsync never call dataSync', async () => {
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
      throw new Error('dataSync is not allowed here');
    });
    try {
      const before = tf.memory().numTensors;
      const a = tf.tensor1d([1, 0]);
      const b = tf.tensor1d([0, 2]);
      const slerp = interpolate(a, b, 3, 'slerp');
      const parallel = interpolate(a, tf.tensor1d([2, 0]), 3, 'slerp');
      const z = truncatedNormalSampler(4, { threshold: 1, seed: 3 }).sample(2);
      const grid = await imageGridAsync(tf.zeros([2, 2, 2, 1]) as tf.Tensor4D);
      expect(grid).toMatchObject({ width: 10, height: 6, channels: 1 }); // 2 tiles of 2 px, 3 paddings of 2 px
      const s = Array.from(await slerp.data());
      expect(s[2]).toBeCloseTo(Math.SQRT1_2, 5); // a 90° arc's midpoint: sin 45° of each end
      expect(s[3]).toBeCloseTo(2 * Math.SQRT1_2, 5);
      expect(Array.from(await parallel.data())).toEqual([1, 0, 1.5, 0, 2, 0]); // parallel: lerp
      expect(Math.max(...Array.from(await z.data()).map(Math.abs))).toBeLessThanOrEqual(1);
      tf.dispose([a, b, slerp, parallel, z]);
      expect(tf.memory().numTensors - before).toBe(2); // the zeros and the parallel b, left to show nothing else leaks
    } finally {
      spy.mockRestore();
    }
  });

  it('imageGridAsync gives the same raster as imageGrid', async () => {
    const images = tf.randomUniform([5, 3, 4, 3], -1.2, 1.2, 'float32', 7) as tf.Tensor4D;
    expect(await imageGridAsync(images, { columns: 2, padding: 1 })).toEqual(imageGrid(images, { columns: 2, padding: 1 }));
    await expect(imageGridAsync(images, { colums: 2 } as never)).rejects.toThrow('Did you mean "columns"?');
    images.dispose();
  });
});
