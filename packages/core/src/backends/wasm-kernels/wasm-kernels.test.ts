import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, tfl } from '../../tf.js';
import { useBackend } from '../registry.js';
import { registerWasmKernels } from './register.js';
import { transposeOnHeap } from './heap-ops.js';
import { transposeBatched } from './layout.js';
import type { WasmBackendLike } from './wasm-backend.js';
import { values } from './kernels.test-utils.js';
import { tanhRational } from './tanh-rational.js';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs `f` on `backend` and returns the result's values (all tensors made inside are freed). */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

/** Like {@link on}, also returning the result's shape. */
async function run(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<{ data: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const data = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  return { data, shape };
}

/** max |a - b| / max |b|. */
function relError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / Math.max(scale, 1e-30);
}

async function compare(f: () => tf.Tensor): Promise<number> {
  const ref = await on('cpu', f);
  const got = await on('wasm', f);
  expect(got.every(Number.isFinite)).toBe(true);
  return relError(got, ref);
}

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
}

// Random-ish shapes: odd and even sizes, 1x1..5x5 filters, strides 1/2, 'same'/'valid'/explicit.
const cases: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 6, 2], filter: [5, 5, 2, 4], strides: 2, pad: 'same' },
  { x: [2, 9, 9, 4], filter: [3, 2, 4, 3], strides: 1, pad: 'valid' },
  { x: [1, 11, 10, 3], filter: [5, 5, 3, 2], strides: 2, pad: 'valid' },
  { x: [2, 6, 8, 1], filter: [5, 5, 1, 8], strides: [2, 1], pad: 'same' },
  { x: [2, 5, 5, 6], filter: [1, 1, 6, 7], strides: 1, pad: 'valid' },
  { x: [2, 7, 8, 3], filter: [3, 3, 3, 2], strides: 2, pad: 1 },
  { x: [4, 14, 14, 16], filter: [5, 5, 16, 8], strides: 2, pad: 'same' },
  // More input channels (tiled transposed im2col, SIMD col2im), and few (row-by-row paths).
  { x: [2, 9, 7, 20], filter: [3, 3, 20, 6], strides: 1, pad: 'valid' },
  { x: [3, 8, 9, 32], filter: [5, 5, 32, 12], strides: 2, pad: 1 },
];

function outShape(c: ConvCase): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  return info.outShape as [number, number, number, number];
}

beforeAll(async () => {
  await useBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('wasm kernels match the cpu backend', () => {
  it.each(cases.map((c, i) => [i, c] as const))('Conv2DBackpropFilter case %i', async (i, c) => {
    const dyShape = outShape(c);
    const xv = values(size(c.x), 11 + i);
    const dyv = values(size(dyShape), 29 + i);
    const err = await compare(() =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor4d(xv, c.x), dy: tf.tensor4d(dyv, dyShape) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.filter } as never,
      ) as tf.Tensor,
    );
    expect(err).toBeLessThan(1e-4);
  });

  it.each(cases.map((c, i) => [i, c] as const))('Conv2DBackpropInput case %i', async (i, c) => {
    const dyShape = outShape(c);
    const wv = values(size(c.filter), 7 + i);
    const dyv = values(size(dyShape), 43 + i);
    const err = await compare(() =>
      tf.engine().runKernel(
        'Conv2DBackpropInput',
        { dy: tf.tensor4d(dyv, dyShape), filter: tf.tensor4d(wv, c.filter) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x } as never,
      ) as tf.Tensor,
    );
    expect(err).toBeLessThan(1e-4);
  });

  const matCases: Array<[number[], number[], boolean, boolean]> = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[128, 100], [128, 64], true, false],
    [[33, 65], [47, 65], false, true],
    [[3, 6, 4], [3, 6, 5], true, false],
    [[2, 4, 6], [2, 5, 6], false, true],
    [[2, 6, 4], [2, 5, 6], true, true],
    // a @ b^T with a big b: taken as (b @ a^T)^T.
    [[16, 40], [60, 40], false, true],
    [[1, 13, 41], [1, 67, 41], false, true],
    [[128, 100], [300, 100], false, true],
  ];
  it.each(matCases)('BatchMatMul %j x %j transposeA=%s transposeB=%s', async (aShape, bShape, ta, tb) => {
    const av = values(size(aShape), size(aShape));
    const bv = values(size(bShape), size(bShape) + 1);
    const err = await compare(() => tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb));
    expect(err).toBeLessThan(1e-5);
  });
});

