import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import { useBackend } from '../registry.js';
import { gemmOnHeap } from './gemm.js';
import { gemmModuleBytes } from './gemm-simd.js';
import type { WasmBackendLike } from './wasm-backend.js';

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

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
