import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import { useBackend } from '../../backends/registry.js';
import { simdKernelsOf, simdModuleBytes } from '../../backends/wasm-kernels/simd.js';
import { optimizerFromRecord } from '../checkpoint.js';
import { adamScalars, adamUpdateRange, ADAM_UPDATE_KERNEL } from '../../kernels/adam-kernel.js';
import { adam, FusedAdamOptimizer } from './adam.js';

/** Deterministic values in [-scale, scale), with some exact zeros. */
function values(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 17 === 5 ? 0 : (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

// Sizes that are and are not multiples of the 4 SIMD lanes, down to one element.
const shapes = [[7, 3], [5], [1], [64, 33], [4, 4], [2, 3, 5]];

interface Run {
  weights: Float32Array[];
  slots: Float32Array[];
  slotNames: string[];
  accBeta: number[];
  iterations: number;
}

/** Trains fresh variables with `make()` for `steps` steps on seeded gradients; returns every state value. */
async function train(make: () => tf.Optimizer, steps: number, tag: string): Promise<Run> {
  const vars = tf.tidy(() => shapes.map((shape, k) => tf.variable(tf.tensor(values(shape.reduce((a, b) => a * b, 1), 100 + k), shape), true, `${tag}_${k}`)));
  const opt = make();
  for (let step = 0; step < steps; step++) {
    tf.tidy(() => {
      // Gradient magnitudes from 1e-3 to 10 so moments, square roots and divisions cover several exponents.
      const grads = vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(values(v.size, 7 * step + k, 10 ** ((step % 5) - 3)), v.shape) }));
      opt.applyGradients(step % 2 === 0 ? grads : Object.fromEntries(grads.map((g) => [g.name, g.tensor])));
    });
  }
  const weights = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
  const named = await opt.getWeights();
  const slots = await Promise.all(named.slice(1).map(async (w) => (await w.tensor.data()) as Float32Array));
  named[0]?.tensor.dispose();
  const internals = opt as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable; iterations: number };
  const accBeta = [...(await internals.accBeta1.data()), ...(await internals.accBeta2.data())];
  const run = { weights, slots, slotNames: named.slice(1).map((w) => w.name.replace(tag, '')), accBeta, iterations: internals.iterations };
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return run;
}

/** Bitwise comparison (NaN never occurs here). */
function expectBitwise(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(new Uint32Array(x.buffer, x.byteOffset, x.length)).toEqual(new Uint32Array((b[i] as Float32Array).buffer, (b[i] as Float32Array).byteOffset, x.length)));
}

const configs: Array<[number, number, number, number | null]> = [
  [2e-4, 0.5, 0.999, null],
  [0.001, 0.9, 0.999, null],
  [0.03, 0.8, 0.95, 1e-3],
];

