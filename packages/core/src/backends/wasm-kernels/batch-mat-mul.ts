import { tf } from '../../tf.js';
import { matMulPlain, stockBatchMatMul } from './fast-matmul.js';
import { ownGemm } from './gemm-route.js';
import { transposeOnHeap } from './heap-ops.js';
import { release, withShape, type WasmKernelArgs } from './wasm-backend.js';

/** Product of all but the last two axes (1 for a plain matrix). */
function batchSize(info: tf.TensorInfo): number {
  return tf.util.sizeFromShape(info.shape.slice(0, -2));
}

/** Copies `info` with its last two axes swapped into a new wasm tensor the caller owns. */
function transposed(args: WasmKernelArgs, info: tf.TensorInfo): tf.TensorInfo {
  const shape = info.shape;
  const rank = shape.length;
  const rows = shape[rank - 2] as number;
  const cols = shape[rank - 1] as number;
  const batch = batchSize(info);
  const outShape = [...shape.slice(0, -2), cols, rows];
  const out = args.backend.makeOutput(outShape, 'float32');
  transposeOnHeap(args.backend, info, out, batch, rows, cols);
  return out;
}

/**
 * `a @ b^T` (a: [M, K], b: [N, K], no batch) as `(b @ a^T)^T` when that moves less data: it
 * transposes `a` and the [N, M] product instead of `b`, and XNNPACK repacks `a^T` instead of
 * `b^T` (it repacks its right operand on every call). Dense-layer input gradients `dy @ W^T`
 * with a big W and a small batch gain ~2x. Undefined when not cheaper (or batched).
 */
function swappedProduct(args: WasmKernelArgs, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo | undefined {
  if (batchSize(a) !== 1 || batchSize(b) !== 1) return undefined;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 2] as number;
  // Elements copied or repacked: transposing b (+ repacking it) vs transposing a (+ repacking) and the product.
  if (2 * m * k + n * m >= 2 * n * k) return undefined;
  const { backend } = args;
  const aT = transposed(args, withShape(a, [1, m, k]));
  let product: tf.TensorInfo;
  try {
    product = matMulPlain(backend, b, aT, n, k, m);
  } finally {
    release(backend, aT);
  }
  const lead = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const out = backend.makeOutput([...lead, m, n], 'float32');
  transposeOnHeap(backend, product, out, 1, n, m);
  release(backend, product);
  return out;
}

/**
 * `BatchMatMul` for the wasm backend: with `transposeA`/`transposeB` set, the stock kernel runs
 * a scalar loop ~15x slower than its XNNPACK path, so the flagged operands are transposed
 * explicitly first (or, for `a @ b^T` with a big `b`, the product is taken the other way round,
 * see swappedProduct) and the product goes through the fast path. Unflagged calls pass straight through.
 * Unbatched float32 products of the shapes where aigc's SIMD GEMM wins (gemm-route.ts) go to it instead.
 */
export function batchMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const stock = stockBatchMatMul();
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  const transposeA = Boolean(args.attrs?.['transposeA']);
  const transposeB = Boolean(args.attrs?.['transposeB']);
  const own = ownGemm(args, transposeA, transposeB);
  if (own !== undefined) return own;
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
  if (!transposeA && transposeB) {
    const swapped = swappedProduct(args, a, b);
    if (swapped !== undefined) return swapped;
  }
  const a2 = transposeA ? transposed(args, a) : a;
  const b2 = transposeB ? transposed(args, b) : b;
  try {
    return stock({ inputs: { a: a2, b: b2 }, backend: args.backend, attrs: { transposeA: false, transposeB: false } });
  } finally {
    if (transposeA) release(args.backend, a2);
    if (transposeB) release(args.backend, b2);
  }
}