describe('reduction, tile and identity kernels match cpu', () => {
  const reduceCases: Array<[number[], number | number[], boolean]> = [
    [[4, 5, 6], 0, false],
    [[4, 5, 6], [0, 1], false],
    [[4, 5, 6], [1, 0], true],
    [[3, 4, 5, 6], [0, 1, 2], false],
    [[3, 4, 5, 6], [0, 1, 2], true],
    [[4, 5, 6], 1, false],
    [[4, 5, 6], -1, false],
    [[4, 5, 6], [0, 1, 2], false],
    [[7, 1], 0, false],
    // Trailing size a multiple of 4: the SIMD float64 row sums.
    [[6, 5, 8], [0, 1], false],
    [[3, 2, 2, 12], [0, 1, 2], true],
  ];
  it.each(reduceCases)('Sum and Mean of %j over %j keepDims=%s', async (shape, axis, keepDims) => {
    const xv = values(size(shape), size(shape) + 3);
    for (const op of [tf.sum, tf.mean]) {
      const f = () => op(tf.tensor(xv, shape), axis, keepDims);
      const ref = await run('cpu', f);
      const got = await run('wasm', f);
      expect(got.shape).toEqual(ref.shape);
      expect(relError(got.data, ref.data)).toBeLessThan(1e-6);
    }
  });

  it('the SIMD leading-axis Sum adds rows in order in float64, like the JS loop', async () => {
    await tf.setBackend('wasm');
    const [rows, cols] = [37, 20];
    const xv = values(rows * cols, 77).map((v, i) => v * 10 ** ((i % 7) - 3));
    const got = tf.tidy(() => tf.sum(tf.tensor2d(xv, [rows, cols]), 0));
    const expected = new Float32Array(cols);
    for (let c = 0; c < cols; c++) {
      let acc = 0;
      for (let r = 0; r < rows; r++) acc += xv[r * cols + c] as number;
      expected[c] = acc;
    }
    expect(Array.from(await got.data())).toEqual(Array.from(expected));
    got.dispose();
  });

  const tileCases: Array<[number[], number[], 'float32' | 'int32' | 'bool']> = [
    [[2, 3], [2, 2], 'float32'],
    [[1, 1, 1, 4], [3, 5, 2, 1], 'float32'],
    [[3, 1, 2], [1, 4, 3], 'int32'],
    [[5], [3], 'float32'],
    [[2, 2], [2, 3], 'bool'],
  ];
  it.each(tileCases)('Tile %j by %j (%s)', async (shape, reps, dtype) => {
    const xv = Array.from(values(size(shape), 9), (v) => (dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 1000) : v > 0 ? 1 : 0));
    const f = () => tf.tile(tf.tensor(xv, shape, dtype), reps);
    await tf.setBackend('cpu');
    const ref = tf.tidy(f);
    const refData = Array.from(await ref.data());
    ref.dispose();
    await tf.setBackend('wasm');
    const got = tf.tidy(f);
    expect(got.shape).toEqual(shape.map((d, i) => d * (reps[i] as number)));
    expect(Array.from(await got.data())).toEqual(refData);
    got.dispose();
  });

  it.each([1, 3, 8, 1001])('LeakyRelu of %i values equals float32 x < 0 ? alpha * x : x bit for bit', async (n) => {
    await tf.setBackend('wasm');
    const xv = values(n, n + 5);
    xv[0] = -0;
    for (const alpha of [0.2, 0.3]) {
      const y = tf.tidy(() => tf.leakyRelu(tf.tensor1d(xv), alpha));
      const expected = xv.map((v) => (v < 0 ? Math.fround(Math.fround(alpha) * v) : v));
      expect(Array.from(await y.data())).toEqual(Array.from(expected));
      y.dispose();
    }
    expect(relError((await on('wasm', () => tf.leakyRelu(tf.tensor1d(xv), 0.2))) as Float32Array, await on('cpu', () => tf.leakyRelu(tf.tensor1d(xv), 0.2)))).toBeLessThan(1e-6);
  });

  it.each([1, 3, 8, 1001])('Tanh of %i values equals the scalar rational interpolant bit for bit, NaN and ±Inf included', async (n) => {
    await tf.setBackend('wasm');
    const xv = values(n, n + 11).map((v) => v * 12);
    const special = [-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 9.5, -8.99, 1e-30, 5.7745];
    special.slice(0, n).forEach((v, i) => (xv[i] = v));
    const y = tf.tidy(() => tf.tanh(tf.tensor1d(xv)));
    const got = Array.from(await y.data());
    y.dispose();
    expect(got).toEqual(Array.from(xv, (v) => tanhRational(v)));
    if (n >= 4) expect([Object.is(got[0], -0), Number.isNaN(got[1]), got[2], got[3]]).toEqual([true, true, 1, -1]);
    const finite = Array.from(xv).map((v, i) => [v, got[i] as number]).filter(([v]) => Number.isFinite(v));
    for (const [v, t] of finite) expect(Math.abs((t as number) - Math.tanh(v as number))).toBeLessThan(4.2e-7);
  });

  it('the Tanh interpolant stays within 7 ulp of tanh and inside [-1, 1] on a dense grid', () => {
    let worstUlp = 0;
    let largest = 0;
    for (let i = -200_000; i <= 200_000; i++) {
      const x = Math.fround(i * 5e-5);
      const t = Math.fround(Math.tanh(x));
      const r = tanhRational(x);
      largest = Math.max(largest, Math.abs(r));
      const ulp = t === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(t))) - 23);
      worstUlp = Math.max(worstUlp, Math.abs(r - Math.tanh(x)) / ulp);
    }
    expect(largest).toBe(1);
    expect(worstUlp).toBeGreaterThan(0.5); // it is an approximation, not tanhf
    expect(worstUlp).toBeLessThan(7);
  });

  it.each([[4, 4, 1], [8, 132, 1], [68, 12, 3], [5, 8, 2]])('transposeOnHeap of %ix%i (batch %i) equals the JS transpose', async (rows, cols, batch) => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as WasmBackendLike;
    const x = tf.tensor(values(batch * rows * cols, rows + cols), [batch, rows, cols]);
    const out = backend.makeOutput([batch, cols, rows], 'float32');
    transposeOnHeap(backend, { dataId: x.dataId, shape: x.shape, dtype: 'float32' }, out, batch, rows, cols);
    const expected = new Float32Array(batch * rows * cols);
    transposeBatched((await x.data()) as Float32Array, 0, expected, 0, batch, rows, cols);
    expect(Array.from(backend.typedArrayFromHeap(out))).toEqual(Array.from(expected));
    backend.disposeData(out.dataId);
    x.dispose();
  });

  it.each([1, 15, 16, 17, 1000])('Greater against a scalar and Select of %i values match JS exactly', async (n) => {
    await tf.setBackend('wasm');
    const xv = values(n, n + 13);
    xv[0] = -0;
    if (n > 3) [xv[1], xv[2], xv[3]] = [Number.NaN, 0, 0.5];
    const tv = values(n, 2 * n + 1);
    const ev = values(n, 3 * n + 2);
    for (const threshold of [0, 0.5]) {
      const [mask, picked] = tf.tidy(() => {
        const m = tf.greater(tf.tensor1d(xv), tf.scalar(threshold));
        return [m, tf.where(m, tf.tensor1d(tv), tf.tensor1d(ev))];
      }) as [tf.Tensor, tf.Tensor];
      const expectedMask = Array.from(xv, (v) => (v > threshold ? 1 : 0));
      expect(Array.from(await mask.data())).toEqual(expectedMask);
      expect(Array.from(await picked.data())).toEqual(expectedMask.map((m, i) => (m ? tv[i] : ev[i])));
      tf.dispose([mask, picked]);
    }
    // Broadcast and same-shape comparisons still go to the stock kernels.
    const both = tf.tidy(() => tf.greater(tf.tensor1d(xv), tf.tensor1d(tv)));
    expect(Array.from(await both.data())).toEqual(Array.from(xv, (v, i) => (v > (tv[i] as number) ? 1 : 0)));
    both.dispose();
  });

  it('Identity shares memory safely: the copy outlives its source', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor([1.5, -2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1.5, -2, 3]);
    b.dispose();
  });
});

