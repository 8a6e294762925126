import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import { useBackend } from '../registry.js';
import { gemmOnHeap } from './gemm.js';
import { gemmMode, ownGemmPreferred, WASM_GEMM_ENV } from './gemm-route.js';
import { A_BLOCK_BYTES, gemmModuleBytes } from './gemm-simd.js';
import type { WasmBackendLike } from './wasm-backend.js';
import { values } from './kernels.test-utils.js';

/** The float64 product of the logical matrices, plus bias and ReLU. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean, bias?: Float32Array, relu = false): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += (a[ta ? t * m + i : i * k + t] as number) * (b[tb ? j * k + t : t * n + j] as number);
      if (bias) s += bias[j] as number;
      out[i * n + j] = relu ? Math.max(0, s) : s;
    }
  }
  return out;
}

const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });

/** Runs gemmOnHeap on wasm tensors and returns its values; checks nothing leaks. */
function ours(av: Float32Array, bv: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean, biasv?: Float32Array, relu = false): Float32Array {
  const backend = tf.backend() as unknown as WasmBackendLike & { numDataIds(): number };
  const before = backend.numDataIds();
  const a = tf.tensor(av, ta ? [k, m] : [m, k]);
  const b = tf.tensor(bv, tb ? [n, k] : [k, n]);
  const bias = biasv ? tf.tensor(biasv, [n]) : undefined;
  const out = gemmOnHeap(backend, { a: info(a), b: info(b), m, k, n, transposeA: ta, transposeB: tb, outShape: [m, n], relu, ...(bias ? { bias: info(bias) } : {}) });
  expect(out).not.toBeNull();
  const t = tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
  const data = t.dataSync() as Float32Array;
  for (const x of [a, b, bias, t]) x?.dispose();
  expect(backend.numDataIds()).toBe(before);
  return data;
}

/** max |got - ref| / max(1, max |ref|) (float32 accumulation over k terms of size <= 1). */
function relError(got: Float32Array, ref: Float64Array): number {
  expect(got.length).toBe(ref.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs((got[i] as number) - (ref[i] as number)));
    scale = Math.max(scale, Math.abs(ref[i] as number));
  }
  return diff / scale;
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('aigc wasm SIMD GEMM', () => {
  // Odd sizes around the 4x8 tile and the 2-step k loop, and the MLP GAN's own shapes.
  const sizes: Array<[number, number, number]> = [
    [1, 1, 1],
    [1, 3, 1],
    [3, 1, 5],
    [4, 8, 8],
    [5, 7, 9],
    [7, 2, 17],
    [13, 4, 33],
    [31, 5, 3],
    [127, 33, 1],
    [1, 785, 9],
    [128, 1, 128],
    [128, 128, 1],
    [65, 100, 63],
    [128, 785, 127],
  ];
  const combos: Array<[boolean, boolean]> = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];
  for (const [m, k, n] of sizes) {
    it.each(combos)(`[%s, %s] ${m}x${k}x${n} equals the float64 product within 1e-6`, (ta, tb) => {
      const av = values(m * k, m * 31 + k);
      const bv = values(k * n, n * 17 + k);
      const err = relError(ours(av, bv, m, k, n, ta, tb), reference(av, bv, m, k, n, ta, tb));
      expect(err).toBeLessThan(1e-6 * Math.max(1, Math.sqrt(k)));
    });
  }

  it.each([
    [9, 13, 11, false],
    [128, 128, 784, true],
    [128, 784, 1, false],
    [6, 3, 20, true],
  ] as const)('adds the bias row and applies ReLU (%i x %i x %i, relu %s)', (m, k, n, relu) => {
    const av = values(m * k, 3);
    const bv = values(k * n, 4);
    const biasv = values(n, 5);
    for (const [ta, tb] of combos) {
      const err = relError(ours(av, bv, m, k, n, ta, tb, biasv, relu), reference(av, bv, m, k, n, ta, tb, biasv, relu));
      expect(err).toBeLessThan(1e-6 * Math.sqrt(k));
    }
  });

  it('sums each output over k in order: exact for integer products', () => {
    const m = 6;
    const k = 9;
    const n = 10;
    const av = Float32Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
    const bv = Float32Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
    const got = ours(av, bv, m, k, n, false, false);
    expect(Array.from(got)).toEqual(Array.from(reference(av, bv, m, k, n, false, false)));
  });

  it('module bytes are generated deterministically, shared and unshared', () => {
    expect(Array.from(gemmModuleBytes(false))).toEqual(Array.from(gemmModuleBytes(false)));
    expect(WebAssembly.validate(gemmModuleBytes(false))).toBe(true);
    const shared = gemmModuleBytes(true);
    expect(shared.length).toBe(gemmModuleBytes(false).length + 3);
  });
});

/** Runs `f` with AIGC_WASM_GEMM set to `value` and returns the values of its result. */
function withMode(value: '0' | '1', f: () => tf.Tensor): Float32Array {
  process.env[WASM_GEMM_ENV] = value;
  try {
    const t = tf.tidy(f);
    const data = t.dataSync() as Float32Array;
    t.dispose();
    return data;
  } finally {
    delete process.env[WASM_GEMM_ENV];
  }
}