beforeAll(async () => {
  await useBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused adam', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it.each(configs)(`matches tf.train.adam bit for bit on ${backend} (lr %f, beta1 %f, beta2 %f, eps %s)`, async (lr, b1, b2, eps) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const stock = await train(() => tf.train.adam(lr, b1, b2, eps as number), 7, 'stock');
      const fused = await train(() => adam(lr, b1, b2, eps), 7, 'fused');
      expectBitwise(fused.weights, stock.weights);
      expectBitwise(fused.slots, stock.slots);
      expect(fused.slotNames).toEqual(stock.slotNames);
      expect(fused.accBeta).toEqual(stock.accBeta);
      expect(fused.iterations).toBe(7);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('runs one AigcAdamUpdate kernel per variable on wasm and stock ops on cpu', async () => {
    for (const [backend, fusedCalls] of [['wasm', 3], ['cpu', 0]] as const) {
      await tf.setBackend(backend);
      const vars = [tf.variable(tf.ones([3, 5])), tf.variable(tf.ones([9])), tf.variable(tf.ones([2]))];
      const opt = adam();
      const profile = await tf.profile(() =>
        tf.tidy(() => opt.applyGradients(vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) })))),
      );
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === ADAM_UPDATE_KERNEL)).toHaveLength(fusedCalls);
      expect(names.includes('RealDiv')).toBe(fusedCalls === 0);
      // One step of Adam from zero moments moves each weight by about -lr.
      expect((await vars[0]?.data())?.[0]).toBeCloseTo(1 - 0.001, 6);
      opt.dispose();
      vars.forEach((v) => v.dispose());
    }
  });

  it('leaves its inputs untouched (they may share data with other tensors)', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor1d([1, 2, 3, 4, 5]));
    const alias = tf.tidy(() => tf.clone(v)); // Identity: shares v's data on aigc's wasm backend
    const g = tf.tensor1d([0.5, -0.5, 1, -1, 2]);
    const gAlias = tf.clone(g);
    const opt = adam(0.1);
    opt.applyGradients([{ name: v.name, tensor: g }]);
    expect(Array.from(await alias.data())).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(await gAlias.data())).toEqual([0.5, -0.5, 1, -1, 2]);
    expect(Array.from(await v.data()).map((x) => Math.round(x * 10) / 10)).toEqual([0.9, 2.1, 2.9, 4.1, 4.9]);
    tf.dispose([v, alias, g, gAlias]);
    opt.dispose();
  });

  it('serializes exactly like tf.train.adam and restores as the fused class', async () => {
    await tf.setBackend('cpu');
    const fused = adam(2e-4, 0.5);
    const stock = tf.train.adam(2e-4, 0.5);
    expect(fused).toBeInstanceOf(tf.AdamOptimizer); // (tfjs' instanceof for optimizers is duck-typed)
    expect(Object.getPrototypeOf(FusedAdamOptimizer)).toBe(tf.AdamOptimizer);
    expect(fused.getClassName()).toBe('Adam');
    expect(fused.getConfig()).toEqual(stock.getConfig());
    const restored = optimizerFromRecord({ className: 'Adam', config: fused.getConfig() as Record<string, unknown>, iterations: 0, slots: 0, extras: [] });
    expect(restored.constructor).toBe(FusedAdamOptimizer);
    expect(restored.getConfig()).toEqual(stock.getConfig());
    const sgd = optimizerFromRecord({ className: 'SGD', config: { learningRate: 0.1 }, iterations: 0, slots: 0, extras: [] });
    expect(sgd.constructor).toBe(tf.SGDOptimizer);
    [fused, stock, restored, sgd].forEach((o) => o.dispose());
  });

  it('setWeights of a stock Adam state continues identically', async () => {
    await tf.setBackend('wasm');
    const v1 = tf.variable(tf.tensor1d(values(10, 3)), true, 'sw_a');
    const v2 = tf.variable(tf.tensor1d(values(10, 3)), true, 'sw_b');
    const g = tf.tensor1d(values(10, 9));
    const stock = tf.train.adam(0.01, 0.5);
    stock.applyGradients([{ name: v1.name, tensor: g }]);
    const saved = await stock.getWeights();
    const fused = adam(0.01, 0.5);
    const other = tf.train.adam(0.01, 0.5);
    v2.assign(v1);
    await fused.setWeights(saved);
    await other.setWeights(saved);
    const v3 = tf.variable(v1.clone(), true, 'sw_c');
    fused.applyGradients([{ name: v2.name, tensor: g }]);
    other.applyGradients([{ name: v3.name, tensor: g }]);
    expectBitwise([(await v2.data()) as Float32Array], [(await v3.data()) as Float32Array]);
    tf.dispose([v1, v2, v3, g]);
    [stock, fused, other].forEach((o) => o.dispose());
  });
});

describe('fused adam building blocks', () => {
  it('the SIMD module validates with plain and shared memory', () => {
    expect(WebAssembly.validate(simdModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(simdModuleBytes(true))).toBe(true);
  });

  it('the SIMD path is the one the wasm backend uses in Node', async () => {
    await tf.setBackend('wasm');
    expect(simdKernelsOf(tf.backend())?.adam).toBeTypeOf('function');
  });

  it('the scalar JS update equals tfjs op by op on cpu', async () => {
    await tf.setBackend('cpu');
    const n = 37;
    const [x, m, v, g] = [1, 2, 3, 4].map((s) => values(n, s, s === 3 ? 0.5 : 1)).map((a, k) => (k === 2 ? a.map(Math.abs) : a)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const attrs = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const s = adamScalars(attrs, 0.81, 0.998001);
    const src = new Float32Array([...x, ...m, ...v, ...g]);
    const dst = new Float32Array(3 * n);
    adamUpdateRange(s, src, { x: 0, m: n, v: 2 * n, g: 3 * n }, dst, { x: 0, m: n, v: 2 * n }, 0, n);
    const expected = tf.tidy(() => {
      const [tx, tm, tv, tg] = [x, m, v, g].map((a) => tf.tensor1d(a)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const m1 = tf.add(tf.mul(tm, 0.9), tf.mul(tg, 1 - 0.9));
      const v1 = tf.add(tf.mul(tv, 0.999), tf.mul(tf.square(tg), 1 - 0.999));
      const o1 = tf.sub(1, tf.scalar(0.81));
      const o2 = tf.sub(1, tf.scalar(0.998001));
      const x1 = tf.add(tf.mul(tf.div(tf.div(m1, o1), tf.add(tf.sqrt(tf.div(v1, o2)), 1e-7)), -0.01), tx);
      return tf.concat([x1, m1, v1]);
    });
    expectBitwise([dst], [(await expected.data()) as Float32Array]);
    expected.dispose();
  });
});