describe('a conv model trains the same on wasm as on cpu', () => {
  it('gives the same gradients and the same SGD step', async () => {
    const build = () => {
      const input = tfl.input({ shape: [8, 8, 2] });
      const c1 = tfl.layers.conv2d({ filters: 6, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tfl.SymbolicTensor;
      const c2 = tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }).apply(c1) as tfl.SymbolicTensor;
      const c3 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 1, padding: 'valid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }).apply(c2) as tfl.SymbolicTensor;
      const flat = tfl.layers.flatten().apply(c3) as tfl.SymbolicTensor;
      const out = tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }).apply(flat) as tfl.SymbolicTensor;
      return tfl.model({ inputs: input, outputs: out });
    };
    const xv = values(4 * 8 * 8 * 2, 5);
    const results: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const model = build();
      const x = tf.tensor4d(xv, [4, 8, 8, 2]);
      const before = tf.memory().numTensors;
      const opt = tf.train.sgd(0.1);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      for (let step = 0; step < 3; step++) {
        opt.minimize(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, false, vars);
      }
      results[backend] = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    }
    const cpu = results['cpu'] as Float32Array[];
    const wasm = results['wasm'] as Float32Array[];
    expect(wasm.length).toBe(8);
    cpu.forEach((ref, i) => expect(relError(wasm[i] as Float32Array, ref)).toBeLessThan(1e-4));
  });
});

describe('registration', () => {
  it('is idempotent and keeps the stock matmul reachable', async () => {
    await tf.setBackend('wasm');
    const before = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    registerWasmKernels();
    registerWasmKernels();
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(before);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const m = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
    expect(Array.from(m.dataSync())).toEqual([3, 3, 3, 3]);
    m.dispose();
  });

  it('leaks no wasm memory across kernel calls', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const run = () =>
      tf.tidy(() => {
        const x = tf.ones([2, 6, 6, 3]);
        const w = tf.ones([3, 3, 3, 4]);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]);
        return tf.addN([tf.sum(dx as tf.Tensor), tf.sum(tf.matMul(tf.ones([4, 3]), tf.ones([4, 5]), true, false)), tf.sum(dw as tf.Tensor)]);
      });
    run().dispose();
    const ids = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run().dispose();
    expect(backend.numDataIds()).toBe(ids);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