describe('routing of the wasm matmul kernels', () => {
  afterEach(() => {
    delete process.env[WASM_GEMM_ENV];
  });

  it('reads AIGC_WASM_GEMM on every call and prefers the GEMM on the single-threaded build, but for n = 1', () => {
    expect(gemmMode()).toBe('auto');
    process.env[WASM_GEMM_ENV] = '0';
    expect(gemmMode()).toBe('off');
    process.env[WASM_GEMM_ENV] = '1';
    expect(gemmMode()).toBe('on');
    // This test file runs the single-threaded build (no shared heap).
    expect(ownGemmPreferred(tf.backend(), 784, false)).toBe(true);
    expect(ownGemmPreferred(tf.backend(), 1, true)).toBe(true);
    // The untransposed matrix-vector product stays on XNNPACK.
    expect(ownGemmPreferred(tf.backend(), 1, false)).toBe(false);
  });

  // Same bits as XNNPACK (with aigc's transposes) for BatchMatMul and _FusedMatMul, so routing never changes a result.
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1],
    [5, 7, 9],
    [13, 1, 33],
    [31, 64, 3],
    [128, 100, 128],
    [128, 128, 1],
    [130, 257, 70],
    // k = 4096: 64 KiB per packed 4-row panel, so A_BLOCK_BYTES (1 MiB) takes 64 rows a block:
    // blocks of 64, 64 and 22 rows, the last with a 2-row edge tile.
    [150, 4096, 20],
  ];
  it('the k = 4096 shape below runs in more than one row block', () => {
    expect(A_BLOCK_BYTES / (4096 * 4 * 4)).toBe(16);
  });
  for (const [m, k, n] of shapes) {
    it(`BatchMatMul ${m}x${k}x${n} equals the XNNPACK path bit for bit, every transpose`, () => {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const f = () => tf.matMul(tf.tensor(values(m * k, m + k), ta ? [k, m] : [m, k]), tf.tensor(values(k * n, k + n), tb ? [n, k] : [k, n]), ta, tb);
        expect(Array.from(withMode('1', f))).toEqual(Array.from(withMode('0', f)));
      }
    });
  }

  it.each(['linear', 'relu'] as const)('_FusedMatMul (bias, %s) equals the stock kernel bit for bit', (activation) => {
    for (const [m, k, n] of shapes) {
      for (const [ta, tb] of [[false, false]] as const) {
        const f = () =>
          tf.fused.matMul({
            a: tf.tensor(values(m * k, 3 * m + k), ta ? [k, m] : [m, k]),
            b: tf.tensor(values(k * n, 5 * n + k), tb ? [n, k] : [k, n]),
            transposeA: ta,
            transposeB: tb,
            bias: tf.tensor(values(n, n + 1), [n]),
            activation,
          });
        expect(Array.from(withMode('1', f))).toEqual(Array.from(withMode('0', f)));
      }
    }
  });

  it('_FusedMatMul with a bias and a transpose flag is right (the stock kernel adds the bias wrongly there)', () => {
    const [m, k, n] = [5, 7, 9];
    const av = values(m * k, 1);
    const bv = values(k * n, 2);
    const biasv = values(n, 3);
    for (const [ta, tb] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const f = () =>
        tf.fused.matMul({ a: tf.tensor(av, ta ? [k, m] : [m, k]), b: tf.tensor(bv, tb ? [n, k] : [k, n]), transposeA: ta, transposeB: tb, bias: tf.tensor(biasv, [n]), activation: 'relu' });
      const ref = reference(av, bv, m, k, n, ta, tb, biasv, true);
      expect(relError(withMode('1', f), ref)).toBeLessThan(1e-6);
      // The default mode takes it too; the stock kernel (AIGC_WASM_GEMM=0) is off by up to the bias' size.
      const t = tf.tidy(f);
      expect(relError(t.dataSync() as Float32Array, ref)).toBeLessThan(1e-6);
      t.dispose();
      expect(relError(withMode('0', f), ref)).toBeGreaterThan(1e-2);
    }
  });

  it('the conv gradients (their im2col products) equal the XNNPACK path bit for bit', () => {
    const x = values(2 * 9 * 9 * 3, 1);
    const w = values(5 * 5 * 3 * 8, 2);
    const loss = (xt: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 2, 'same')));
    const grads = () => {
      const [dx, dw] = tf.grads(loss)([tf.tensor4d(x, [2, 9, 9, 3]), tf.tensor4d(w, [5, 5, 3, 8])]);
      return tf.concat([tf.reshape(dx as tf.Tensor, [-1]), tf.reshape(dw as tf.Tensor, [-1])]);
    };
    expect(Array.from(withMode('1', grads))).toEqual(Array.from(withMode('0', grads)));
  });

  it('batched products and other activations keep their own kernels (no leak, same values)', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    const batched = () => tf.matMul(tf.tensor(values(2 * 3 * 4, 1), [2, 3, 4]), tf.tensor(values(2 * 4 * 5, 2), [2, 4, 5]));
    expect(Array.from(withMode('1', batched))).toEqual(Array.from(withMode('0', batched)));
    const elu = () => tf.fused.matMul({ a: tf.tensor(values(12, 3), [3, 4]), b: tf.tensor(values(20, 4), [4, 5]), activation: 'elu' });
    expect(Array.from(withMode('1', elu))).toEqual(Array.from(withMode('0', elu)));
    expect(backend.numDataIds()).toBe(before);
  });
});
